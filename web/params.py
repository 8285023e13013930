"""Request parameters and URL ids, checked strictly: anything malformed is a 400 (or a 404 id)."""

from __future__ import annotations

import re
from urllib.parse import quote

from flask import Flask, abort, request
from werkzeug.routing import BaseConverter

# Node ids as kg.graph makes them: concept slugs are lower-case letters and digits (of any script:
# "して", "что") joined by single dashes. Card ids are short hex digests, or the guid the deck gave the card; Anki's
# guids use 91 printable ASCII characters, `/ ? # % &` among them, so a card id is any short run
# of printable ASCII and is percent-encoded whole in URLs.
CONCEPT_SLUG = re.compile(r"[^\W_A-Z]+(?:-[^\W_A-Z]+)*\Z")
CARD_ID_CHARS = r"[!-~]{1,64}"
CARD_ID = re.compile(CARD_ID_CHARS + r"\Z")
MAX_SLUG = 200
MAX_QUERY = 200


def concept_node(slug: str) -> str:
    """The node id of a concept slug from a URL (404 when it cannot be one)."""
    if len(slug) > MAX_SLUG or not CONCEPT_SLUG.match(slug):
        abort(404, f"There is no concept called {slug[:60]!r}.")
    return f"concept:{slug}"


def card_node(card_id: str) -> str:
    """The node id of a card id from a URL (404 when it cannot be one)."""
    if not CARD_ID.match(card_id):
        abort(404, "There is no card with that id.")
    return f"card:{card_id}"


def int_arg(name: str, default: int, *, low: int, high: int) -> int:
    """An integer query parameter within [low, high]; 400 otherwise."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not re.fullmatch(r"[0-9]{1,7}", raw):
        abort(400, f"{name} must be a whole number from {low} to {high}.")
    value = int(raw)
    if not low <= value <= high:
        abort(400, f"{name} must be from {low} to {high}.")
    return value


def text_arg(name: str, *, max_length: int = MAX_QUERY) -> str:
    """A short free-text query parameter, stripped ("" when absent); 400 when too long."""
    value = request.args.get(name, "")
    if len(value) > max_length:
        abort(400, f"{name} is longer than {max_length} characters.")
    return " ".join(value.split())


class CardIdConverter(BaseConverter):
    """`<card_id:...>` in routes: a card id, which may hold a `/`, quoted whole when built."""

    regex = CARD_ID_CHARS
    part_isolating = False

    def to_url(self, value: str) -> str:
        return quote(value, safe="")


def init_app(app: Flask) -> None:
    """Teach the URL map the card id converter (before any blueprint uses it)."""
    app.url_map.converters["card_id"] = CardIdConverter
