"""Hand curation of concepts: a small TOML file (cards/concepts.toml) that corrects extraction.

The file's own header documents its format. Every concept named in it goes through
`kg.nlp.normalize.normalize_key`, so "Feature Stores" in the file is the key "feature store".
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from kg.errors import CurationError
from kg.nlp.normalize import normalize_key

SECTIONS = ("add", "hide", "aliases", "merge", "parent", "part_of")
_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")


@dataclass
class Curation:
    """What the curation file says; empty when there is none."""

    add_terms: list[str] = field(default_factory=list)
    hidden: set[str] = field(default_factory=set)
    aliases: dict[str, list[str]] = field(default_factory=dict)  # concept key -> alias texts
    merges: dict[str, str] = field(default_factory=dict)  # merged key -> surviving key
    parents: dict[str, list[str]] = field(default_factory=dict)  # child key -> parent keys (is_a)
    part_of: dict[str, list[str]] = field(default_factory=dict)  # part key -> whole keys
    source: str = ""

    @classmethod
    def load(cls, path: str | Path | None) -> "Curation":
        """Read a curation file; None or a missing file gives an empty curation."""
        if path is None or not Path(path).is_file():
            return cls()
        text = Path(path).read_text(encoding="utf-8")
        return cls.from_toml(text, source=str(path))

    @classmethod
    def from_toml(cls, text: str, *, source: str = "concepts.toml") -> "Curation":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            match = _TOML_LINE.search(str(exc))
            line = match[1] if match else (len(text.splitlines()) or 1)  # "at end of document"
            where = f"{source}:{line}"
            reason = _TOML_LINE.sub("", str(exc)).strip()
            raise CurationError(f"{where}: {reason}") from None
        unknown = sorted(set(data) - set(SECTIONS))
        if unknown:
            raise CurationError(
                f"{_where(source, text, unknown[0])}: unknown section {unknown[0]!r}; "
                f"expected one of {', '.join(SECTIONS)}"
            )
        curation = cls(source=source)
        curation.add_terms = _strings(data, "add", source, text)
        curation.hidden = {normalize_key(t) for t in _strings(data, "hide", source, text)}
        for alias, concept in _table(data, "aliases", source, text).items():
            for name in concept:
                curation.aliases.setdefault(normalize_key(name), []).append(alias)
        for old, new in _table(data, "merge", source, text).items():
            if len(new) != 1:
                raise CurationError(f"{_where(source, text, old)}: merge {old!r} into one concept, not a list")
            curation.merges[normalize_key(old)] = normalize_key(new[0])
        for section, target in (("parent", curation.parents), ("part_of", curation.part_of)):
            for child, parents in _table(data, section, source, text).items():
                target.setdefault(normalize_key(child), []).extend(normalize_key(p) for p in parents)
        return curation

    def canonical(self, key: str, *, normalized: bool = False) -> str | None:
        """The key a concept is shown under after aliases and merges; None if it is hidden.

        `normalized=True` says `key` already is a `normalize_key` output (as every extracted key
        is), which spares normalizing it again: on a big deck that is most of the graph's build.
        """
        if not normalized:
            key = normalize_key(key)
        key = self._alias_of.get(key, key)
        seen = {key}
        while key in self.merges and self.merges[key] not in seen:
            key = self.merges[key]
            seen.add(key)
        return None if key in self.hidden else key

    @cached_property
    def _alias_of(self) -> dict[str, str]:
        return {normalize_key(a): concept for concept, names in self.aliases.items() for a in names}

    def __bool__(self) -> bool:
        return any((self.add_terms, self.hidden, self.aliases, self.merges, self.parents, self.part_of))


def _where(source: str, text: str, name: str) -> str:
    """`source:line` of the line that defines `name` (a key or a section), so errors point into the file."""
    defines = re.compile(rf"""^\s*(\[\s*{re.escape(name)}\s*\]|(["']?){re.escape(name)}\2\s*=)""")
    for number, line in enumerate(text.splitlines(), start=1):
        if defines.match(line):
            return f"{source}:{number}"
    return source


def _strings(data: dict, section: str, source: str, text: str) -> list[str]:
    value = data.get(section, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CurationError(f"{_where(source, text, section)}: {section} must be a list of strings")
    return value


def _table(data: dict, section: str, source: str, text: str) -> dict[str, list[str]]:
    value = data.get(section, {})
    if not isinstance(value, dict):
        raise CurationError(f"{_where(source, text, section)}: [{section}] must be a table of \"name\" = \"concept\"")
    out = {}
    for name, target in value.items():
        targets = [target] if isinstance(target, str) else target
        if not isinstance(targets, list) or not targets or not all(isinstance(t, str) for t in targets):
            raise CurationError(
                f"{_where(source, text, name)}: [{section}] {name!r} must name a concept (a string or a list of strings)"
            )
        out[name] = targets
    return out
