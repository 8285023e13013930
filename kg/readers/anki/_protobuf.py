"""Just enough protobuf for Anki's small messages: `meta`, note type kind, media lists."""

from __future__ import annotations

from typing import Iterator


def _varint(data: bytes, i: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if i >= len(data) or shift > 63:
            raise ValueError("truncated varint")
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, i


def fields(data: bytes) -> Iterator[tuple[int, int | bytes]]:
    """(field number, value) of a protobuf message: varints as ints, length-delimited as bytes."""
    i = 0
    while i < len(data):
        key, i = _varint(data, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(data, i)
            yield number, value
        elif wire == 2:
            size, i = _varint(data, i)
            if i + size > len(data):
                raise ValueError("truncated field")
            yield number, data[i : i + size]
            i += size
        elif wire in (1, 5):
            i += 8 if wire == 1 else 4
        else:
            raise ValueError(f"unsupported wire type {wire}")


def varint_field(data: bytes, number: int) -> int | None:
    try:
        return next((v for n, v in fields(data) if n == number and isinstance(v, int)), None)
    except ValueError:
        return None


def media_entry_names(data: bytes) -> list[str]:
    """Names of `MediaEntries.entries` (field 1), each a `MediaEntry` whose name is field 1."""
    names = []
    try:
        for number, entry in fields(data):
            if number != 1 or not isinstance(entry, bytes):
                continue
            name = next((v for n, v in fields(entry) if n == 1 and isinstance(v, bytes)), b"")
            names.append(name.decode("utf-8", "replace"))
    except ValueError:
        return names
    return names
