"""One handler for every error: an HTML page for people, JSON under /api/ for programs."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from kg.errors import KGError, NotFound, WorkspaceError

API_PREFIX = "/api/"

# Library errors mapped to what they mean for a request.
STATUS = {NotFound: 404, WorkspaceError: 503}
TITLES = {
    400: "That request does not make sense",
    404: "Not found",
    405: "Not allowed",
    500: "Something went wrong",
    503: "No workspace to explore",
}


def wants_json() -> bool:
    return request.path.startswith(API_PREFIX)


def _render(status: int, message: str):
    title = TITLES.get(status, "Error")
    if wants_json():
        return jsonify({"error": message, "status": status}), status
    return render_template("error.html", status=status, title=title, message=message), status


def handle_http(exc: HTTPException):
    """Werkzeug's errors (404, 400, 405...) with their own description."""
    if exc.code is None or exc.code < 400:
        return exc
    return _render(exc.code, exc.description or TITLES.get(exc.code, "Error"))


def handle_kg(exc: KGError):
    """Library errors: their one-line message is written for the user."""
    status = next((code for cls, code in STATUS.items() if isinstance(exc, cls)), 400)
    return _render(status, str(exc))


def handle_unexpected(exc: Exception):
    """A bug: log it, and show a page that leaks nothing."""
    from flask import current_app

    current_app.logger.exception("unhandled error on %s", request.path)
    return _render(500, InternalServerError.description)


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(KGError, handle_kg)
    if not app.testing:
        # In tests a bug should surface as the traceback, not as a friendly page.
        app.register_error_handler(Exception, handle_unexpected)
