"""Anki packages (.apkg decks, .colpkg whole collections): a zip holding one SQLite collection.

The package's `meta` member (a protobuf `PackageMetadata`, field 1 `version`) names the collection
that holds the notes: 1 `collection.anki2`, 2 `collection.anki21`, 3 `collection.anki21b` (zstd-
compressed, written by Anki 2.1.50 and later, which put a placeholder note in `collection.anki2` for
older versions). Without `meta`, `collection.anki21` comes before `collection.anki2`.

No member is ever extracted by its own name: the collection is copied, size-capped as it inflates
(the zip header and the zstd frame may both lie or say nothing about the size), into a temporary
file this module names, and unsafe member names are reported.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import IO, Iterator

import zstandard

from kg.cards import Card
from kg.errors import DeckError
from kg.readers.archives import not_a_zip
from kg.readers.anki._protobuf import media_entry_names, varint_field
from kg.readers.anki.collection import PackageInfo, read_collection_file
from kg.readers.textio import one_line

MAX_COLLECTION_BYTES = 512 << 20
MAX_MEDIA_BYTES = 64 << 20
_CHUNK = 1 << 20
_BY_VERSION = {1: "collection.anki2", 2: "collection.anki21", 3: "collection.anki21b"}
_WITHOUT_META = ("collection.anki21", "collection.anki2", "collection.anki21b")
_ZSTD = "collection.anki21b"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


def iter_package(path: str | Path, *, max_bytes: int = MAX_COLLECTION_BYTES) -> Iterator[Card | DeckError]:
    """Cards of an Anki package (.apkg or .colpkg); DeckErrors for what is wrong with it."""
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError):
        yield DeckError(path, not_a_zip(path, "an Anki package"))
        return
    with archive, tempfile.TemporaryDirectory(prefix="kg-apkg-") as workdir:
        members = {}
        for info in archive.infolist():
            if _unsafe(info.filename):
                yield DeckError(path, f"unsafe member name {one_line(info.filename, 80)!r} ignored")
                continue
            members.setdefault(info.filename, info)
        version = _package_version(archive, members.get("meta"))
        name = _collection_member(version, members)
        if name is None:
            yield DeckError(path, "not an Anki package (no collection.anki2 inside)")
            return
        database = os.path.join(workdir, "collection.sqlite")
        problem = _copy_capped(archive, members[name], database, max_bytes)
        if problem:
            yield DeckError(path, problem)
            return
        yield from read_collection_file(path, database, PackageInfo(member=name, version=version))


def package_media(path: str | Path) -> dict[str, str]:
    """The media of a package: {file name as the notes use it: zip member}; {} when none.

    Legacy packages list them as JSON, Anki 2.1.50+ as a zstd-compressed protobuf (`MediaEntries`).
    """
    try:
        with zipfile.ZipFile(path) as archive:
            info = next((i for i in archive.infolist() if i.filename == "media"), None)
            if info is None or info.file_size > MAX_MEDIA_BYTES:
                return {}
            data = archive.read(info)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
        return {}
    if data.startswith(_ZSTD_MAGIC):
        try:
            data = _bounded_zstd(data, MAX_MEDIA_BYTES)
        except (zstandard.ZstdError, ValueError):
            return {}
        return {name: str(i) for i, name in enumerate(media_entry_names(data)) if name}
    try:
        listing = json.loads(data.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError):
        return {}
    if not isinstance(listing, dict):
        return {}
    return {str(name): str(member) for member, name in listing.items() if not _unsafe(str(member))}


def read_media(path: str | Path, name: str, *, max_bytes: int = MAX_MEDIA_BYTES) -> bytes | None:
    """The bytes of the media file `name` of a package (None if absent, unsafe or over `max_bytes`).

    The member is looked up through the package's own media list, never opened by a name a note
    gives, and inflated with a bound.
    """
    member = package_media(path).get(name)
    if member is None:
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo(member)
            with archive.open(info) as source:
                data = source.read(max_bytes + 1)
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
        return None
    if len(data) > max_bytes:
        return None
    if data.startswith(_ZSTD_MAGIC):  # 2.1.50+ packages compress every media file
        try:
            data = _bounded_zstd(data, max_bytes)
        except (zstandard.ZstdError, ValueError):
            return None
    return data


def _unsafe(name: str) -> bool:
    for flavour in (PurePosixPath, PureWindowsPath):
        pure = flavour(name)
        if pure.is_absolute() or ".." in pure.parts or pure.drive:
            return True
    return False


def _package_version(archive: zipfile.ZipFile, info: zipfile.ZipInfo | None) -> int | None:
    """`PackageMetadata.version`, or None without a readable `meta`."""
    if info is None or info.file_size > 1024:
        return None
    try:
        data = archive.read(info)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
        return None
    return varint_field(data, 1)


def _collection_member(version: int | None, members: dict) -> str | None:
    preferred = _BY_VERSION.get(version) if version else None
    if preferred is None and version and version > 3 and _ZSTD in members:
        preferred = _ZSTD  # a newer package version: its collection is still the zstd one
    if preferred in members:
        return preferred
    return next((name for name in _WITHOUT_META if name in members), None)


def _copy_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: str, max_bytes: int) -> str | None:
    limit = f"{max_bytes >> 20} MiB" if max_bytes >= 1 << 20 else f"{max_bytes} bytes"
    compressed = info.filename == _ZSTD
    if not compressed and info.file_size > max_bytes:
        return f"{info.filename} would inflate to {info.file_size} bytes, over the {limit} limit"
    written = 0
    try:
        with archive.open(info) as member, open(target, "wb") as sink:
            source: IO[bytes] = member
            if compressed:
                # Anki writes the frame without a content size: stream it, counting what comes out.
                source = zstandard.ZstdDecompressor().stream_reader(member, read_across_frames=True)
            # The zip header's size may lie: count what really comes out.
            while chunk := source.read(_CHUNK):
                written += len(chunk)
                if written > max_bytes:
                    return f"{info.filename} inflates past the {limit} limit"
                sink.write(chunk)
        if compressed and written == 0:
            return f"corrupt Anki collection ({info.filename} decompresses to nothing)"
    except zstandard.ZstdError as error:
        return f"corrupt Anki collection ({info.filename} does not decompress: {one_line(error, 100)})"
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as error:
        return f"unreadable {info.filename} ({one_line(error, 120)})"
    return None


def _bounded_zstd(data: bytes, max_bytes: int) -> bytes:
    reader = zstandard.ZstdDecompressor().stream_reader(data, read_across_frames=True)
    out = reader.read(max_bytes + 1)
    if len(out) > max_bytes:
        raise ValueError("over the size limit")
    return out
