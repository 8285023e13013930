"""Names kept whole, and dates that are no concepts.

English writes a name as one unit that the noun-phrase rules of `kg.nlp.terms` cut apart:

- an "of"-name in title case ("Treaty of Versailles", "Night of the Long Knives", "March on
  Rome"): a capitalized singular head, "of"/"on" (and "the"), capitalized words;
- a possessive name whose head is capitalized too ("Halley's Comet") or whose owner is a saint
  ("St John's wort"), or an eponym: a person's law, rule, theorem, constant or disease ("Hubble's
  law", "Kepler's third law", "Parkinson's disease"), or a common noun's fallacy or dilemma
  ("gambler's fallacy");
- a work's title set in italics ("The Division of Labour in Society");
- a law report's case name, two parties joined by "v" ("Hadley v Baxendale", "Hochster v De la
  Tour");
- a person's name with its epithet ("Pliny the Younger", "Tarquin the Proud");
- a chemical formula or ion ("Na+/K+", "CO2"), which has no letters-only spelling;
- inline code the author marked (`git bisect`, `--soft`, `.gitignore`): a command or a name
  of a file or option, taken whole.

A date ("June 1914", "4 October 1957", "31 BC", "the 1930s", "Pinatubo 1991") dates the thing a
card is about and is no concept: its tokens break terms, so "August 1939 Non-Aggression Pact" names
the pact and "Pinatubo 1991" the volcano.
"""

from __future__ import annotations

import calendar
import re

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from kg.nlp.languages import FOREIGN, word_language
from kg.nlp.lexicon import is_lemma, lemmas
from kg.nlp.normalize import normalize_key, singular
from kg.nlp.stoplists import CODE_KEYWORDS, GENERIC_NOUNS, INSTRUCTION_WORDS, LIGHT_HEADS, REFERENCE_NOUNS

MONTHS = frozenset(
    [m.lower() for m in calendar.month_name[1:]] + [m.lower() for m in calendar.month_abbr[1:]] + ["sept"]
)
ERAS = frozenset({"bc", "ad", "bce", "ce"})
_YEARISH = re.compile(r"^(?:\d{1,4}(?:st|nd|rd|th)?|\d{3,4}'?s)$", re.IGNORECASE)  # "4", "4th", "1215", "1930s"
_DECADE = re.compile(r"^\d{3,4}'?s$")
_YEAR = re.compile(r"^(?:1\d{3}|20\d{2})$")
# Words that join the parts of an "of"-name; "the" only right after "of" / "on".
_JOINS = frozenset({"of", "on"})
MAX_NAME_WORDS = 6

# An element symbol with its count ("Na", "Cl2", "O"), a formula of them ("CO2", "NaCl", "H2O")
# with an ion's charge ("Na+", "Ca2+"), or ions paired by a slash ("Na+/K+").
_FORMULA_PART = r"(?:[A-Z][a-z]?\d*)+\d*[+\-]?"
_FORMULA = re.compile(rf"^{_FORMULA_PART}(?:/{_FORMULA_PART})*$")


def is_formula(text: str) -> bool:
    """A chemical formula or ion written as one token: "Na+/K+", "CO2", "NaCl", "Ca2+"."""
    if not _FORMULA.match(text) or len(text) < 2:
        return False
    capitals = sum(c.isupper() for c in text)
    return any(c.isdigit() or c in "+-/" for c in text) or capitals >= 2 and any(c.islower() for c in text)


def _month(tok) -> bool:
    return tok.text[:1].isupper() and tok.lower_.rstrip(".") in MONTHS


def _era(tok) -> bool:
    return tok.lower_.replace(".", "") in ERAS


def _number(doc: Doc, i: int) -> bool:
    return 0 <= i < len(doc) and bool(_YEARISH.match(doc[i].text))


def date_tokens(doc: Doc) -> set[int]:
    """Indices of the tokens of dates: a month next to a day or year ("June 1914", "4 October
    1957", "May 5, 1945"), a year with its era ("31 BC", "AD 69"), a decade ("the 1930s"), a year
    after a name ("Pinatubo 1991", "Dublin 1742")."""
    out: set[int] = set()
    for tok in doc:
        i = tok.i
        if _DECADE.match(tok.text) or _year_after_name(doc, i):
            out.add(i)
        elif _month(tok) and (_number(doc, i + 1) or _number(doc, i - 1)):
            out.add(i)
            for j in (i - 1, i + 1):
                if _number(doc, j):
                    out.add(j)
            if i + 3 < len(doc) and doc[i + 2].text == "," and _number(doc, i + 3):
                out.update((i + 2, i + 3))  # "May 5, 1945"
        elif _era(tok) and tok.text[:1].isupper() and (_number(doc, i + 1) or _number(doc, i - 1)):
            out.add(i)
            out.update(j for j in (i - 1, i + 1) if _number(doc, j))
    return out


def _year_after_name(doc: Doc, i: int) -> bool:
    """A year right after a capitalized word in lower case otherwise ("Tambora 1815", "Mt Pelée 1902"):
    the year of an event at the place or in the life of the person, no part of the name. After an
    acronym or a word with digits the number is the name's own ("SN 1054", "RTX 2080")."""
    if i == 0 or not _YEAR.match(doc[i].text) or not doc[i - 1].whitespace_:
        return False
    word = doc[i - 1].text
    return (word[:1].isupper() and word[1:].isalpha() and word[1:].islower() and len(word) > 1
            and doc[i - 1].pos_ in ("PROPN", "NOUN"))


def is_date_key(key: str) -> bool:
    """A key made only of a date's words ("june 1914", "ad 69", "1930s"); "bc" (behaviour cloning)
    or "march" alone is no date."""
    words = key.split()
    return any(_DECADE.match(w) for w in words) or (
        len(words) > 1 and any(w in MONTHS or w in ERAS for w in words) and any(w[:1].isdigit() for w in words)
        and all(w in MONTHS or w in ERAS or _YEARISH.match(w) for w in words))


def _capitalized(tok) -> bool:
    return tok.text[:1].isupper() and any(c.isalpha() for c in tok.text) and tok.pos_ in ("PROPN", "NOUN", "ADJ", "NUM")


def _word_end(doc: Doc, i: int) -> int:
    """The token after the word starting at i, hyphen-glued parts included ("Non-Aggression")."""
    end = i + 1
    while end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ \
            and not doc[end].whitespace_ and doc[end + 1].text[:1].isalnum():
        end += 2
    return end


def name_spans(doc: Doc, dates: set[int] | None = None) -> list[tuple[str, int, int]]:
    """(key, start, end) of every "of"-name and possessive name in the doc; `dates` are tokens
    no name may hold (dates, verbs read as nouns: "Terminate SSL on the Load Balancer")."""
    dates = dates if dates is not None else date_tokens(doc)
    found: list[tuple[str, int, int]] = []
    n = len(doc)
    i = 0
    while i < n:
        case = _case_name(doc, i, dates)
        span = case or _of_name(doc, i, dates) or _possessive_name(doc, i) or _epithet_name(doc, i, dates)
        if span is None:
            i += 1
            continue
        start, end = span
        key = normalize_key(doc[start:end].text)
        # A case names two parties, each as long as a name may be ("Central London Property Trust").
        if key and len(key.split()) <= MAX_NAME_WORDS * (2 if case else 1):
            found.append((key, start, end))
        i = end
    return found


def _of_name(doc: Doc, i: int, dates: set[int]) -> tuple[int, int] | None:
    """"Treaty of Versailles", "Great Fire of Rome", "Night of the Long Knives" starting at i."""
    if not _capitalized(doc[i]) or i in dates or doc[i].lower_ in STOP_WORDS:
        return None
    if i > 0 and _capitalized(doc[i - 1]) and doc[i - 1].whitespace_:
        return None  # inside a longer name refused already ("IEEE/CVF Conference on ...")
    # Capitalized words before the head: "Great Fire", "First Battle".
    head_end = i + 1
    while head_end < len(doc) and _capitalized(doc[head_end]) and doc[head_end - 1].whitespace_ \
            and head_end not in dates:
        head_end += 1
    head = doc[head_end - 1]
    if head_end >= len(doc) or doc[head_end].lower_ not in _JOINS or doc[head_end].text != doc[head_end].lower_:
        return None
    if head.text.isupper() or (doc[head_end].lower_ == "on" and head_end - i > 1):
        return None  # "SSL on the Load Balancer", "Worker Service on EC2": a phrase, not a name
    word = head.lower_
    if head.tag_ in ("NNS", "NNPS") or singular(word) != word or word in GENERIC_NOUNS \
            or word in LIGHT_HEADS or word in REFERENCE_NOUNS or not head.is_alpha:
        return None  # "Benefits of Version Control", "Overview of Git": a heading, not a name
    j = head_end + 1
    if j < len(doc) and doc[j].lower_ == "the" and doc[j].text == "the":
        j += 1
    tail = j
    while j < len(doc) and _capitalized(doc[j]) and j not in dates and not doc[j].is_sent_start:
        j = _word_end(doc, j)
        if not doc[j - 1].whitespace_ or j - i > MAX_NAME_WORDS + 2:
            break
        if j + 1 < len(doc) and doc[j].text == "and" and _capitalized(doc[j + 1]):
            j += 1  # "Conference on Computer Vision and Pattern Recognition": too long to take whole
    if j == tail or doc[j - 1].lower_ in STOP_WORDS:
        return None
    return i, j


def _epithet_name(doc: Doc, i: int, dates: set[int]) -> tuple[int, int] | None:
    """"Pliny the Younger", "Tarquin the Proud", "Alfred the Great" starting at i: a proper noun, a
    lower-case "the" and one capitalized adjective, the name's end ("Distilling the Knowledge" opens
    with a verb; "Alfred the Great Dane" goes on)."""
    if i + 2 >= len(doc) or i in dates or doc[i].pos_ != "PROPN" or not _title_word(doc[i].text):
        return None
    if i > 0 and _capitalized(doc[i - 1]) and doc[i - 1].whitespace_:
        return None  # inside a longer name ("The Taming of the Shrew" is an "of"-name)
    epithet = doc[i + 2]
    if doc[i + 1].text != "the" or not _title_word(epithet.text) or i + 2 in dates:
        return None
    word = epithet.lower_
    if not (is_lemma(word, "adj") or lemmas(word, "adj")) or word in STOP_WORDS:
        return None
    if i + 3 < len(doc) and _capitalized(doc[i + 3]) and epithet.whitespace_:
        return None
    return i, i + 3


def _title_word(text: str) -> bool:
    return len(text) > 1 and text.isalpha() and text[0].isupper() and text[1:].islower()


# "v" joins the parties of a case in law reports ("Donoghue v Stevenson", "Roe v. Wade"); "vs"
# and "versus" set two things side by side ("TCP vs UDP") and join nothing.
_CASE_JOINS = frozenset({"v", "v."})
# Lower-case words inside a party's name ("Hochster v De la Tour", "Van der Merwe").
_NAME_PARTICLES = frozenset({"de", "la", "le", "du", "des", "van", "von", "der", "den", "di", "da", "del", "of", "and", "&"})


def _party_end(doc: Doc, j: int, dates: set[int]) -> int:
    """The token after the capitalized words (and the particles between them) from j."""
    end = j
    while j < len(doc) and j not in dates and (_capitalized(doc[j]) or doc[j].text in ("&",)
                                                or doc[j].lower_ in _NAME_PARTICLES and doc[j].text.islower()):
        j += 1
        if _capitalized(doc[j - 1]):
            end = j
        if not doc[j - 1].whitespace_ and _joins_name(doc, j):
            j += 1  # "Acuff-Rose"
            continue
        if not doc[j - 1].whitespace_ or j - end > 2:
            break
    return end


def _joins_name(doc: Doc, j: int) -> bool:
    """A hyphen at j glued between a capitalized word and another: one party's double-barrelled
    name ("Campbell v. Acuff-Rose", "Smith-Jones v Brown")."""
    return 0 < j < len(doc) - 1 and doc[j].text in ("-", "\u2010", "\u2011") and not doc[j].whitespace_ \
        and _capitalized(doc[j - 1]) and _capitalized(doc[j + 1])


def _case_name(doc: Doc, i: int, dates: set[int]) -> tuple[int, int] | None:
    """"Hadley v Baxendale", "Carlill v Carbolic Smoke Ball Co", "Hochster v De la Tour" starting at i."""
    if not _capitalized(doc[i]) or i in dates or doc[i].lower_ in STOP_WORDS or doc[i].text.isupper():
        return None
    if i > 0 and _capitalized(doc[i - 1]) and doc[i - 1].whitespace_ or _joins_name(doc, i - 1):
        return None  # the run starts before i
    j = i
    while j < len(doc) and _capitalized(doc[j]) and j not in dates and (doc[j].whitespace_ or _joins_name(doc, j + 1)):
        j += 1 if doc[j].whitespace_ else 2
    if j == i or j - i > MAX_NAME_WORDS or j + 1 >= len(doc) or doc[j].text not in _CASE_JOINS:
        return None
    end = _party_end(doc, j + 1, dates)
    if end == j + 1 or end - i > MAX_NAME_WORDS + 3:
        return None
    return i, end


# Heads of an eponym: what science and medicine name after a person ("Hooke's law", "Occam's razor").
EPONYM_HEADS = frozenset(
    """law rule principle theorem lemma conjecture hypothesis equation constant effect paradox razor
    syndrome disease sign triad number distribution formula algorithm criterion reflex experiment
    correction inequality coefficient fallacy dilemma""".split()
)
# The heads a common noun's possessive names a known argument with ("gambler's fallacy", "prisoner's
# dilemma"); before other heads it only owns ("the gambler's money", "the country's law").
_ARGUMENT_HEADS = frozenset({"fallacy", "dilemma", "paradox"})
_ORDINALS = frozenset("first second third fourth fifth zeroth last".split())


def eponym_end(doc: Doc, k: int) -> int | None:
    """The token after an eponym's head at k ("law", "third law", "laws"), or None."""
    if k < len(doc) and doc[k].lower_ in _ORDINALS and k + 1 < len(doc):
        k += 1
    if k < len(doc) and doc[k].text.islower() and doc[k].pos_ in ("NOUN", "PROPN") \
            and singular(doc[k].lower_) in EPONYM_HEADS:
        return k + 1
    return None


def _possessive_name(doc: Doc, i: int) -> tuple[int, int] | None:
    """"Halley's Comet" (a capitalized head), "St John's wort" (a saint's), "Hooke's law" (an eponym),
    "the gambler's fallacy" (a common noun's known argument)."""
    tok = doc[i]
    if tok.tag_ == "NN" and tok.text.islower() and tok.is_alpha and not tok.whitespace_ and i + 2 < len(doc) \
            and doc[i + 1].lower_ in ("'s", "\u2019s") and doc[i + 2].text.islower() \
            and singular(doc[i + 2].lower_) in _ARGUMENT_HEADS and eponym_end(doc, i + 2) == i + 3:
        return i, i + 3
    if not (tok.text[:1].isupper() and (tok.is_alpha or tok.lower_ == "st.")):
        return None
    if tok.lower_ in INSTRUCTION_WORDS and (i == 0 or tok.is_sent_start or doc[i - 1].is_punct):
        return None  # "State Newton's second law": the instruction is no part of the owner's name
    j = i
    while j + 1 < len(doc) and doc[j + 1].text[:1].isupper() and doc[j + 1].is_alpha and doc[j].whitespace_:
        j += 1
    if j + 2 >= len(doc) or doc[j + 1].lower_ not in ("'s", "\u2019s", "'") or doc[j].whitespace_:
        return None
    if doc[j].tag_ in ("NNP", "NNPS") and (eponym := eponym_end(doc, j + 2)) is not None:
        return i, eponym  # "Hubble's law", "Kepler's third law"
    head = doc[j + 2]
    if head.pos_ not in ("NOUN", "PROPN") or not head.is_alpha:
        return None
    if _of_name(doc, j + 2, set()) is not None:
        return None  # "Hannibal's Crossing of the Alps": the owner of an "of"-name, not a name
    saint = tok.lower_.rstrip(".") in ("st", "saint")
    titled = head.text[:1].isupper() and not head.text.isupper() and not head.is_sent_start
    after = doc[j + 3] if j + 3 < len(doc) else None
    if not (saint or titled) or (after is not None and after.pos_ in ("NOUN", "PROPN") and head.whitespace_):
        return None  # "AWS's DNS service", "Halley's Comet tail": the name is not the whole phrase
    return i, j + 3


# What a short code span naming a command, option, file or identifier is written with; a span
# with anything else ("f(x)", "a = b", "'msg'") is code, not a name.
_CODE_NAME = re.compile(r"^[\w.\-/+~:@#]+(?: [\w.\-/+~:@#]+){0,2}$")
# Python's special methods and argument packs: "__init__", "__repr__", "*args", "**kwargs".
_SPECIAL_NAME = re.compile(r"^(?:__[A-Za-z][A-Za-z0-9_]*__|\*{1,2}[A-Za-z_]\w*)$")
# A line of a program, not a command: "def f(items=[])", "x = {}", "try: ...".
_CODE_PUNCT = re.compile(r"[()\[\]{};:]")
_OPERATOR = re.compile(r"^[-+*/%=<>!&|^~]+$")
# Program and subcommand (plain lower-case words) before options or arguments.
_COMMAND = re.compile(r"^([a-z][a-z0-9]*(?: [a-z][a-z0-9-]*)?) (?:-|<|\.|[A-Z0-9\"']|\S*[~/=.])")
# ... with an argument that is a value: a number, a file or path, a placeholder, a quoted string.
_COMMAND_VALUE = re.compile(r"^([a-z][a-z0-9]*(?: [a-z][a-z0-9-]*)?) (?:<|\.|[A-Z0-9\"']|\S*[~/=.])")
_CALL_TEXT = re.compile(r"^([A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)+)\(.*\)$")
# A generic type with its parameters: "Box<T>", "Result<T, E>", "Arc<Mutex<T>>", "List<String>".
# A reference to a type or a value: "&str", "&mut T", "&self", "&dyn Summary".
_REFERENCE = re.compile(r"^&(?:mut )?(?:dyn )?[A-Za-z_]\w*$")
_BARE_CALL = re.compile(r"^([A-Za-z_]\w*)\([^()]*\)$")
_GENERIC_TYPE = re.compile(r"^([A-Za-z_][\w.:]*[A-Za-z0-9])<[^<>]*(?:<[^<>]*>[^<>]*)*>$")


def judge_code(doc: Doc, start: int, end: int) -> tuple[str, int, int] | None:
    """The concept a span of inline code names ("git stash pop", "--soft", ".gitignore"), or
    None when it is an expression, a whole line of code, or a bare number or letter."""
    while start < end and doc[start].text in ("`", "``", "'", '"'):
        start += 1
    while end > start and doc[end - 1].text in ("`", "''", "'", '"'):
        end -= 1
    if start >= end:
        return None
    call = next((i for i in range(start + 1, end) if doc[i].text == "("), None)
    if call is not None and doc[end - 1].text == ")" and not doc[call - 1].whitespace_:
        end = call  # "copy.deepcopy(x)" names copy.deepcopy
    text = doc[start:end].text
    if ": " in text and doc[start].text.endswith(":") is False:
        head = next((i for i in range(start, end) if doc[i].text == ":"), None)
        if head is not None and head > start:
            return judge_code(doc, start, head)  # "TypeError: unhashable type" names TypeError
    glued = _CALL_TEXT.match(text)  # the tokenizer keeps "copy.deepcopy(x" as one token
    if glued and "." in glued[1]:
        return glued[1].lower(), start, end
    generic = _GENERIC_TYPE.match(text)
    if generic and sum(c.isalpha() for c in generic[1]) >= 2:
        return generic[1].lower(), start, end  # "Box<T>" names Box, whatever its parameters
    if (called := _BARE_CALL.match(text)) is not None:
        text = called[1]  # "Some(T)", its "(" glued into one token "Some(T": the name called
    if _REFERENCE.match(text):
        return normalize_key(text), start, end  # "&str", "&mut T": the reference, as written
    if _SPECIAL_NAME.match(text):
        return text.lower(), start, end  # "__repr__", "*args": written so in every program
    # A short command with options is studied whole ("git merge --no-ff", "ls -la").
    command = _COMMAND_VALUE.match(text) or (not _CODE_NAME.match(text) and _COMMAND.match(text))
    if command and not _CODE_PUNCT.search(text) and command[1].split(" ")[0] not in CODE_KEYWORDS:
        # A command line: its program and subcommand are the name ("git reset --soft HEAD~1").
        words = command[1].split(" ")
        return judge_code(doc, start, start + len(words)) if len(words) < end - start else None
    if not _CODE_NAME.match(text) or sum(c.isalpha() for c in text) < 2 or "_" in text or "/" in text:
        return None  # "user_id", "foo/bar/baz": a program's variable or a path, not a name to study
    if any(_OPERATOR.match(part) or (len(part) == 1 and part.isalpha()) for part in text.split(" ")[1:]):
        return None  # "a + b", "x = 1": an expression
    key = normalize_key(text)
    # One capitalized word of code is a constant, a type or a variant of the language ("None",
    # "True", "Some", "Ok", "From"), though in prose it would be a function word or general.
    # (Not a label before a colon inside the code: "`Human: <instruction>`".)
    capitalized = (" " not in text and text[:1].isupper() and text[1:2].islower()
                   and not (end < len(doc) and doc[end].text == ":"))
    if not key or (key in STOP_WORDS and not capitalized) or not any(c.isalpha() for c in key):
        return None
    if " " not in text and not (text[:1] in "-." or "." in text.strip(".") or text.isupper() or capitalized):
        # One plain word ("timestamp", "title") is judged like any marked word; an option
        # ("--soft"), a file (".gitignore", "robots.txt") or a symbol ("HEAD") is a name.
        from kg.nlp.marked import acceptable_marked

        if not acceptable_marked(key):
            return None
    return key, start, end


# The small words a title keeps in lower case: "The Division of Labour in Society".
_TITLE_SMALL_WORDS = frozenset("of in the and a an for on to at by with from".split())


def work_title(doc: Doc, start: int, end: int) -> tuple[str, int, int] | None:
    """(key, start, end) of a work's title set in italics: title-case words joined by small words
    in lower case, three words or more ("*The Division of Labour in Society*", "*The Presentation
    of Self in Everyday Life*"); a leading article is no part of it. None for other italics."""
    if start < end and doc[start].lower_ in ("the", "a", "an"):
        start += 1
    words = [t for t in doc[start:end] if not t.is_punct]
    if len(words) < 3 or not (words[0].text[:1].isupper() and words[-1].text[:1].isupper()):
        return None
    small = [t for t in words if t.text.islower() and t.lower_ in _TITLE_SMALL_WORDS]
    titled = [t for t in words if t.is_alpha and t.text[:1].isupper() and not t.text.isupper()]
    if not small or len(small) + len(titled) != len(words) or len(titled) < 2:
        return None
    if end < len(doc) and doc[end].pos_ in ("NOUN", "PROPN") and doc[end - 1].whitespace_:
        return None  # a name the phrase goes on from: "*Squeeze and Excitation* layer"
    if any(word_language(t.text) == FOREIGN for t in titled):
        return None  # a sentence of another language: "*Veo a María*"
    key = normalize_key(doc[start:end].text)
    return (key, start, end) if key else None

