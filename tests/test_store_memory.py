"""What a process serving from a store keeps: answers up to a budget of bytes, and a search's
mentions combined as their rows come, with the same answers as the in-memory graph."""

from __future__ import annotations

import psycopg
import psycopg.sql
import pytest
from postgres import postgres_server  # noqa: F401  (the session's PostgreSQL server)

from kg.store import open_store
from kg.store import sql_search
from kg.store.load import load_sqlite
from kg.store.postgres_load import load_postgres
from kg.web import create_app, store_app

QUERIES = ["drift", "model retraining", "kubeflo pipelines", "feature store", "data", "machine learning model"]


@pytest.fixture(scope="module")
def store_file(bundled_workspace, tmp_path_factory):
    report = load_sqlite(bundled_workspace, tmp_path_factory.mktemp("store") / "store.sqlite")
    return f"sqlite:{report.generation}"


@pytest.fixture(scope="module")
def store_database(bundled_workspace, postgres_server):
    """The bundled workspace in a database of its own, as its reader sees it."""
    with psycopg.connect(postgres_server.url(), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = 'kg_memory'").fetchone():
            conn.execute(psycopg.sql.SQL("CREATE DATABASE kg_memory"))
    load_postgres(bundled_workspace, postgres_server.url().rsplit("/", 1)[0] + "/kg_memory",
                  grant_to=postgres_server.reader)
    return postgres_server.url(postgres_server.reader).rsplit("/", 1)[0] + "/kg_memory"


@pytest.mark.parametrize("backend", ["store_file", "store_database"])
def test_a_search_combining_mentions_a_concept_at_a_time_answers_as_in_memory(bundled_workspace, backend,
                                                                              request, monkeypatch):
    memory, disk = open_store(bundled_workspace), open_store(request.getfixturevalue(backend))
    monkeypatch.setattr(sql_search, "MENTIONS_HELD", 1)
    batches = []
    index = disk.search_index()
    for query in QUERIES:
        stems = index.topic_stems(query, index.query_stems(query))
        batches.append(len(list(index.mention_batches(index.concept_matches(stems)))))
        assert disk.search(query, limit=50) == memory.search(query, limit=50), query
    assert max(batches) > 1  # some query read its mentions in several batches


def test_a_store_server_keeps_answers_up_to_its_budget_of_bytes(store_file, monkeypatch):
    fresh = create_app({"KG_WORKSPACE": store_file, "TESTING": True, "KG_WARM_UP": False}).test_client()
    one = len(fresh.get("/api/overview?top=30").get_data())
    monkeypatch.setattr(store_app, "ANSWER_BYTES_KEPT", 3 * one)
    app = create_app({"KG_WORKSPACE": store_file, "TESTING": True, "KG_WARM_UP": False})
    client, answers = app.test_client(), app.extensions[store_app.EXTENSION]
    urls = [f"/api/overview?top={top}" for top in range(30, 40)]
    for url in urls:
        assert client.get(url).get_data() == fresh.get(url).get_data()
        assert answers.size == sum(len(body) for body in answers.items.values()) <= 3 * one
    assert 1 < len(answers.items) < len(urls)
    assert [key[2] for key in answers.items][-1] == 39  # the newest kept, the oldest let go
    # An answer let go is worked out again, the same.
    assert client.get(urls[0]).get_data() == fresh.get(urls[0]).get_data()
