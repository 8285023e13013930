"""Running one whole process and measuring it: wall clock and memory of its process tree.

Memory is read two ways, because spaCy's `n_process` workers are forked children:
`max_rss_mb` is the largest single process of the tree (what `wait4`'s rusage reports, like
`/usr/bin/time -v`), and `peak_tree_rss_mb` / `peak_tree_pss_mb` are the largest sums over the
live tree, sampled every SAMPLE_SECONDS from /proc. PSS splits pages shared after the fork among
the processes that share them, so it is the tree's real footprint; the RSS sum counts shared
pages once per process and is an upper bound.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from pathlib import Path

SAMPLE_SECONDS = 0.1
PSS_EVERY = 3  # read smaps_rollup (slower than statm) every third sample
PAGE = os.sysconf("SC_PAGE_SIZE")
MB = 1024 * 1024


def descendants(root: int) -> list[int]:
    """`root` and every live process below it."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        # The command name may contain spaces and parentheses; fields resume after the last ")".
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


class TreeSampler:
    """Samples the summed RSS and PSS of a process tree in a background thread."""

    def __init__(self, root: int):
        self.root = root
        self.peak_rss = 0
        self.peak_pss = 0
        self.peak_processes = 0
        self.last_rss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> "TreeSampler":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        n = 0
        while not self._stop.is_set():
            pids = descendants(self.root)
            self.last_rss = sum(_rss(p) for p in pids)
            self.peak_rss = max(self.peak_rss, self.last_rss)
            self.peak_processes = max(self.peak_processes, len(pids))
            if n % PSS_EVERY == 0:
                self.peak_pss = max(self.peak_pss, sum(_pss(p) for p in pids))
            n += 1
            self._stop.wait(SAMPLE_SECONDS)


def run(cmd: list[str], *, log: Path, timeout: float = 3600, env: dict | None = None) -> dict:
    """Run `cmd` to completion; its wall clock (process start to exit) and memory, as a dict.

    Output goes to `log`. Raises RuntimeError (with the log's tail) when the process fails.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env,
                                start_new_session=True)
        sampler = TreeSampler(proc.pid).start()
        timer = threading.Timer(timeout, os.killpg, (proc.pid, signal.SIGKILL))
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:
            # Interrupted: the child leads its own session, so take its whole group down with us.
            os.killpg(proc.pid, signal.SIGKILL)
            raise
        finally:
            timer.cancel()
            sampler.stop()
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
    result = {
        "seconds": round(wall, 3),
        "exit": proc.returncode,
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        # ru_maxrss is in KiB on Linux; for wait4 it is the largest process of the tree.
        "max_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "peak_tree_rss_mb": round(sampler.peak_rss / MB, 1),
        "peak_tree_pss_mb": round(sampler.peak_pss / MB, 1),
        "peak_processes": sampler.peak_processes,
    }
    # Status 3 is `kg build` reporting skipped cards: the build itself succeeded.
    if proc.returncode not in (0, 3):
        tail = log.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"{' '.join(cmd[:4])}... exited {proc.returncode}:\n{tail}")
    return result
