"""Serving from several processes: one Python process draws one page at a time (the GIL), so on a
machine with several cores, pages nobody has opened yet are drawn side by side only by forking.

The parent binds the socket and forks the other workers before any thread runs (a fork copies
only the thread that calls it); then every process loads the workspace in the background, shows
a "loading" page meanwhile, and serves the same listening socket with waitress, the kernel
handing each connection to whichever accepts it first. So the server answers as soon as a single
worker would. Each worker keeps its own graph slot, notices a rebuilt workspace by its stamp and
swaps it in by itself (see `kg.web.graph`); the graphs are not shared, since touching Python
objects unshares the pages a fork would have shared anyway. The children die with the parent: SIGTERM or
Ctrl+C stop them all, and the kernel ends them (PR_SET_PDEATHSIG) if the parent is killed.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import time

import waitress
from flask import Flask

from kg.processes import die_with_parent

#: A child still running this long after SIGTERM is killed.
STOP_SECONDS = 5.0
#: Connections the kernel queues while every worker is busy (or still loading).
BACKLOG = 1024
#: Response header naming the worker (0 is the parent) that answered.
WORKER_HEADER = "X-KG-Worker"


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on `host`:`port` (IPv4 or IPv6, as `host` resolves)."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(address)
    sock.listen(BACKLOG)
    return sock


def serve(app: Flask, sock: socket.socket, *, workers: int, threads: int) -> None:
    """Serve `app` on `sock` from `workers` processes of `threads` threads each, until SIGTERM or
    Ctrl+C. `app` must be created with `KG_PRELOAD` off: nothing may run in another thread when
    the workers are forked."""
    children = []
    parent = os.getpid()
    for index in range(1, workers):
        pid = os.fork()
        if pid == 0:
            _child(app, sock, threads, index=index, parent=parent)  # never returns
        children.append(pid)
    previous = signal.signal(signal.SIGTERM, _exit)
    try:
        if children:
            _tag_worker(app, 0)
        _start(app)
        _run(app, sock, threads)
    finally:
        signal.signal(signal.SIGTERM, previous)
        _stop(children)


def _child(app: Flask, sock: socket.socket, threads: int, *, index: int, parent: int) -> None:
    status = 0
    try:
        die_with_parent(parent, signal.SIGTERM)
        # Ctrl+C reaches the whole process group: each worker closes its own connections.
        signal.signal(signal.SIGTERM, _exit)
        _tag_worker(app, index)
        _start(app)
        _run(app, sock, threads)
    except BaseException:  # pragma: no cover - reported, then the worker ends like any other
        status = 1
        app.logger.exception("worker %d stopped", index)
    finally:
        # Never back into the parent's stack (click, the caller's cleanup): this process only serves.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


def _start(app: Flask) -> None:
    from kg.web import graph

    graph.start_loading(app)


def _run(app: Flask, sock: socket.socket, threads: int) -> None:
    # waitress ends its loop on SystemExit and KeyboardInterrupt, closing its connections.
    waitress.serve(app, sockets=[sock], threads=threads, ident="kg", _quiet=True)


def _exit(signum, frame):
    sys.exit(0)


def _tag_worker(app: Flask, index: int) -> None:
    def tag(response):
        response.headers[WORKER_HEADER] = str(index)
        return response

    app.after_request(tag)


def _stop(children: list[int]) -> None:
    """SIGTERM every child, wait for them, SIGKILL the ones that outlive STOP_SECONDS."""
    for pid in children:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + STOP_SECONDS
    waiting = set(children)
    while waiting:
        for pid in list(waiting):
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done = pid
            if done:
                waiting.discard(pid)
        if not waiting:
            break
        if time.monotonic() > deadline:
            for pid in waiting:
                try:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                except (ProcessLookupError, ChildProcessError):
                    pass
            break
        time.sleep(0.02)
