"""`Server-Timing` on every response: how long the app took, visible in the browser's devtools."""

from __future__ import annotations

import time

from flask import Flask, g

HEADER = "Server-Timing"


def _start():
    g.kg_started = time.perf_counter()


def _stamp(response):
    started = g.get("kg_started")
    if started is not None:
        # Everything the app did: loading, analysis, drawing and rendering (not sending).
        response.headers[HEADER] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
    return response


def init_app(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_stamp)
