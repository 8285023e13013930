"""Why a file that should be a zip archive (an Anki package, a Mochi export) cannot be opened as one,
said so a user knows what to do: an unfinished download, a web page saved in its place, an empty
file, or an Anki collection under a package's name."""

from __future__ import annotations

from pathlib import Path

_ZIP_MAGIC = b"PK"
_SQLITE_MAGIC = b"SQLite format 3\x00"


def not_a_zip(path: str | Path, what: str) -> str:
    """The one-line reason `path`, meant to be `what` ("an Anki package"), is no readable zip.

    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile(suffix=".apkg", delete=False) as f:
    ...     _ = f.write(b"PK\\x03\\x04 cut short")
    >>> not_a_zip(f.name, "an Anki package")
    'damaged Anki package: its zip archive is cut short or corrupt (a download or copy that did not finish?)'
    >>> os.unlink(f.name)
    """
    try:
        with open(path, "rb") as f:
            head = f.read(512)
    except OSError:
        head = b""
    name = what.split(" ", 1)[-1] if what.startswith(("a ", "an ")) else what
    if not head:
        return f"empty file (0 bytes), not {what}"
    if head.startswith(_ZIP_MAGIC):
        return f"damaged {name}: its zip archive is cut short or corrupt (a download or copy that did not finish?)"
    if head.startswith(_SQLITE_MAGIC):
        return f"not {what} but a SQLite database (an Anki collection? name it .anki2 to read it as one)"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in start[:200]:
        return f"not {what} but a web page (HTML): saved in place of the download?"
    return f"not {what} (not a zip file)"
