"""The curation file: loading, normalization of the names in it, and errors that point at a line."""

from __future__ import annotations

import pytest

from kg.curation import Curation
from kg.errors import CurationError


@pytest.fixture(scope="module")
def sample(data_dir) -> Curation:
    return Curation.load(data_dir / "nlp" / "curation.toml")


def test_missing_or_absent_file_gives_an_empty_curation(tmp_path):
    for path in (None, tmp_path / "nope.toml"):
        curation = Curation.load(path)
        assert not curation
        assert curation.canonical("Feature Stores") == "feature store"
        assert curation.add_terms == [] and curation.parents == {} and curation.aliases == {}


def test_names_in_the_file_are_normalized_like_extraction(sample):
    assert sample.parents["concept drift"] == ["drift"]
    assert sample.parents["data drift"] == ["drift", "data quality"]
    assert sample.part_of == {"vertex ai pipeline": ["vertex ai"]}
    assert sample.canonical("feature stores") == "feature store"
    assert sample.canonical("feature store") == "feature store"


def test_aliases_and_merges_lead_to_the_surviving_concept(sample):
    assert sample.canonical("k8s") == "kubernetes"
    assert sample.canonical("ML") == "machine learning"
    assert sample.canonical("ml ops") == "mlops"
    assert sample.aliases["kubernetes"] == ["k8s"]


def test_hidden_concepts_have_no_canonical_key(sample):
    assert sample.canonical("stuff nobody studies") is None


def test_added_terms_are_kept_as_written(sample):
    assert sample.add_terms == ["shadow deployment"]


def test_malformed_toml_names_the_file_and_line(data_dir):
    path = data_dir / "nlp" / "malformed.toml"
    with pytest.raises(CurationError) as err:
        Curation.load(path)
    assert str(err.value).startswith(f"{path}:6: ")
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    "text, message",
    [
        ('[aliase]\n"ML" = "machine learning"\n', "concepts.toml:1: unknown section 'aliase'"),
        ('add = "x"\n[merge]\n"a" = ["b", "c"]\n', "concepts.toml:3: merge 'a' into one concept"),
        ('[parent]\n"a" = 3\n', "concepts.toml:2: [parent] 'a' must name a concept"),
        ("hide = [1, 2]\n", "concepts.toml:1: hide must be a list of strings"),
    ],
)
def test_wrong_shapes_are_reported_with_their_line(text, message):
    with pytest.raises(CurationError, match=message.replace("[", r"\[").replace("]", r"\]")):
        Curation.from_toml(text, source="concepts.toml")


def test_merge_cycles_do_not_loop():
    curation = Curation.from_toml('[merge]\n"a" = "b"\n"b" = "a"\n')
    assert curation.canonical("a") in {"a", "b"}


def test_bundled_curation_is_small_and_valid(bundled_cards_dir):
    curation = Curation.load(bundled_cards_dir / "concepts.toml")
    assert curation
    assert len((bundled_cards_dir / "concepts.toml").read_text().splitlines()) < 40
