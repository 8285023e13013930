"""The two data files a Mochi export (`.mochi`) may hold, decoded to plain Python values.

`data.json` is Transit JSON (what Mochi's own export writes: keys and keywords cached, `~#set`
tags), read with Cognitect's `transit-python`; `data.edn` is Clojure's EDN (older exports and the
Obsidian exporter), read with `edn_format`. Both become dicts keyed by the keywords' names
(`"name"`, `"parent-id"`, `"trashed?"`), lists for vectors, lists and sets, and strings, numbers,
booleans and None; other values (dates, uuids) become their text.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Mapping, Set as AbstractSet

from kg.errors import KGError


class MochiDataError(KGError):
    """A Mochi data file that cannot be decoded; `line` where known."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def read_transit(text: str):
    """The value a Transit JSON document holds, as plain values."""
    from transit.reader import Reader

    try:
        json.loads(text)  # a broken file is told by its line, which the Transit reader does not say
    except json.JSONDecodeError as error:
        raise MochiDataError(f"not valid JSON ({error.msg}, column {error.colno})", error.lineno) from None
    try:
        return plain(Reader("json").read(io.StringIO(text)))
    except RecursionError:
        raise
    except Exception as error:  # transit-python raises bare exceptions for values it cannot decode
        raise MochiDataError(f"not Transit data ({type(error).__name__}: {error})") from None


def read_edn(text: str):
    """The first value an EDN document holds, as plain values."""
    import edn_format

    try:
        return plain(edn_format.loads(text))
    except RecursionError:
        raise
    except Exception as error:  # edn_format's parser raises EDNDecodeError or its lexer's errors
        message = str(error).splitlines()[0][:160] if str(error) else type(error).__name__
        line = None
        # The parser names the token it stopped at, with its offset: say its line and what it is.
        if token := _LEX_TOKEN.search(message):
            line = text.count("\n", 0, int(token.group(3))) + 1
            message = f"unexpected {token.group(2)!r}"
        raise MochiDataError(f"not EDN data ({message})", line) from None


_LEX_TOKEN = re.compile(r"LexToken\((\w+),'(.*?)',\d+,(\d+)\)")


def plain(value):
    """`value` with keywords as their names, maps as dicts, sequences and sets as lists."""
    if isinstance(value, Mapping):
        return {_key(k): plain(v) for k, v in value.items()}
    if _is_keyword(value):
        return _name(value)
    if type(value).__name__ == "Boolean":  # transit's true and false
        return bool(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, AbstractSet):
        # A set has no order, and a Python set's changes with each process's string hashing:
        # sorted, a card's tags read the same in every run.
        return sorted((plain(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True, default=str))
    if isinstance(value, Iterable) and not isinstance(value, (bytes, bytearray)):
        return [plain(v) for v in value]  # vectors, lists (edn_format's ImmutableList too)
    return str(value)


def _is_keyword(value) -> bool:
    return type(value).__name__ in ("Keyword", "Symbol")


def _name(value) -> str:
    # transit's Keyword keeps its name in `.str`; edn_format's in `.name`; both print it.
    for attribute in ("str", "name"):
        name = getattr(value, attribute, None)
        if isinstance(name, str):
            return name.lstrip(":")
    return str(value).lstrip(":")


def _key(value) -> str:
    if _is_keyword(value):
        return _name(value)
    return value if isinstance(value, str) else json.dumps(plain(value), default=str)
