"""Opening text deck files: encoding detection, binary sniffing and line reading in bounded memory."""

from __future__ import annotations

import codecs
import io
import re
from pathlib import Path
from typing import Iterator

from kg.errors import DeckError, printable
from kg.readers.charsets import legacy_codec

MAX_LINE_CHARS = 1 << 20  # one line (or field) longer than this is cut: memory stays bounded
SNIFF_BYTES = 8192
_SCAN_CHUNK = 1 << 20
# Bytes that never occur in text decks (NUL and the C0 controls other than tab, newlines, ESC, 0x1f).
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\x0c\x1b\x1f")
# Text with a few NUL bytes in it (a stray one, or the run of NULs a crash or a full disk leaves at a
# note's end) is still text: up to this many, or this share of the rest of the sniffed bytes.
_STRAY_NULS, _STRAY_NUL_SHARE = 8, 0.01
#: How the notes on a file read in spite of its bytes begin: warnings, not text left out.
READ_NOTES = ("not UTF-8", "NUL bytes")


def sniff_encoding(path: str | Path) -> tuple[str, str | None]:
    """Return (codec, note) for a text deck; note says when the file was not UTF-8 or held NUL bytes.

    UTF-8 (with or without BOM) and UTF-16/32 with BOM are taken as they are; anything else that is
    not valid UTF-8 is read in the non-Latin code page it was saved in (Shift-JIS, GBK, cp1251...:
    `kg.readers.charsets`), else as cp1252, or latin-1 when cp1252 cannot decode it (latin-1 never fails).
    Raises DeckError for binary content; a few NUL bytes in text (which `open_text` leaves out) are
    said in the note instead.
    """
    with open(path, "rb") as f:
        head = f.read(SNIFF_BYTES)
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if head.startswith(bom):
            return codec, None
    bomless = _bomless_utf16(head)
    if bomless:
        return bomless, None
    nuls = _stray_nuls(head, whole=len(head) < SNIFF_BYTES)
    if head and (nuls is None or _control_ratio(head.replace(b"\x00", b"")) > 0.05):
        raise DeckError(path, "not a text deck (binary content)")
    said = " and NUL bytes (\\0) in it ignored" if nuls else ""
    if _decodes(path, "utf-8"):
        where = f"of its {len(head)} bytes" if len(head) < SNIFF_BYTES else f"in its first {SNIFF_BYTES >> 10} KB"
        return "utf-8", f"NUL bytes (\\0) in the text ignored ({nuls} {where})" if nuls else None
    latin = "cp1252" if _decodes(path, "cp1252") else "latin-1"
    legacy = legacy_codec(path, latin)
    if legacy:
        return legacy[0], f"not UTF-8; read as {legacy[0]} ({legacy[1]}; check the characters){said}"
    return latin, f"not UTF-8; read as {latin} (check accented characters){said}"


def _stray_nuls(head: bytes, *, whole: bool) -> int | None:
    """How many NUL bytes the sniffed bytes hold when they are few enough for text (a run of them
    ending the file, when `head` is all of it, is not counted against the rest); None when too many."""
    count = head.count(b"\x00")
    if not count:
        return 0
    rest = head.rstrip(b"\x00") if whole else head
    if not rest or rest.count(b"\x00") > max(_STRAY_NULS, _STRAY_NUL_SHARE * len(rest)):
        return None
    return count


def _control_ratio(data: bytes) -> float:
    return (len(data) - len(data.translate(None, _CONTROL))) / len(data)


def _bomless_utf16(head: bytes) -> str | None:
    # ASCII-heavy UTF-16 without BOM shows as NULs on every other byte.
    sample = head[: len(head) - len(head) % 2]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _decodes(path: str | Path, codec: str) -> bool:
    decoder = codecs.getincrementaldecoder(codec)()
    try:
        with open(path, "rb") as f:
            while chunk := f.read(_SCAN_CHUNK):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def open_text(path: str | Path, codec: str) -> io.TextIOBase:
    """Open for reading with untranslated line endings (what the csv module needs), NUL bytes
    (no character of any deck; `sniff_encoding` says when a file holds some) left out."""
    return _WithoutNul(open(path, encoding=codec, errors="replace", newline=""))


class _WithoutNul(io.TextIOBase):
    """A text stream that reads as the one it wraps, less its NUL characters."""

    def __init__(self, stream: io.TextIOBase):
        self._stream = stream

    def read(self, size: int = -1) -> str:
        return self._stream.read(size).replace("\x00", "")

    def readline(self, size: int = -1) -> str:
        while True:  # a part of a line that was only NULs is no end of the file
            raw = self._stream.readline(size)
            line = raw.replace("\x00", "")
            if line or not raw:
                return line

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._stream.close()
        super().close()


_EOL = re.compile(r"(\r\n|\r|\n)$")


class LineReader:
    """Iterates a text stream line by line (endings kept), cutting lines over `max_chars`.

    `lineno` is the number of the last line handed out; problems met on the way (a cut line)
    collect in `problems` for the caller to pass on. `skip_long` drops a long line instead of
    cutting it, for formats where half a line would be misread (delimited text).
    """

    def __init__(self, stream, path, *, max_chars: int = MAX_LINE_CHARS, skip_long: bool = False):
        self._stream = stream
        self._path = path
        self._max = max_chars
        self._skip_long = skip_long
        self.lineno = 0
        self.problems: list[DeckError] = []

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = self._stream.readline(self._max + 1)
        if not line:
            raise StopIteration
        self.lineno += 1
        if len(line) > self._max and not _EOL.search(line):
            ending = self._discard_rest()
            limit = _size(self._max)
            if self._skip_long:
                self.problems.append(DeckError(self._path, f"line over {limit} skipped", line=self.lineno))
                return ending
            self.problems.append(DeckError(self._path, f"line over {limit} truncated", line=self.lineno))
            return line[: self._max] + ending
        return line

    def _discard_rest(self) -> str:
        while True:
            rest = self._stream.readline(self._max)
            if not rest:
                return ""
            match = _EOL.search(rest)
            if match:
                return match.group(1)


def _size(chars: int) -> str:
    return f"{chars >> 20} MB" if chars >= 1 << 20 else f"{chars} characters"


def iter_lines(stream, path, **options) -> Iterator[tuple[int, str] | DeckError]:
    """(line number, line without its ending) pairs, with DeckErrors in between for cut lines."""
    reader = LineReader(stream, path, **options)
    for line in reader:
        yield from reader.problems
        reader.problems.clear()
        yield reader.lineno, _EOL.sub("", line)


def read_lines(path: Path, codec: str, lines: list[tuple[int, str]]) -> Iterator[DeckError]:
    """Append the numbered lines of a text deck to `lines`, yielding the problems met on the way.

    Readers that need the whole file before they can place a card (a question is known by what
    follows it) use this; the problems still come out in file order.
    """
    with open_text(path, codec) as stream:
        for item in iter_lines(stream, path):
            if isinstance(item, DeckError):
                yield item
            else:
                lines.append(item)


def humanise(stem: str) -> str:
    """A deck name from a file name: `attention_is_all_you_need` -> `Attention is all you need`
    (bytes of it that are no UTF-8 become `\ufffd`, as `kg.errors.printable` has them)."""
    stem = printable(stem, one_line=False)
    words = re.sub(r"[_\-\s]+", " ", stem).strip()
    if not words:
        return stem or "Deck"
    return words[0].upper() + words[1:] if words[:1].islower() else words


def one_line(text: str, limit: int = 200) -> str:
    """Squash a message fragment (a name, an exception text) onto one short line."""
    text = re.sub(r"\s+", " ", str(text)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
