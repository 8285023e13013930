"""The cyclic garbage collector paused while a large structure is built that makes no cycles."""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def paused_gc():
    """Run a block with the cyclic garbage collector off.

    Building or loading a graph allocates millions of dicts and lists that all stay alive; the
    collector would walk them again and again for nothing (a third of the time).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
