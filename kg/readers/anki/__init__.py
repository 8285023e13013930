"""Anki's own files: packages (`.apkg`, `.colpkg`) and collections (a profile's `collection.anki2`).

`iter_package(path)` and `iter_collection(path)` stream one file's cards and problems; one card per
note, with its guid, note type, every field, deck (`Parent::Child`) and tags. `field_roles` says
which field a card's question and answer come from; `read_media` reads one media file of a package.
"""

from kg.readers.anki.collection import iter_collection
from kg.readers.anki.notes import field_roles
from kg.readers.anki.package import MAX_COLLECTION_BYTES, iter_package, package_media, read_media

__all__ = ["iter_package", "iter_collection", "field_roles", "package_media", "read_media", "MAX_COLLECTION_BYTES"]
