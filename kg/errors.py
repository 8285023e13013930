"""The one exception hierarchy of kg: the library raises these, the CLI and web layer format them."""


class KGError(Exception):
    """Base class of every error kg raises on purpose; its message is one line a user can act on."""


class DeckError(KGError):
    """A deck file (or one record in it) could not be read; the message starts with `path[:line]: `."""

    def __init__(self, path, message, *, line=None):
        self.path = str(path)
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
