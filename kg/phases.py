"""Where a build's time goes: wall seconds per phase (read, cache, extract, count, graph, write).

`recording()` collects the phases of the code run inside it; `phase(name)` times a block and adds
its seconds to the collecting `Phases`, if there is one (otherwise it costs nothing). The same
name timed twice adds up. `Phases.cpu` holds this process's CPU seconds per phase (every thread:
a LocalCluster's scheduler runs here too). `bench/dask_build.py` prints the table.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

class Phases(dict):
    """{phase: wall seconds} in the order the phases first ran; `cpu`: {phase: CPU seconds}."""

    def __init__(self):
        super().__init__()
        self.cpu: dict[str, float] = {}


_RECORDING: ContextVar[Phases | None] = ContextVar("kg_phases", default=None)


@contextmanager
def recording() -> Iterator[Phases]:
    """A `Phases` that fills as the code inside runs."""
    found = Phases()
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
    began, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        found[name] = found.get(name, 0.0) + time.perf_counter() - began
        found.cpu[name] = found.cpu.get(name, 0.0) + time.process_time() - cpu


def table(phases: dict[str, float], total: float | None = None, cpu: dict[str, float] | None = None) -> str:
    """The phases as aligned lines, `name  seconds  share  [CPU seconds]`, with the rest of
    `total` as "other"."""
    rows = list(phases.items())
    if total is not None and total - sum(phases.values()) > 0.005:
        rows.append(("other", total - sum(phases.values())))
    whole = total if total else sum(s for _, s in rows) or 1.0
    width = max((len(name) for name, _ in rows), default=5)
    return "\n".join(f"{name:<{width}}  {seconds:8.2f} s  {100 * seconds / whole:5.1f}%"
                     + (f"  CPU {cpu[name]:7.2f} s" if cpu and name in cpu else "") for name, seconds in rows)
