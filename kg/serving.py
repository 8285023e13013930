"""How many processes `kg serve` starts by default: one per core, at most 4, and no more than
half the available memory holds, since each process keeps its own copy of the graph.

Library code (no Click): `kg.cli_serve` asks it for the default and shows it in `--help`.
"""

from __future__ import annotations

import os

# A loaded graph takes about this many times its workspace file in memory (20k cards: a 146 MB
# file, 745 MB per process; 100k cards: 725 MB, 2.2 GB), plus the interpreter and libraries.
MEMORY_PER_FILE_BYTE = 3
MEMORY_BASE = 250 << 20


def default_workers(workspace=None) -> int:
    """One serving process per core, at most 4, and no more than half the memory available
    holds: each process keeps its own copy of the graph."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    workers = max(1, min(4, cores))
    available = available_memory()
    if workspace is not None and available:
        from kg.workspace import workspace_file

        try:
            need = MEMORY_PER_FILE_BYTE * workspace_file(workspace).stat().st_size + MEMORY_BASE
        except OSError:
            return workers
        workers = max(1, min(workers, available // 2 // need))
    return workers


def available_memory() -> int | None:
    """MemAvailable in bytes (Linux), None elsewhere."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None
