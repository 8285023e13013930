"""A concept URL written with a name the concept goes by.

A concept's id comes from its key, which a reader may never see: the deck writes "HTTP APIs",
the key is "hypertext transfer protocol api" (the deck defines HTTP), so /concept/http-apis, or
a bookmark made before a curation merge, would be a dead end. A concept page asked by a slug that
is no concept's but is the slug of exactly one concept's label or alias (as written or as a key,
"http-api") redirects to that concept's page; anything else stays a 404.
"""

from __future__ import annotations

from flask import abort, redirect, request, url_for

from kg.ids import slug as slug_of
from kg.nlp import normalize_key

#: Candidates asked of completion for a missing slug; a name that slugs to it is among the first.
CANDIDATES = 10


def redirect_to_named(missing: str, suggest) -> None:
    """Redirect this request to the concept named `missing` (a slug), if there is exactly one;
    return when there is none. `suggest(text, limit=...)` is the backend's completion."""
    text = missing.replace("-", " ")
    key = slug_of(normalize_key(text))  # "ml-lifecycles" is "ML lifecycle" too
    found = set()
    for asked in dict.fromkeys((text, key.replace("-", " "))):
        found |= {c["id"] for c in suggest(asked, limit=CANDIDATES)
                  if any(slug_of(name) == missing or slug_of(normalize_key(name)) == key
                         for name in (c["label"], *c.get("aliases", ())))}
    if len(found) != 1:
        return
    target = found.pop().removeprefix("concept:")
    args = request.args.to_dict(flat=False)
    args.pop("slug", None)  # the path's, not a query's
    abort(redirect(url_for(request.endpoint, slug=target, **args), code=302))
