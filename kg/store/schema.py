"""The layout of a loaded graph, the same in PostgreSQL and in a SQLite store file.

In PostgreSQL: one schema per generation, one pointer to the live one.

`kg load-postgres` writes a whole new generation (schema `kg_<n>`) beside the live one and then
moves the pointer `kg.current` in one transaction, so a server reading the old generation keeps
a whole graph until its next question, and never sees half of a new one.

The graph is kept as networkx keeps it: a node's attributes as JSON, and one row per edge with
its position among its source's out-edges and its target's in-edges, so that a part of the graph
read back is the same, in the same order, as that part of the whole graph (ties in rankings are
broken by that order). Beside it: what the analyses of the whole graph need and a part of it
cannot tell (deck-wide counts, communities, gaps, a search index), and the rankings of the hubs
(`hubs`, `hub_cards`, `hub_links`: a hub's best cards and strongest links, so that its page
reads a bounded number of rows, see `kg.store.hubs`), and of the prefixes that start thousands
of names (`completions`, see `kg.store.completions`).

In a SQLite store file (`kg load-sqlite`): the same tables, alone in the file; a new
load is written beside it and renamed over it (see `kg.store.disk`).
"""

from __future__ import annotations

import re

from psycopg import sql

#: Bumped whenever the tables change shape; an older load is refused, not misread.
LAYOUT_VERSION = "9"
CONTROL = "kg"
GENERATION_PREFIX = "kg_"

CONTROL_DDL = """
CREATE SCHEMA IF NOT EXISTS {control};
CREATE TABLE IF NOT EXISTS {control}.current (
    one boolean PRIMARY KEY DEFAULT true CHECK (one), generation text NOT NULL, layout text NOT NULL
);
CREATE SEQUENCE IF NOT EXISTS {control}.generations;
"""

TABLES = """
CREATE TABLE {s}.meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE {s}.nodes (
    id text PRIMARY KEY, pos integer NOT NULL, kind text NOT NULL, label text,
    importance double precision NOT NULL, cards integer NOT NULL, data text NOT NULL
);
CREATE TABLE {s}.edges (
    u text NOT NULL, v text NOT NULL, kind text NOT NULL, out_pos integer NOT NULL,
    in_pos integer NOT NULL, kind_pos smallint NOT NULL, weight double precision, shared integer,
    in_question boolean, data text NOT NULL
);
CREATE TABLE {s}.card_weights (
    id text PRIMARY KEY, mention_total integer NOT NULL, length double precision NOT NULL,
    norm double precision NOT NULL
);
CREATE TABLE {s}.concept_costs (id text PRIMARY KEY, degree integer NOT NULL, generic double precision NOT NULL,
    marked integer NOT NULL);
CREATE TABLE {s}.deck_concepts (deck text NOT NULL, concept text NOT NULL, importance double precision NOT NULL);
CREATE TABLE {s}.analyses (name text PRIMARY KEY, data text NOT NULL);
CREATE TABLE {s}.communities (id integer PRIMARY KEY, pos integer NOT NULL, label text NOT NULL,
                              size integer NOT NULL, concepts text NOT NULL);
CREATE TABLE {s}.search_cards (n integer PRIMARY KEY, id text NOT NULL);
CREATE TABLE {s}.postings (stem text PRIMARY KEY, cards bytea NOT NULL, weights bytea NOT NULL);
CREATE TABLE {s}.mention_strength (concept text PRIMARY KEY, cards bytea NOT NULL, strength bytea NOT NULL);
CREATE TABLE {s}.concept_names (id text PRIMARY KEY, names text NOT NULL);
CREATE TABLE {s}.concept_stems (stem text NOT NULL, concept text NOT NULL, cards integer NOT NULL);
CREATE TABLE {s}.children (parent text NOT NULL, pos integer NOT NULL, child text NOT NULL, cards integer NOT NULL);
CREATE TABLE {s}.associated (concept text NOT NULL, pos integer NOT NULL, other text NOT NULL,
                             weight double precision NOT NULL);
CREATE TABLE {s}.acronyms (concept text NOT NULL, pos integer NOT NULL, partner text NOT NULL);
CREATE TABLE {s}.initials (initials text NOT NULL, concept text NOT NULL);
CREATE TABLE {s}.vocabulary (word text PRIMARY KEY);
CREATE TABLE {s}.vocabulary_stems (stem text PRIMARY KEY);
CREATE TABLE {s}.prefixes (name text NOT NULL, concept text NOT NULL, whole boolean NOT NULL);
CREATE TABLE {s}.completions (prefix text NOT NULL, pos integer NOT NULL, concept text NOT NULL);
CREATE TABLE {s}.hubs (id text PRIMARY KEY, card_total integer NOT NULL, neighbour_total integer NOT NULL);
CREATE TABLE {s}.hub_cards (concept text NOT NULL, pos integer NOT NULL, card text NOT NULL,
                            score double precision NOT NULL, via text NOT NULL);
CREATE TABLE {s}.hub_links (concept text NOT NULL, pos integer NOT NULL, other text NOT NULL);
"""
#: The tables of a generation, by name.
TABLE_NAMES = tuple(re.findall(r"CREATE TABLE \{s\}\.(\w+)", TABLES))

# Built after the rows are in: one sort per index instead of one insertion per row. Named, as
# SQLite needs; `{c}` is byte order ("C" in PostgreSQL, SQLite's default BINARY). An end's edges
# and the card weights are read from their index alone (every column a light edge or a related
# card needs is in it): the rows of a hub's cards lie all over the table.
INDEXES = """
CREATE INDEX nodes_rank ON {s}.nodes (kind, importance DESC, id{c});
CREATE INDEX nodes_cards ON {s}.nodes (kind, cards DESC);
CREATE INDEX edges_out ON {s}.edges (u, kind, v, out_pos, in_pos, kind_pos, weight, shared, in_question);
CREATE INDEX edges_in ON {s}.edges (v, kind, u, out_pos, in_pos, kind_pos, weight, shared, in_question);
CREATE INDEX edges_pair ON {s}.edges (u, v);
CREATE INDEX card_weights_all ON {s}.card_weights (id, length, norm, mention_total);
CREATE INDEX deck_concepts_rank ON {s}.deck_concepts (deck, importance DESC, concept{c});
CREATE INDEX concept_stems_stem ON {s}.concept_stems (stem, cards DESC, concept{c});
CREATE INDEX children_rank ON {s}.children (parent, cards DESC, pos, child);
CREATE INDEX associated_concept ON {s}.associated (concept, pos);
CREATE INDEX acronyms_concept ON {s}.acronyms (concept, pos);
CREATE INDEX initials_key ON {s}.initials (initials{c}, concept{c});
CREATE INDEX prefixes_name ON {s}.prefixes (name{c}, concept{c});
CREATE INDEX completions_prefix ON {s}.completions (prefix{c}, pos);
CREATE INDEX hub_cards_rank ON {s}.hub_cards (concept, pos);
CREATE INDEX hub_links_rank ON {s}.hub_links (concept, pos);
"""
# PostgreSQL's trigram indexes (pg_trgm) propose the candidates of misspelt words and prefixes.
TRIGRAM_INDEXES = """
CREATE INDEX ON {s}.prefixes USING gin (name gin_trgm_ops);
CREATE INDEX ON {s}.vocabulary USING gin (word gin_trgm_ops);
"""


def statements(script: str, schema: str) -> list[sql.Composed]:
    """The statements of `script` for the generation `schema` (a quoted identifier)."""
    ident = sql.Identifier(schema)
    return [sql.SQL(part.strip()).format(s=ident, control=sql.Identifier(CONTROL), c=sql.SQL(' COLLATE "C"'))
            for part in script.split(";") if part.strip()]


def table(schema: str, name: str) -> sql.Composed:
    return sql.SQL("{}.{}").format(sql.Identifier(schema), sql.Identifier(name))


def sqlite_statements(script: str) -> list[str]:
    """The statements of `script` for a SQLite store file."""
    return [part.strip().replace("{s}.", "").format(c="") for part in script.split(";") if part.strip()]
