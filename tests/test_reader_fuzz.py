"""Property tests: arbitrary bytes never escape as anything but DeckError problems, and well-formed
generated decks give back exactly the questions and answers they were made from."""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import DeckError
from kg.readers import read_decks

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SUFFIXES = [".txt", ".md", ".csv", ".tsv", ".apkg", "", ".anki2"]


def read_bytes_as(data: bytes, suffix: str):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"deck{suffix}"
        path.write_bytes(data)
        result = read_decks([path])
    assert all(isinstance(p, DeckError) and "\n" not in str(p) for p in result.problems)
    assert result.cards or result.problems
    return result


@FUZZ
@given(data=st.binary(max_size=2048), suffix=st.sampled_from(SUFFIXES))
def test_arbitrary_bytes_only_ever_give_deck_errors(data, suffix):
    read_bytes_as(data, suffix)


TEXTY = st.text(
    alphabet=st.sampled_from(list("ab ?:,;\t\"'\n\r#>-*[]!{}<>&$`\\1)QA") + ["\u00e9", "\x00", "\ufeff"]),
    max_size=400,
)


@FUZZ
@given(text=TEXTY, suffix=st.sampled_from(SUFFIXES[:4]))
def test_arbitrary_deck_like_text_only_ever_gives_deck_errors(text, suffix):
    read_bytes_as(text.encode("utf-8", "surrogatepass"), suffix)


@FUZZ
@given(members=st.lists(st.tuples(st.sampled_from(["collection.anki2", "collection.anki21", "collection.anki21b", "meta", "../x", "media"]),
                                   st.binary(max_size=512)), max_size=3))
def test_arbitrary_zip_packages_only_ever_give_deck_errors(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            archive.writestr(name, data)
    read_bytes_as(buffer.getvalue(), ".apkg")


WORD = st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Nd")), min_size=1, max_size=8)
SENTENCE = st.lists(WORD, min_size=1, max_size=8).map(" ".join)


def questions():
    return st.lists(SENTENCE.map(lambda s: f"What is {s}?"), min_size=1, max_size=6, unique_by=str.lower)


@FUZZ
@given(qs=questions(), answers=st.lists(st.lists(SENTENCE.map(lambda s: s + "."), min_size=1, max_size=3),
                                        min_size=6, max_size=6))
def test_markdown_heading_decks_round_trip(qs, answers):
    pairs = [(q, "\n".join(a)) for q, a in zip(qs, answers)]
    text = "# Generated\n\n" + "\n\n".join(f"## {q}\n\n{a}" for q, a in pairs) + "\n"
    result = read_bytes_as(text.encode(), ".md")
    assert not result.problems
    assert [(c.question, c.answer) for c in result.cards] == pairs


FIELD = st.text(alphabet=st.sampled_from(list("ab ,;\"'\n\t.?") + ["\u00e9"]), min_size=1, max_size=40).filter(
    lambda s: s.strip() and s == s.strip() and "\n\n" not in s and "  " not in s and "\t" not in s
    and " \n" not in s and "\n " not in s
)


@FUZZ
@given(rows=st.lists(st.tuples(FIELD, FIELD), min_size=1, max_size=8, unique_by=lambda r: r[0].lower()),
       delimiter=st.sampled_from([",", "\t", ";"]))
def test_csv_with_quotes_newlines_and_separators_round_trips(rows, delimiter):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(["question", "answer"])
    writer.writerows(rows)
    result = read_bytes_as(buffer.getvalue().encode(), ".csv")
    assert not result.problems
    assert [(c.question, c.answer) for c in result.cards] == list(rows)


@FUZZ
@given(qs=questions(), answers=st.lists(st.lists(SENTENCE.map(lambda s: f"It {s}."), min_size=1, max_size=3),
                                        min_size=6, max_size=6))
def test_raw_text_layout_round_trips(qs, answers):
    pairs = [(q, "\n".join(a)) for q, a in zip(qs, answers)]
    text = "Generated Deck\n" + "\n".join(f"{q}\n{a}" for q, a in pairs) + "\n"
    result = read_bytes_as(text.encode(), ".txt")
    assert not result.problems
    assert [(c.question, c.answer) for c in result.cards] == pairs
    assert {c.deck for c in result.cards} == {"Generated Deck"}
