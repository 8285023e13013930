"""bench/replicate.py, which makes the million-card PostgreSQL graph of bench/README.md: a loaded
synthetic store copied R times holds the cards, decks and concepts that bench/synthetic.py
makes of R times the copies, and a server reads the copies as one graph."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import psycopg

from kg.store import open_store
from kg.store.load import STORE_FILE, load_sqlite
from kg.store.postgres_load import load_tables
from kg.workspace import Workspace
from postgres import postgres_server  # noqa: F401  (the session's PostgreSQL server)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from replicate import Replicas, fill, hubs  # noqa: E402
from synthetic import synthesize  # noqa: E402

TIMES = 3


def _synthetic_store(source, copies: int, out: Path) -> Path:
    with Workspace.open(source) as ws:
        size = copies * len(list(ws.cards()))
    synthesize(source, size, out)
    load_sqlite(out)
    return out / STORE_FILE


def test_copies_of_a_synthetic_store_hold_what_synthetic_makes_of_more_copies(bundled_workspace, tmp_path,
                                                                               postgres_server):
    two = _synthetic_store(bundled_workspace, 2, tmp_path / "two")
    six = sqlite3.connect(_synthetic_store(bundled_workspace, 2 * TIMES, tmp_path / "six"))
    base = sqlite3.connect(two)
    rep = Replicas(base, TIMES)
    assert rep.copies == 2
    admin = postgres_server.url().rsplit("/", 1)[0]
    with psycopg.connect(admin + "/kg", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = 'kg_replicated'").fetchone():
            conn.execute("CREATE DATABASE kg_replicated")
    report = load_tables(admin + "/kg_replicated", fill(base, rep, hubs(two, rep)), grant_to=postgres_server.reader)

    with psycopg.connect(admin + "/kg_replicated") as conn:
        def rows(query):
            return set(conn.execute(query.format(s=report.generation)))

        # Every card and deck, and the concepts on as many cards. Not every concept: one the build
        # merged from several keys (an acronym and its expansion, renamed in some copies and not
        # in others) is copied as a shared one.
        copied = rows("SELECT id, kind, cards FROM {s}.nodes")
        direct = set(six.execute("SELECT id, kind, cards FROM nodes"))
        assert {r for r in copied if r[1] != "concept"} == {r for r in direct if r[1] != "concept"}
        concepts = {r for r in direct if r[1] == "concept"}
        assert len(concepts - copied) <= 0.05 * len(concepts), sorted(concepts - copied)
        mentions = "SELECT u, v, kind FROM {s}.edges WHERE kind IN ('mentions', 'contains')"
        copied, direct = rows(mentions), set(six.execute(mentions.replace("{s}.", "")))
        assert len(copied ^ direct) <= 0.05 * len(direct), sorted(copied ^ direct)[:10]
        assert rows("SELECT count(*) FROM {s}.search_cards") == set(six.execute("SELECT count(*) FROM search_cards"))

    # A concept every copy shares is found on the cards of every copy, by search and on its page.
    store = open_store(postgres_server.url(postgres_server.reader).rsplit("/", 1)[0] + "/kg_replicated")
    try:
        shared = [n for n, in base.execute("SELECT id FROM nodes WHERE kind = 'concept' ORDER BY cards DESC")
                  if rep.shared(n)][0]
        label = store.nodes([shared])[shared]["label"]
        cards = store.concept_cards(shared)
        once = open_store(f"sqlite:{two}")
        assert len(cards) == TIMES * len(once.concept_cards(shared))
        once.close()
        assert {c["deck"].rpartition(" (")[2] for c in cards} >= {f"{g})" for g in range(1, 2 * TIMES)}
        found = store.search(label, limit=2 * TIMES)
        assert found["concepts"][0]["id"] == shared, found["concepts"][:3]
        assert len({c["id"] for c in found["cards"]}) == 2 * TIMES
    finally:
        store.close()
