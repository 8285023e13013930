"""Live decks in the browser: what the deck watcher did (`kg serve --watch`, see kg.watch), for
the open pages to poll (`web/static/live.js`) and as a page of its own.

Each serving process answers from its own graph slot: the status names the build this process
serves, and asking for it swaps in a newer workspace first, so "latest" means a page reloaded
now shows the edit.
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, g, jsonify, render_template

from kg.watch import read_status
from kg.web.explore import built_at
from kg.web.graph import get_snapshot

bp = Blueprint("live", __name__)

#: How often an open page asks for the status (milliseconds).
POLL_MS = 1000
_FROM_WATCHER = ("state", "generation", "changed", "cards", "seconds", "problems", "error", "history",
                 "updated_at", "watching")


def status_data() -> dict:
    """The watcher's status beside the build this process serves."""
    G = get_snapshot().graph
    served = G.graph.get("built_at")
    watch = read_status(current_app.config["KG_WORKSPACE"]) if current_app.config.get("KG_WATCH") else None
    data = {"live": watch is not None, "build": served, "poll_ms": POLL_MS}
    if watch is not None:
        data.update({key: watch.get(key) for key in _FROM_WATCHER})
        # False while this process still serves the build before the watcher's last one.
        data["latest"] = watch.get("built_at") in (None, served)
    return data


@bp.get("/api/status")
def api_status():
    response = jsonify(status_data())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/status")
def status():
    data = status_data()
    response = current_app.make_response(render_template(
        "live/status.html", status=data, built_at=built_at(get_snapshot().graph)))
    response.headers["Cache-Control"] = "no-store"
    return response


def _live_build() -> str:
    """The build the page being drawn comes from (live.js compares it with the status)."""
    snap = g.get("kg_snapshot")
    return str(snap.graph.graph.get("built_at", "")) if snap is not None else ""


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    if app.config.get("KG_WATCH"):
        # Each save swaps the graph in every worker: 25 concept pages drawn again each time
        # would cost more than the update (1.8 s of CPU per worker at 5,000 cards), and a reader
        # mostly reloads the page they are on.
        app.config.setdefault("KG_REWARM_CONCEPTS", 0)
    app.context_processor(lambda: {"live_build": _live_build})
