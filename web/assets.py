"""vis-network, served from the copy inside the installed pyvis package (no CDN)."""

from __future__ import annotations

from flask import Blueprint, abort, send_from_directory

from kg.views import VIS_CSS, VIS_DIR, VIS_JS

bp = Blueprint("assets", __name__, url_prefix="/vendor")

# Only these two names are ever served; the folder is fixed, never taken from the request.
VENDOR_FILES = frozenset({VIS_JS, VIS_CSS})
CACHE_SECONDS = 24 * 3600


@bp.get("/<name>")
def vendor(name):
    """One of the vendored vis-network files."""
    if name not in VENDOR_FILES:
        abort(404)
    return send_from_directory(VIS_DIR, name, max_age=CACHE_SECONDS)
