"""Where a build's time goes: wall seconds per phase (read, cache, extract, count, graph, write).

`recording()` collects the phases of the code run inside it; `phase(name)` times a block and adds
its seconds to the collecting dict, if there is one (otherwise it costs a clock read). The same
name timed twice adds up. `kg build --timings` and `bench/dask_build.py` print the table.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

_RECORDING: ContextVar[dict[str, float] | None] = ContextVar("kg_phases", default=None)


@contextmanager
def recording() -> Iterator[dict[str, float]]:
    """A dict that fills with {phase: seconds}, in the order phases first ran."""
    found: dict[str, float] = {}
    token = _RECORDING.set(found)
    try:
        yield found
    finally:
        _RECORDING.reset(token)


@contextmanager
def phase(name: str) -> Iterator[None]:
    """Times the block as `name` when a `recording()` is collecting."""
    found = _RECORDING.get()
    if found is None:
        yield
        return
    began = time.perf_counter()
    try:
        yield
    finally:
        found[name] = found.get(name, 0.0) + time.perf_counter() - began


def table(phases: dict[str, float], total: float | None = None) -> str:
    """The phases as aligned lines, `name  seconds  share`, with the rest of `total` as "other"."""
    rows = list(phases.items())
    if total is not None and total - sum(phases.values()) > 0.005:
        rows.append(("other", total - sum(phases.values())))
    whole = total if total else sum(s for _, s in rows) or 1.0
    width = max((len(name) for name, _ in rows), default=5)
    return "\n".join(f"{name:<{width}}  {seconds:8.2f} s  {100 * seconds / whole:5.1f}%" for name, seconds in rows)
