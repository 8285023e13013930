"""The graph served from a store: the SQLite workspace, a SQLite store file and a real PostgreSQL
server give the same answers (the library's questions and the web's JSON twins), on the bundled
deck, a shared deck and the hostile decks; the shared server keeps its secrets and its reader
cannot write; a new load is switched in under a running store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import psycopg
import psycopg.sql
import pytest
from postgres import postgres_server  # noqa: F401  (the session's PostgreSQL server)

from kg.analysis import concept_detail, explain_path, related_cards
from kg.build import build
from kg.errors import NotFound, WorkspaceError
from kg.search import search, suggest
from kg.store import open_store, redact
from kg.store.load import load_sqlite
from kg.store.postgres_load import load_postgres
from kg.store.sql_search import ASSOCIATED_READ
from kg.web import create_app

QUERIES = ["drift", "model retraining", "kubeflo pipelines", "feature store", "what is a cache",
           "explainability", "containers", "zzzz nothing", "data", "the",
           "iterative",  # (read also as "iterate", kg.derivations)
           "how to detect skew",  # (names no concept whole: the concepts of its words are listed)
           "data draft"]  # (a common word, corrected where it names a concept with its neighbour)
PREFIXES = ["dr", "feat", "monitr", "contain", "x", "machine le"]


def _reader(server, database: str | None = None) -> str:
    url = server.url(server.reader)
    return url if database is None else url.rsplit("/", 1)[0] + "/" + database


def _database(server, name: str) -> str:
    """A database of its own (the admin's URL) for one deck, so tests never see another's graph."""
    with psycopg.connect(server.url(), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))
    return server.url().rsplit("/", 1)[0] + "/" + name


@pytest.fixture(scope="module")
def bundled_pg(postgres_server, bundled_workspace):
    load_postgres(bundled_workspace, postgres_server.url(), grant_to=postgres_server.reader)
    return _reader(postgres_server)


@pytest.fixture(scope="module")
def bundled_file(bundled_workspace, tmp_path_factory):
    """The bundled workspace as a SQLite store file (`kg load-sqlite`)."""
    report = load_sqlite(bundled_workspace, tmp_path_factory.mktemp("store") / "store.sqlite")
    return f"sqlite:{report.generation}"


@pytest.fixture(scope="module", params=["postgres", "sqlite-file"])
def stores(request, bundled_workspace):
    """The in-memory store and one read a question at a time (each backend in turn)."""
    location = request.getfixturevalue("bundled_pg" if request.param == "postgres" else "bundled_file")
    memory, shared = open_store(bundled_workspace), open_store(location)
    yield memory, shared
    shared.close()


def _sample(items, n):
    items = list(items)
    step = max(1, len(items) // n)
    return items[::step][:n]


def _concepts(memory, n=25) -> list[str]:
    """`n` concepts from the most carded to the least."""
    G = memory.graph
    ranked = sorted((c for c, k in G.nodes(data="kind") if k == "concept"), key=lambda c: (-G.nodes[c]["cards"], c))
    return _sample(ranked, n)


def test_workspace_store_answers_as_the_in_memory_functions(stores):
    memory, _ = stores
    G = memory.graph
    for node in _concepts(memory):
        assert memory.concept(node, card_limit=50, neighbour_limit=50) == \
            concept_detail(G, node, card_limit=50, neighbour_limit=50)
    for query in QUERIES:
        assert memory.search(query, limit=20) == search(G, query, limit=20)
    for prefix in PREFIXES:
        assert memory.suggest(prefix) == suggest(G, prefix)
    a, b = _concepts(memory, 2)
    assert memory.path(a, b) == explain_path(G, a, b)
    card = next(n for n, k in G.nodes(data="kind") if k == "card")
    assert memory.related(card) == related_cards(G, card)


def test_stores_read_from_disk_answer_as_the_workspace(stores):
    memory, shared = stores
    assert shared.stats()["nodes"] == memory.stats()["nodes"]
    assert shared.stats()["edges"] == memory.stats()["edges"]
    assert shared.concepts_by_cards(40) == memory.concepts_by_cards(40)
    concepts = _concepts(memory)
    for node in concepts:
        assert shared.concept(node, card_limit=50, neighbour_limit=50) == \
            memory.concept(node, card_limit=50, neighbour_limit=50), node
        assert shared.concept_cards(node) == memory.concept_cards(node)
        assert shared.neighbours(node, limit=10) == memory.neighbours(node, limit=10)
    for query in QUERIES + [memory.graph.nodes[n]["label"] for n in concepts[:10]]:
        assert shared.search(query, limit=20) == memory.search(query, limit=20), query
    for prefix in PREFIXES:
        assert shared.suggest(prefix) == memory.suggest(prefix), prefix
    for a, b in zip(concepts[::2], concepts[1::2]):
        assert shared.path(a, b) == memory.path(a, b), (a, b)
    cards = _sample((n for n, k in memory.graph.nodes(data="kind") if k == "card"), 20)
    for card in cards:
        assert shared.related(card) == memory.related(card), card
        assert shared.card(card) == memory.card(card)


def test_stores_read_from_disk_say_what_is_missing(stores):
    _, shared = stores
    with pytest.raises(NotFound):
        shared.concept("concept:no-such-thing-here")
    with pytest.raises(NotFound):
        shared.card("card:nope")
    with pytest.raises(NotFound):
        shared.resolve("qqqqqqqqqqqqqq")


def _api_pages(G) -> list[str]:
    concepts = sorted((n for n, k in G.nodes(data="kind") if k == "concept"),
                      key=lambda n: -G.nodes[n].get("cards", 0))
    cards = _sample(sorted(n for n, k in G.nodes(data="kind") if k == "card"), 8)
    decks = sorted(d["label"] for _, d in G.nodes(data=True) if d.get("kind") == "deck")
    slugs = [n.partition(":")[2] for n in _sample(concepts, 8)]
    from urllib.parse import quote

    pages = ["/api/overview?view=concepts", "/api/overview?view=concepts&top=10"]
    pages += [f"/api/concept/{s}" for s in slugs] + [f"/api/concept/{slugs[0]}?depth=2",
                                                    f"/api/concept/{slugs[1]}?depth=3", "/api/concept/nope-nope"]
    pages += [f"/api/card/{quote(c.partition(':')[2], safe='')}" for c in cards] + ["/api/card/nope"]
    pages += [f"/api/search?q={quote(q)}" for q in QUERIES] + ["/api/search?q=drift&limit=3"]
    pages += [f"/api/suggest?q={quote(p)}" for p in PREFIXES]
    labels = [G.nodes[n]["label"] for n in concepts[:6]]
    pages += [f"/api/path?from={quote(a)}&to={quote(b)}" for a, b in zip(labels[::2], labels[1::2])]
    pages += ["/api/path?from=qqqqqqqqqqqq&to=drift", "/api/path?from=drift"]
    return pages


def _comparable(page: str, data):
    """A card page draws `G.subgraph(...)`, which networkx walks in the order of a set when the
    subgraph is small beside the graph (so in memory the order, and the layout it seeds, change
    with the hash seed): its drawing is compared as sets of nodes and edges, without the
    positions and the zoom at which each label shows (worked out from the positions)."""
    if page.startswith("/api/card/") and isinstance(data, dict) and "graph" in data:
        graph = data["graph"]
        nodes = sorted((json.dumps({k: v for k, v in n.items() if k not in ("x", "y", "labelScale")}, sort_keys=True)
                        for n in graph["nodes"]))
        edges = sorted(json.dumps(e, sort_keys=True) for e in graph["edges"])
        return dict(data, graph={"nodes": nodes, "edges": edges, "options": graph.get("options")})
    return data


def _same_api(folder, dsn, G) -> int:
    memory = create_app({"KG_WORKSPACE": str(folder), "TESTING": True, "KG_PRELOAD": False}).test_client()
    shared = create_app({"KG_WORKSPACE": dsn, "TESTING": True}).test_client()
    compared = 0
    for page in _api_pages(G):
        want, got = memory.get(page), shared.get(page)
        assert got.status_code == want.status_code, page
        assert _comparable(page, got.get_json()) == _comparable(page, want.get_json()), page
        compared += want.status_code == 200
    return compared


def test_api_answers_are_the_same_from_every_backend_on_the_bundled_deck(bundled_workspace, bundled_pg,
                                                                          bundled_file, stores):
    assert _same_api(bundled_workspace, bundled_pg, stores[0].graph) > 30
    assert _same_api(bundled_workspace, bundled_file, stores[0].graph) > 30


def test_api_answers_are_the_same_from_every_backend_on_a_shared_deck(tmp_path, shared_dir, nlp, postgres_server):
    folder = tmp_path / "ws"
    build([shared_dir / "decks" / "mlrf-md"], workspace=folder, nlp=nlp)
    # Read from the workspace's file as it loads, as a graph too big to hold would be.
    load_postgres(folder, _database(postgres_server, "kg_shared"), grant_to=postgres_server.reader, stream=True)
    G = open_store(folder).graph
    assert _same_api(folder, _reader(postgres_server, "kg_shared"), G) > 30
    assert _same_api(folder, f"sqlite:{load_sqlite(folder).generation}", G) > 30


def test_a_concept_url_by_one_of_its_names_redirects_to_it_on_every_backend(bundled_workspace, bundled_pg,
                                                                           bundled_file):
    # The bundled deck defines ML; "ML lifecycle" is a name of 'machine learning lifecycle'.
    memory = create_app({"KG_WORKSPACE": str(bundled_workspace), "TESTING": True, "KG_PRELOAD": False})
    for app in (memory, create_app({"KG_WORKSPACE": bundled_pg, "TESTING": True}),
                create_app({"KG_WORKSPACE": bundled_file, "TESTING": True})):
        client = app.test_client()
        response = client.get("/api/concept/ml-lifecycle?depth=2")
        assert response.status_code == 302, response.status_code
        assert response.headers["Location"].endswith("/api/concept/machine-learning-lifecycle?depth=2")
        assert client.get(response.headers["Location"]).get_json()["id"] == "concept:machine-learning-lifecycle"
        assert client.get("/api/concept/nothing-like-this").status_code == 404
    page = memory.test_client().get("/concept/ml-lifecycles")
    assert page.status_code == 302 and page.headers["Location"].endswith("/concept/machine-learning-lifecycle")


@pytest.mark.parametrize("backend", ["postgres", "sqlite-file"])
def test_hostile_decks_load_and_serve_from_a_store(tmp_path, data_dir, nlp, postgres_server, backend):
    folder = tmp_path / "hostile"
    report = build([data_dir / "web" / d for d in ("drift-deck", "hostile-deck")], workspace=folder, nlp=nlp,
                   curation=data_dir / "web" / "hostile-curation.toml")
    assert not report.problems
    if backend == "postgres":
        load_postgres(folder, _database(postgres_server, "kg_hostile"), grant_to=postgres_server.reader)
        reader = _reader(postgres_server, "kg_hostile")
    else:
        reader = f"sqlite:{load_sqlite(folder, tmp_path / 'hostile.sqlite').generation}"
    G = open_store(folder).graph
    assert _same_api(folder, reader, G) > 20
    client = create_app({"KG_WORKSPACE": reader, "TESTING": True}).test_client()
    found = client.get("/api/search?q=pwned+script+drift&limit=50").get_json()["cards"]
    hostile = [c for c in found if c["question"].startswith("What does <script>")]
    assert hostile
    response = client.get(f"/api/card/{urllib.parse.quote(hostile[0]['id'][5:], safe='')}")
    # Served as data that no browser renders as a page, the hostile text as it was written.
    assert response.mimetype == "application/json" and response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.get_json()["question"] == hostile[0]["question"]
    for odd in ("a/../b?x#y%2F", "..%2f..%2fetc%2fpasswd", "'; DROP TABLE nodes; --", "%00"):
        response = client.get(f"/api/card/{urllib.parse.quote(odd, safe='')}")
        assert response.status_code in (200, 404), odd
        assert client.get(f"/api/search?q={urllib.parse.quote(odd)}").status_code == 200
    # The tables are whole after all of that.
    assert open_store(reader).stats()["nodes"] == open_store(folder).stats()["nodes"]


def test_a_new_load_is_switched_in_and_the_old_generations_dropped(bundled_workspace, postgres_server):
    database = postgres_server.url()
    store = open_store(_reader(postgres_server))
    first = load_postgres(bundled_workspace, database, grant_to=postgres_server.reader).generation
    time.sleep(1.1)  # a store looks the live generation up at most once a second
    assert store.generation == first
    second = load_postgres(bundled_workspace, database, grant_to=postgres_server.reader).generation
    report = load_postgres(bundled_workspace, database, grant_to=postgres_server.reader)
    third = report.generation
    assert len({first, second, third}) == 3
    # The new generation is read into the server's memory before the switch (pg_prewarm):
    # everything but the edges' rows, which the server has read too.
    with psycopg.connect(database) as conn:
        kept, edges = conn.execute(
            "SELECT sum(pg_relation_size(c.oid)) FILTER (WHERE c.relname <> 'edges' OR c.relkind <> 'r'), "
            "sum(pg_relation_size(c.oid)) FILTER (WHERE c.relname = 'edges' AND c.relkind = 'r') "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s "
            "AND c.relkind IN ('r', 'i')", (third,)).fetchone()
    assert edges > 0 and report.warmed_mb == kept / 2**20 > 0
    time.sleep(1.1)
    assert store.generation == third
    with psycopg.connect(database) as conn:
        schemas = {r[0] for r in conn.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'kg\\_%'")}
    assert {second, third} <= schemas and first not in schemas
    assert store.stats()["nodes"]


def test_the_serving_role_can_only_read(bundled_pg, postgres_server):
    store = open_store(bundled_pg)
    generation = store.generation
    with psycopg.connect(bundled_pg, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM kg.current").fetchone()[0] == 1
        for statement in (f"DELETE FROM {generation}.nodes", f"CREATE TABLE {generation}.x (a int)",
                          "UPDATE kg.current SET generation = 'x'", "CREATE SCHEMA evil"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
    # And the store's own connections refuse to write whatever the role may do.
    admin = open_store(postgres_server.url())
    assert admin._conn().execute("SHOW default_transaction_read_only").fetchone()[0] == "on"
    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        admin._conn().execute(f"DELETE FROM {admin.generation}.meta")


def test_passwords_never_shown():
    assert redact("postgresql://kg:s3cret@db.example:5432/kg") == "postgresql://kg:***@db.example:5432/kg"
    assert "s3cret" not in redact("host=db user=kg password='s3 cret' dbname=kg")
    assert "s3cret" not in redact("postgresql://db/kg?user=kg&password=s3cret")
    assert redact("postgresql://kg@db/kg") == "postgresql://kg@db/kg"


def _kg(*args, env=None):
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300)


def test_cli_refuses_a_password_on_the_command_line_and_hides_it_in_errors(postgres_server):
    secret = "hunter2-do-not-show"
    url = f"postgresql://kg_admin:{secret}@127.0.0.1:{postgres_server.port}/kg"
    for args in (["stats", "--workspace", url], ["load-postgres", ".", url]):
        done = _kg(*args)
        assert done.returncode == 1, done.stderr
        assert secret not in done.stdout + done.stderr
        assert "pgpass" in done.stderr
    # From the environment (not visible in `ps`) it is used, and a failure does not show it.
    closed = f"postgresql://kg_admin:{secret}@127.0.0.1:1/kg"
    done = _kg("stats", env={"KG_WORKSPACE": closed})
    assert done.returncode == 1 and "cannot connect" in done.stderr and secret not in done.stderr
    with pytest.raises(WorkspaceError) as caught:
        open_store(closed)
    assert secret not in str(caught.value)


def test_cli_questions_answer_the_same_from_postgres(bundled_workspace, bundled_pg, postgres_server):
    load_postgres(bundled_workspace, postgres_server.url(), grant_to=postgres_server.reader)
    time.sleep(1.1)
    for args in (["search", "model drift", "--json"], ["concepts", "--json"], ["path", "drift", "feature store"],
                 ["search", "kubeflo"], ["concepts", "-n", "5"]):
        here, there = _kg(*args, "--workspace", str(bundled_workspace)), _kg(*args, "--workspace", bundled_pg)
        assert there.returncode == 0, there.stderr
        assert there.stdout == here.stdout, args
    stats = json.loads(_kg("stats", "--json", "--workspace", bundled_pg).stdout)
    assert stats["workspace"] == bundled_pg and stats["nodes"]["card"] > 0


@pytest.mark.parametrize("backend", ["postgres", "sqlite-file"])
def test_kg_serve_serves_the_api_from_a_store(bundled_workspace, bundled_pg, bundled_file, postgres_server, backend):
    load_postgres(bundled_workspace, postgres_server.url(), grant_to=postgres_server.reader)
    from postgres import _free_port

    location = bundled_pg if backend == "postgres" else bundled_file
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--workspace", location, "--port", str(port),
                               "--workers", "2", "--threads", "4"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/api/overview?view=concepts&top=20", timeout=10) as response:
                    served = json.load(response)
                break
            except OSError:
                assert server.poll() is None, server.stderr.read()
                assert time.monotonic() < deadline
                time.sleep(0.3)
        memory = create_app({"KG_WORKSPACE": str(bundled_workspace), "TESTING": True, "KG_PRELOAD": False})
        assert served == memory.test_client().get("/api/overview?view=concepts&top=20").get_json()
        for _ in range(6):  # both workers answer, each from its own connection
            with urllib.request.urlopen(base + "/api/search?q=drift", timeout=10) as response:
                assert json.load(response)["cards"]
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_new_store_file_is_switched_in_under_a_running_store(bundled_workspace, tmp_path):
    target = tmp_path / "store.sqlite"
    load_sqlite(bundled_workspace, target)
    store = open_store(f"sqlite:{target}")
    first = store.generation
    before = store.search("drift")
    load_sqlite(bundled_workspace, target)
    time.sleep(1.1)  # a store looks at its file at most once a second
    assert store.generation != first
    assert store.search("drift") == before
    assert not [p for p in tmp_path.iterdir() if p.name != "store.sqlite"]  # nothing half written left


def test_a_missing_or_foreign_store_file_is_a_clear_error(tmp_path):
    with pytest.raises(WorkspaceError, match="kg load-sqlite"):
        open_store(f"sqlite:{tmp_path / 'none.sqlite'}")
    (tmp_path / "other.sqlite").write_bytes(b"not a database at all" * 100)
    with pytest.raises(WorkspaceError, match="kg load-sqlite"):
        open_store(f"sqlite:{tmp_path / 'other.sqlite'}")


def test_cli_writes_a_store_file_and_answers_the_same_from_it(bundled_workspace, tmp_path):
    target = tmp_path / "graph.sqlite"
    done = _kg("load-sqlite", str(bundled_workspace), str(target))
    assert done.returncode == 0, done.stderr
    assert f"sqlite:{target}" in done.stdout
    for args in (["search", "model drift", "--json"], ["concepts", "--json"], ["path", "drift", "feature store"]):
        here, there = _kg(*args, "--workspace", str(bundled_workspace)), _kg(*args, "--workspace", f"sqlite:{target}")
        assert there.returncode == 0, there.stderr
        assert there.stdout == here.stdout, args


@pytest.fixture(scope="module", params=["postgres", "sqlite-file"])
def hub_store(request, bundled_workspace, tmp_path_factory, postgres_server):
    """The bundled deck loaded with every concept on more than a few rows counted as a hub, so
    its big concepts take the bounded paths (kg.store.hubs) that a 100,000-card graph's take."""
    if request.param == "postgres":
        load_postgres(bundled_workspace, _database(postgres_server, "kg_hubs"), grant_to=postgres_server.reader,
                      hub_rows=20)
        return _reader(postgres_server, "kg_hubs")
    target = tmp_path_factory.mktemp("hubs") / "hubs.sqlite"
    return f"sqlite:{load_sqlite(bundled_workspace, target, hub_rows=20).generation}"


def test_hub_pages_read_their_kept_rankings_and_answer_the_same(bundled_workspace, hub_store):
    memory, disk = open_store(bundled_workspace), open_store(hub_store)
    hubs = {n for (n,) in disk._rows("SELECT id FROM {hubs}")}
    concepts = _concepts(memory, 40)
    assert len(hubs & set(concepts)) >= 10
    cut = 0
    for node in concepts:
        for limits in ({"card_limit": 50, "neighbour_limit": 50}, {"card_limit": 5, "neighbour_limit": 3},
                       {"card_limit": 5, "neighbour_limit": 3, "kinds_limit": 1}):
            detail = memory.concept(node, **limits)
            assert disk.concept(node, **limits) == detail, (node, limits)
            cut += len(detail["children"]) < detail["children_total"]
        assert disk.concept_cards(node, limit=20) == memory.concept_cards(node, limit=20), node
        assert disk.neighbours(node, limit=20) == memory.neighbours(node, limit=20), node
    assert cut  # some kinds were left out of a page, and the totals still agree
    here = create_app({"KG_WORKSPACE": str(bundled_workspace), "TESTING": True, "KG_PRELOAD": False}).test_client()
    there = create_app({"KG_WORKSPACE": hub_store, "TESTING": True}).test_client()
    for node in concepts[:20]:
        for depth in (1, 2, 3):
            page = f"/api/concept/{node.partition(':')[2]}?depth={depth}"
            assert there.get(page).get_json() == here.get(page).get_json(), page


@pytest.mark.parametrize("backend", ["postgres", "sqlite-file"])
def test_a_word_naming_more_concepts_than_a_search_reads_lists_the_in_memory_ranking_of_those_read(
        bundled_workspace, backend, request):
    # Each word reads only the concepts it names on most cards (kg.store.sql_search): the store
    # then lists the in-memory ranking less the concepts it left out, and no card scores more.
    location = request.getfixturevalue("bundled_pg" if backend == "postgres" else "bundled_file")
    memory, disk = open_store(bundled_workspace), open_store(location)
    index = memory.search_index()
    G = memory.graph
    words = sorted(index.by_stem, key=lambda s: (-len(index.by_stem[s]), s))[:4]
    assert len(index.by_stem[words[-1]]) >= 12
    cut = 0
    for word in words:
        named = index.by_stem[word]
        disk.search_concepts_read = len(named) // 4
        read = sorted(named, key=lambda c: (-G.nodes[c]["cards"], c))[:disk.search_concepts_read]
        want, got = memory.search(word, limit=1000), disk.search(word, limit=1000)
        listed, kept = [c["id"] for c in want["concepts"]], [c["id"] for c in got["concepts"]]
        assert kept == [c for c in listed if c in set(kept)], word
        assert [c for c in listed if c in read] == [c for c in kept if c in read], word
        assert len(kept) < len(listed), word  # the bound was met
        scores = {c["id"]: c["score"] for c in want["cards"]}
        assert all(c["score"] <= scores[c["id"]] for c in got["cards"]), word
        disk.search_concepts_read = len(named)
        assert disk.search(word, limit=1000) == want, word  # at the bound: the in-memory answer
        # One association read (the concepts taught with those named): the same concepts
        # listed, and no card scoring more.
        disk.search_associated_read = 1
        got = disk.search(word, limit=1000)
        assert got["concepts"] == want["concepts"], word
        assert all(c["score"] <= scores[c["id"]] for c in got["cards"]), word
        bounded = disk.search_index()
        bounded.concept_matches([word])
        associations = sum(len(bounded.associated.get(c, ())) for c in named)
        cut += sum(len(index.associated.get(c, ())) for c in named) > associations
        assert associations <= 1, word
        disk.search_associated_read = ASSOCIATED_READ
    assert cut  # some word had more associations than it read


def test_a_path_between_hubs_walks_a_bounded_ball_and_is_the_cheapest_chain_in_it(bundled_workspace, hub_store):
    from kg.analysis.paths import cheapest_chain, node_costs

    # The ball is cut small too: the rings of the bundled deck's hubs are cut as a 100,000-card
    # graph's are.
    memory, disk = open_store(bundled_workspace), open_store(hub_store)
    disk.max_path_nodes, disk.ring_nodes, disk.path_widen_nodes = 40, 10, 20
    G = memory.graph
    costs = node_costs(G)
    concepts = _concepts(memory, 40)
    hubs = {n for (n,) in disk._rows("SELECT id FROM {hubs}")}
    pairs = list(zip(concepts[:10], concepts[10:20])) + list(zip(concepts[:10:2], concepts[1:10:2]))
    assert all(a in hubs for a, _ in pairs[:5])
    connected = 0
    for a, b in pairs:
        assert costs[a][0] > disk.ring_nodes  # every ring of `a` is cut to its strongest links
        ball, _ = disk.path_graph(a, b)
        walked = {n for n, kind in ball.nodes(data="kind") if kind == "concept"}
        assert {a, b} <= walked and len(walked) <= disk.max_path_nodes, (a, b)
        found = disk.path(a, b)
        chain = cheapest_chain(G.subgraph(walked), a, b, costs=costs)
        assert found["connected"] == (chain is not None), (a, b)
        if chain is not None:
            assert [a] + [hop["to"] for hop in found["hops"]] == chain, (a, b)
            connected += 1
    assert connected >= len(pairs) // 2


@pytest.mark.parametrize("backend", ["postgres", "sqlite-file"])
def test_a_card_sharing_concepts_with_more_cards_than_are_scored_lists_the_in_memory_ranking_of_those_scored(
        bundled_workspace, backend, request):
    # The database scores exactly at most `related_candidates` of the cards sharing a concept
    # with a card (those whose shared concepts weigh most): the store then lists the in-memory
    # ranking of those, with the in-memory scores; at the bound, the in-memory answer.
    location = request.getfixturevalue("bundled_pg" if backend == "postgres" else "bundled_file")
    memory, disk = open_store(bundled_workspace), open_store(location)
    G = memory.graph
    cards = sorted(n for n, kind in G.nodes(data="kind") if kind == "card")
    disk.related_candidates = 6
    cut = 0
    for card in cards:
        whole = memory.related(card, limit=1000)
        got = disk.related(card, limit=5)
        ranked = [c["id"] for c in whole]
        assert [c for c in ranked if c in {g["id"] for g in got}] == [g["id"] for g in got], card
        scores = {c["id"]: c["score"] for c in whole}
        assert all(g["score"] == scores[g["id"]] for g in got), card
        cut += [g["id"] for g in got] != ranked[:5]
    assert cut  # the bound changed some card's list
    disk.related_candidates = len(cards)
    assert all(disk.related(card, limit=5) == memory.related(card, limit=5) for card in cards[:40])


def test_a_store_pairs_an_acronym_with_its_spelled_out_name_as_in_memory(tmp_path, data_dir, nlp):
    # The aviation deck defines ATC without "Name (ACR)": the pair is kept in the store's tables;
    # a name typed joined ("flightplan") or apart ("trans ponder") is read as the deck writes it.
    workspace = tmp_path / ".kg"
    report = build([data_dir / "search" / "aviation"], workspace=workspace, nlp=nlp)
    assert not report.problems, report.problems
    memory = open_store(workspace)
    disk = open_store(f"sqlite:{load_sqlite(workspace, tmp_path / 'store.sqlite').generation}")
    try:
        for query in ("air traffic control", "ATC", "pilot clearance", "flightplan", "trans ponder", "transpnder"):
            assert disk.search(query, limit=20) == memory.search(query, limit=20), query
        assert [c["label"] for c in disk.search("air traffic control")["concepts"][:2]] == \
            ["air traffic control", "ATC"]
    finally:
        disk.close()


def test_cli_load_says_the_new_graph_was_read_into_the_servers_memory(bundled_workspace, postgres_server):
    result = _kg("load-postgres", str(bundled_workspace), _database(postgres_server, "kg_cli_warm"),
                 "--grant-to", postgres_server.reader)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("loaded ") and " nodes and " in lines[0]
    assert lines[1].startswith("read ") and lines[1].endswith(" MB of it into the server's memory before the switch")
