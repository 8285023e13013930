"""The one exception hierarchy of kg: the library raises these, the CLI and web layer format them."""


class KGError(Exception):
    """Base class of every error kg raises on purpose; its message is one line a user can act on."""


def printable(name, *, one_line: bool = True) -> str:
    """A file name as it can be printed on one line and stored: bytes of it that are no UTF-8 (which
    Python holds as lone surrogates, `caf\\udce9.md`, and no terminal or database accepts) become
    `\ufffd`, and (`one_line`) a line break or other control character in it its escape (`new\\nline.md`)."""
    text = str(name)
    try:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    if one_line and any(ord(c) < 32 or ord(c) == 127 for c in text):
        text = "".join(c.encode("unicode_escape").decode("ascii") if ord(c) < 32 or ord(c) == 127 else c
                       for c in text)
    return text


class DeckError(KGError):
    """A deck file (or one record in it) could not be read; the message starts with `path[:line]: `."""

    def __init__(self, path, message, *, line=None):
        self.path = printable(path)
        self.line = line
        self.reason = message
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


class ModelError(KGError):
    """The spaCy pipeline could not be loaded."""


class CurationError(KGError):
    """The curation file (cards/concepts.toml) is malformed."""


class WorkspaceError(KGError):
    """The workspace is missing, from another version, or could not be written."""


class NotFound(KGError):
    """A concept, card or deck id that does not exist in the workspace."""


class ExportError(KGError):
    """An export could not be written."""


class ClusterError(KGError):
    """A Dask scheduler could not be reached, has no workers, or its workers cannot extract."""
