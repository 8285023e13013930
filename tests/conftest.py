"""Shared fixtures: real files, the real spaCy model, the real graph of the bundled deck.

Fixtures that only one test module needs live in that module."""

from __future__ import annotations

import json
import os
import sqlite3
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The real decks and the GraphML schema: beside the repository, or where KG_SHARED_DIR says.
SHARED = Path(os.environ.get("KG_SHARED_DIR") or ROOT.parent / "shared")
DATA = Path(__file__).resolve().parent / "data"


def pytest_configure(config):
    # CI sets KG_REQUIRE_SHARED: there a missing ../shared is an error, never a quiet skip.
    if os.environ.get("KG_REQUIRE_SHARED") and not SHARED.is_dir():
        raise pytest.UsageError(f"{SHARED} is absent, and KG_REQUIRE_SHARED asks for the real decks")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    # Only a contributor without ../shared skips; CI fails instead (KG_REQUIRE_SHARED, .ci/run).
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: the real decks and the GraphML schema live there")
    return SHARED


@pytest.fixture(scope="session")
def seed_file(shared_dir) -> Path:
    return shared_dir / "seeds" / "000_8194fc9e204f2484.txt"


@pytest.fixture(scope="session")
def bundled_cards_dir() -> Path:
    return ROOT / "cards"


@pytest.fixture(scope="session")
def nlp():
    from kg.nlp import load_model

    return load_model()


@pytest.fixture(scope="session")
def curation(bundled_cards_dir):
    from kg.curation import Curation

    return Curation.load(bundled_cards_dir / "concepts.toml")


@pytest.fixture(scope="session")
def bundled_cards(bundled_cards_dir):
    from kg.readers import read_decks

    result = read_decks([bundled_cards_dir])
    assert not result.problems, result.problems
    return result.cards


@pytest.fixture(scope="session")
def bundled_extractions(bundled_cards, nlp, curation):
    from kg.nlp import extract

    return list(extract(bundled_cards, nlp=nlp, curation=curation))


@pytest.fixture(scope="session")
def bundled_graph(bundled_cards, bundled_extractions, curation):
    from kg.graph import build_graph

    return build_graph(bundled_cards, bundled_extractions, curation=curation)


@pytest.fixture(scope="session")
def bundled_workspace(tmp_path_factory, bundled_cards_dir, nlp):
    """A workspace built once from the bundled deck, shared read-only by tests."""
    from kg.build import build

    workspace = tmp_path_factory.mktemp("bundled") / ".kg"
    report = build([bundled_cards_dir], workspace=workspace, nlp=nlp)
    assert not report.problems, report.problems
    return workspace


def _make_apkg(path: Path, notes, *, decks=None, member="collection.anki2", extra_members=(), media=None) -> Path:
    """A legacy Anki package: `notes` are (guid, [fields], tags, deck id) tuples; `media` maps
    file names to their bytes."""
    decks = decks or {1: "Default"}
    db = path.with_suffix(".anki2.tmp")
    con = sqlite3.connect(db)
    con.executescript(
        """
        CREATE TABLE col (id integer primary key, crt integer, mod integer, scm integer, ver integer,
            dty integer, usn integer, ls integer, conf text, models text, decks text, dconf text, tags text);
        CREATE TABLE notes (id integer primary key, guid text, mid integer, mod integer, usn integer,
            tags text, flds text, sfld integer, csum integer, flags integer, data text);
        CREATE TABLE cards (id integer primary key, nid integer, did integer, ord integer, mod integer,
            usn integer, type integer, queue integer, due integer, ivl integer, factor integer,
            reps integer, lapses integer, left integer, odue integer, odid integer, flags integer, data text);
        """
    )
    models = {"100": {"name": "Basic", "type": 0, "flds": [{"name": "Front"}, {"name": "Back"}]}}
    con.execute(
        "INSERT INTO col VALUES (1,0,0,0,11,0,0,0,'{}',?,?,'{}','{}')",
        (json.dumps(models), json.dumps({str(k): {"id": k, "name": v} for k, v in decks.items()})),
    )
    for i, (guid, fields, tags, did) in enumerate(notes, start=1):
        con.execute(
            "INSERT INTO notes VALUES (?,?,100,0,0,?,?,0,0,0,'')", (1000 + i, guid, tags, "\x1f".join(fields))
        )
        con.execute("INSERT INTO cards VALUES (?,?,?,0,0,0,0,0,0,0,0,0,0,0,0,0,0,'')", (5000 + i, 1000 + i, did))
    con.commit()
    con.close()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(db, member)
        media = media or {}
        archive.writestr("media", json.dumps({str(i): name for i, name in enumerate(media)}))
        for i, data in enumerate(media.values()):
            archive.writestr(str(i), data)
        for name, data in extra_members:
            archive.writestr(name, data)
    db.unlink()
    return path


def _anki_basic_package(path: Path, notes, deck: str) -> Path:
    """A modern `.apkg` at `path` written by Anki's own library: Basic notes (front, back) in `deck`,
    through the judged decks' writer (bench/judged/anki_package.py), not a copy of it."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("anki_package", ROOT / "bench" / "judged" / "anki_package.py")
    writer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(writer)
    return writer.write_package([(f"kg-test-{i}", deck, "Basic", [front, back], [])
                                 for i, (front, back) in enumerate(notes)], path)


@pytest.fixture(scope="session")
def anki_basic_package():
    """`write(path, [(front, back), ...], deck)`: a real Anki package of Basic notes."""
    return _anki_basic_package


@pytest.fixture(scope="session")
def make_apkg():
    """A function writing a small legacy Anki package, for reader tests."""
    return _make_apkg


def find_concept(G, name):
    """The node of the concept named `name` (its key, label or an alias), or fail the test."""
    name = name.lower()
    for n, d in G.nodes(data=True):
        if d.get("kind") == "concept" and name in {d["key"], d["label"].lower(), *(a.lower() for a in d["aliases"])}:
            return n
    raise AssertionError(f"no concept {name!r}")


@pytest.fixture(scope="session")
def concept_named():
    """`find_concept`, for tests that look concepts up by name."""
    return find_concept


def _assert_same_graph(updated, fresh, *, communities=True):
    """Two graphs are the same: nodes, attributes and edges; a concept's importance may differ by
    kg.update.IMPORTANCE_TOLERANCE (an update rewrites it only when it moved more), and with
    `communities=False` its community number is not compared (an update keeps them)."""
    from kg.update import IMPORTANCE_TOLERANCE

    assert set(updated) == set(fresh)
    for node, attrs in fresh.nodes(data=True):
        got, want = dict(updated.nodes[node]), dict(attrs)
        if want.get("kind") == "concept":
            if not communities:
                got.pop("community"), want.pop("community")
            # The update's own rule: rewritten when it moved by more than the tolerance of the larger.
            g, w = got.pop("importance"), want.pop("importance")
            assert abs(g - w) <= IMPORTANCE_TOLERANCE * max(g, w) + 1e-8, (node, g, w)
        assert got == want, node
    want_edges = {(u, v, k): d for u, v, k, d in fresh.edges(keys=True, data=True)}
    got_edges = {(u, v, k): d for u, v, k, d in updated.edges(keys=True, data=True)}
    assert got_edges.keys() == want_edges.keys()
    assert [e for e in want_edges if got_edges[e] != want_edges[e]] == []


@pytest.fixture(scope="session")
def same_graph():
    return _assert_same_graph


# --- Anki's own files, made by Anki's own library ---------------------------------------------

# (deck, note type, fields, tags): nested decks, HTML, a field with a newline, a tab and quotes,
# clozes with several deletions, a reversed note type, image occlusion, a note type of 3 fields.
ANKI_NOTES = [
    ("Systems::Networks::DNS", "Basic", ["What does a <b>DNS</b> resolver do?",
     "It turns a host name into an IP&nbsp;address<br>and caches the answer for its TTL."], ["net", "dns"]),
    ("Systems::Networks::DNS", "Basic", ["Why do DNS records carry a TTL?",
     'So a resolver knows how long to cache the record:<br>\n"stale" answers\tend when the TTL ends.'], ["dns"]),
    ("Systems::Networks", "Basic (and reversed card)", ["Load balancer",
     "Spreads requests across servers so no single server is overloaded."], ["net"]),
    ("Systems::Networks", "Basic (and reversed card)", ["Reverse proxy",
     "A server in front of other servers; a load balancer is often a reverse proxy."], ["kg::stale-concept"]),
    ("Systems", "Cloze", ["A {{c1::load balancer}} spreads traffic; {{c2::consistent hashing}} keeps "
     "keys on the same server; a {{c3::cache}} keeps hot keys in memory.", "See the <i>scaling</i> notes."], ["scaling"]),
    ("Systems", "Cloze", ["{{c1::Consistent hashing}} moves only {{c2::k/n}} keys when a cache server joins.", ""], []),
    ("Systems::Storage", "Vocab", ["Write-ahead log", "A log of changes written before the data pages.",
     "SQLite in <code>WAL</code> mode keeps a write-ahead log beside the database."], ["storage", "sqlite"]),
    ("Systems::Storage", "Vocab", ["Cache eviction", "Removing entries from a cache when it is full.",
     "A least-recently-used cache evicts the oldest entry."], ["storage"]),
    ("Systems::Networks", "Image Occlusion", [
     "{{c1::image-occlusion:rect:left=.1:top=.2:width=.3:height=.2:oi=1}}"
     "{{c2::image-occlusion:rect:left=.5:top=.2:width=.3:height=.2:oi=1}}",
     '<img src="router.png">', "Parts of a load balancer", "Listener and server pool", ""], ["diagram"]),
]
ANKI_GUID_WITH_HASH = "#kg-test-1"  # a guid Anki's text import would take for a comment line if unquoted


def _anki_collection(folder: Path) -> Path:
    """A profile collection made by Anki itself, closed; returns the path of collection.anki2."""
    from anki.collection import Collection

    path = folder / "collection.anki2"
    col = Collection(str(path))
    models = col.models
    vocab = models.copy(models.by_name("Basic"))
    vocab["name"] = "Vocab"
    models.add_field(vocab, models.new_field("Example"))
    models.update_dict(vocab)
    col.media.write_data("router.png", b"\x89PNG\r\n\x1a\n" + bytes(64))
    for i, (deck, type_name, values, tags) in enumerate(ANKI_NOTES):
        note = col.new_note(models.by_name(type_name))
        for name, value in zip(note.keys(), values):
            note[name] = value
        note.tags = list(tags)
        if i == 1:
            note.guid = ANKI_GUID_WITH_HASH
        col.add_note(note, col.decks.id(deck))
    col.close()
    return path


def _borrow_into_a_filtered_deck(col) -> None:
    """A filtered deck borrows the storage cards: their home deck stays in cards.odid. (A deck
    package exported without scheduling turns it into a normal deck, so only the collection and
    the .colpkg, made after this, have one.)"""
    filtered = col.sched.get_or_create_filtered_deck(deck_id=0)
    filtered.name = "Review storage"
    filtered.config.search_terms[0].search = "tag:storage"
    filtered.config.search_terms[0].limit = 100
    col.sched.add_or_update_filtered_deck(filtered)


@pytest.fixture(scope="session")
def anki_note_count() -> int:
    """How many notes the collection of `anki_files` holds."""
    return len(ANKI_NOTES)


@pytest.fixture(scope="session")
def anki_files(tmp_path_factory) -> dict[str, Path]:
    """One deck as Anki writes it every way: profile collection, modern and legacy .apkg, .colpkg,
    the notes text export with every column. Read-only: copy `collection` before changing it."""
    from anki.collection import Collection, ExportAnkiPackageOptions

    folder = tmp_path_factory.mktemp("anki")
    (folder / "profile").mkdir()
    collection = _anki_collection(folder / "profile")
    col = Collection(str(collection))
    files = {"collection": collection}
    for name, legacy in (("modern", False), ("legacy", True)):
        files[name] = folder / f"{name}.apkg"
        col.export_anki_package(out_path=str(files[name]), limit=None,
                                options=ExportAnkiPackageOptions(legacy=legacy, with_media=True))
    files["notes"] = folder / "notes.txt"
    col.export_note_csv(out_path=str(files["notes"]), limit=None, with_html=True, with_tags=True,
                        with_deck=True, with_notetype=True, with_guid=True)
    _borrow_into_a_filtered_deck(col)
    files["colpkg"] = folder / "whole.colpkg"
    col.export_collection_package(str(files["colpkg"]), include_media=True, legacy=False)  # closes col
    return files


# Debian's Chromium, driven by Playwright (it cannot download a browser of its own here); the flags
# keep it from reaching for Google's hosts, which this machine's closed network refuses.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
