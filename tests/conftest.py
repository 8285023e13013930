"""Shared fixtures: real files, the real spaCy model, the real graph of the bundled deck.

Fixtures that only one test module needs live in that module."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    # In CI ../shared is always laid beside the clone; only a contributor without it skips.
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
