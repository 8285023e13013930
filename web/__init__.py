"""The web explorer: every page of the knowledge graph, each with a JSON twin under /api/."""

from __future__ import annotations

import os

from flask import Flask


def create_app(test_config=None):
    """Create the explorer for the workspace named by `KG_WORKSPACE` (config or environment)."""
    app = Flask(__name__)
    app.config.from_mapping(
        KG_WORKSPACE=os.environ.get("KG_WORKSPACE", ".kg"),
    )
    if test_config is not None:
        app.config.from_mapping(test_config)

    from kg.store import is_served_from_disk

    if is_served_from_disk(app.config["KG_WORKSPACE"]):
        from kg.web import store_app

        return store_app.init_app(app)

    from kg.web import errors, filters, graph, params, scope, security, timing

    timing.init_app(app)
    params.init_app(app)
    scope.init_app(app)
    graph.init_app(app)
    errors.init_app(app)
    filters.init_app(app)
    security.init_app(app)

    from kg.web import assets, community, explore, export, live, path, search

    app.register_blueprint(assets.bp)
    app.register_blueprint(explore.bp)
    app.register_blueprint(community.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(path.bp)
    app.register_blueprint(export.bp)
    live.init_app(app)
    if app.config.get("KG_PRELOAD", True):
        graph.start_loading(app)
    return app
