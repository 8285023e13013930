"""Child processes that end with their parent: the forked extraction workers of a build and the
serving workers of `kg serve` must never outlive the process that started them."""

from __future__ import annotations

import os
import signal


def die_with_parent(parent: int, signum: int = signal.SIGKILL) -> None:
    """Have the kernel send `signum` to this process when `parent` dies, even by SIGKILL.

    Linux only (prctl PR_SET_PDEATHSIG); elsewhere the parent's own shutdown is all there is.
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signum)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
