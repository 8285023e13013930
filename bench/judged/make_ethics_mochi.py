"""Write bench/judged/decks/ethics/ethics.mochi, a Mochi export: `python bench/judged/make_ethics_mochi.py`.

A held-out deck for bench/concept_eval.py (HELDOUT_SIXTH), written as Mochi's app exports a deck: a
zip holding `data.json` in Transit JSON (written by Cognitect's Transit writer, as the app's is:
keywords as `~:name`, keys cached after their first use, sets as `~#set`, dates as `~m`), with
`:version 2`, `:decks` nested by `:parent-id` (Philosophy › Ethics › Normative theories, Metaethics,
Applied ethics) and a `:templates` list. Cards are Mochi Markdown, their sides split by a `---`
line, with `**bold**`, `*italics*`, lists, Mochi's clozes (`{{…}}`), `#tags` written in the text
and tag sets; the four thinkers are cards of a "Thinker" template whose fields (`<< Name >>`,
`<< Known for >>`) fill its content; one card is a single side under a card name. Ids, positions
and dates are fixed, so the file is the same on every run and the judged cards
(bench/judged/gold_concepts.json, keyed by the cards' Mochi ids) stay the same cards.
"""

from __future__ import annotations

import io
import sys
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from transit.transit_types import Keyword as K
from transit.writer import Writer

OUT = Path(__file__).resolve().parent / "decks" / "ethics" / "ethics.mochi"
class _Set(frozenset):
    """A set Transit writes as `~#set`, its members in sorted order (the same file on every run)."""

    def __iter__(self):
        return iter(sorted(frozenset.__iter__(self)))


CREATED = datetime(2026, 11, 14, 19, 2, tzinfo=timezone.utc)

THINKER = {
    "id": "Thnk4rTp",
    "name": "Thinker",
    "content": "# << Name >>\n\n---\n\n<< Known for >>",
    "fields": {"name": ("Name", "a"), "kN0wnF0r": ("Known for", "b")},
}

# (deck id, name, parent id)
DECKS = [
    ("PhLs0phy", "Philosophy", None),
    ("Eth1csXq", "Ethics", "PhLs0phy"),
    ("N0rmTh3o", "Normative theories", "Eth1csXq"),
    ("M3taEthc", "Metaethics", "Eth1csXq"),
    ("ApplEth1", "Applied ethics", "Eth1csXq"),
]

# (card id, deck id, content, tags, extra keys: name, template fields)
CARDS = [
    ("uT1l1tar", "N0rmTh3o",
     "What is **utilitarianism**?\n\n---\n\nThe view that the right act is the one that produces the "
     "greatest overall happiness (well-being) for everyone affected.\n\nA form of **consequentialism**; "
     "the classical versions are Bentham's and Mill's.",
     {"normative"}, {}),
    ("aCtRuLe2", "N0rmTh3o",
     "Act vs rule utilitarianism\n\n---\n\n- **Act utilitarianism**: judge each act by its own "
     "consequences.\n- **Rule utilitarianism**: follow the rules whose general acceptance would "
     "maximise utility, even when breaking one would do more good this time.",
     {"normative"}, {}),
    ("kAnTth01", "N0rmTh3o", "", {"normative", "thinkers"},
     {"template": {"name": "Immanuel Kant",
                   "kN0wnF0r": "**Deontology**: the **categorical imperative**. Act only on a maxim you could "
                               "will to be a universal law, and treat humanity never merely as a means.\n\n"
                               "*Groundwork of the Metaphysics of Morals* (1785)"}}),
    ("m1LLth02", "N0rmTh3o", "", {"normative", "thinkers"},
     {"template": {"name": "John Stuart Mill",
                   "kN0wnF0r": "*Utilitarianism* (1863): the **greatest happiness principle**, with **higher "
                               "and lower pleasures** (\"better to be Socrates dissatisfied than a fool "
                               "satisfied\").\n\n*On Liberty* (1859): the **harm principle**."}}),
    ("ar1St0t3", "N0rmTh3o", "", {"normative", "thinkers"},
     {"template": {"name": "Aristotle",
                   "kN0wnF0r": "**Virtue ethics**: a virtue is a stable trait of character, a **mean** between "
                               "two vices (courage between cowardice and rashness). The aim of life is "
                               "*eudaimonia* (flourishing).\n\n*Nicomachean Ethics*"}}),
    ("rAwLs004", "N0rmTh3o", "", {"political", "thinkers"},
     {"template": {"name": "John Rawls",
                   "kN0wnF0r": "*A Theory of Justice* (1971): principles of justice chosen behind a **veil of "
                               "ignorance** in the **original position**. The **difference principle** allows "
                               "inequalities only if they benefit the least advantaged."}}),
    ("cAtImp07", "N0rmTh3o",
     "Kant: the {{categorical imperative}} commands unconditionally, while a {{hypothetical imperative}} "
     "commands only if you want some end (\"if you want to be trusted, keep your promises\"). #deontology",
     {"normative"}, {}),
    ("s0cC0ntr", "N0rmTh3o",
     "Social contract theory\n\n---\n\nMorality (or political authority) rests on an agreement that "
     "rational people would make for mutual benefit.\n\n**Hobbes**: without it, life in the **state of "
     "nature** is \"solitary, poor, nasty, brutish, and short\" (*Leviathan*, 1651).",
     {"political"}, {}),
    ("eG01sm09", "N0rmTh3o",
     "The view that each person ought to do what is in their own self-interest.\n\nNot to be confused "
     "with **psychological egoism**, the descriptive claim that people always *do* act from "
     "self-interest.",
     {"normative"}, {"name": "Ethical egoism"}),
    ("nRmMeta1", "M3taEthc",
     "What is the difference between **normative ethics** and **metaethics**?\n\n---\n\nNormative ethics "
     "asks what we ought to do: which acts are right or wrong.\n\nMetaethics asks what moral claims "
     "*are*: whether they can be true, what would make them true, and how we could know them.",
     {"metaethics"}, {}),
    ("r3aL1sm2", "M3taEthc",
     "Moral realism vs anti-realism\n\n---\n\n**Moral realism**: there are objective moral facts, true "
     "whatever anyone believes.\n\n**Anti-realism** denies this, e.g. **expressivism** (moral claims "
     "express attitudes, not beliefs) and **error theory** (they aim at facts but are all false; "
     "J. L. Mackie).",
     {"metaethics"}, {}),
    ("hUm3IsOu", "M3taEthc",
     "Hume's **is–ought problem**\n\n---\n\nNo set of purely descriptive premises (what *is*) entails a "
     "conclusion about what *ought* to be; an argument that seems to has a hidden evaluative premise.\n\n"
     "Also called **Hume's guillotine**.",
     {"metaethics"}, {}),
    ("0pnQst04", "M3taEthc",
     "What is G. E. Moore's **open question argument**?\n\n---\n\nFor any natural property N offered as "
     "the definition of \"good\", it remains an open question whether N is good; so goodness is not N.\n\n"
     "Moore called the mistake of defining it so the **naturalistic fallacy** (*Principia Ethica*, 1903).",
     {"metaethics"}, {}),
    ("cUlRel05", "M3taEthc",
     "{{Cultural relativism}} holds that an act is right or wrong only relative to the moral code of a "
     "culture.\n\nCommon objection: it cannot condemn slavery in a society that accepted it, and it makes "
     "moral reformers wrong by definition.",
     {"metaethics"}, {}),
    ("tR0lLey1", "ApplEth1",
     "What is the **trolley problem** meant to test?\n\n---\n\nWhy many people think it permissible to "
     "divert a runaway trolley, killing one to save five, but not to push a man off a footbridge to stop "
     "it.\n\nIt probes the difference between **killing and letting die**, and between intending harm and "
     "merely foreseeing it (see DDE).",
     {"applied", "thought-experiments"}, {}),
    ("d0ubl3Ef", "ApplEth1",
     "Doctrine of double effect (DDE)\n\n---\n\nAn act with a bad side effect may be permissible if:\n\n"
     "1. the act itself is not wrong\n2. the bad effect is foreseen but not intended\n3. the bad effect is "
     "not the means to the good one\n4. there is a proportionate reason\n\nTraced to **Thomas Aquinas** on "
     "killing in self-defence.",
     {"applied"}, {}),
    ("b10Eth4p", "ApplEth1",
     "Four principles of **biomedical ethics** (Beauchamp & Childress)\n\n---\n\n1. respect for "
     "**autonomy**\n2. **beneficence**\n3. **non-maleficence** (\"first, do no harm\")\n4. **justice**",
     {"applied", "bioethics"}, {}),
    ("1nfC0ns8", "ApplEth1",
     "What does **informed consent** require?\n\n---\n\nThe patient is competent, is given the relevant "
     "information (risks, benefits, alternatives), understands it, and agrees voluntarily, without "
     "coercion. #bioethics",
     {"applied"}, {}),
    ("s1nG3rDc", "ApplEth1",
     "Peter Singer's drowning child argument\n\n---\n\nIf you would wade into a shallow pond to save a "
     "drowning child at the cost of ruining your clothes, you ought to give money to prevent deaths from "
     "poverty far away: distance makes no moral difference.\n\n*Famine, Affluence, and Morality* (1972)",
     {"applied", "thought-experiments"}, {}),
    ("sPc1s1sm", "ApplEth1",
     "What is **speciesism**?\n\n---\n\nGiving less weight to a being's interests just because it is not "
     "a member of our species. Singer compares it to racism and sexism (*Animal Liberation*, 1975).",
     {"applied", "animals"}, {}),
]


def _deck(deck_id: str, name: str, parent: str | None, sort: int) -> dict:
    deck = {K("id"): deck_id, K("name"): name, K("sort"): sort, K("archived?"): False, K("trashed?"): False,
            K("cards"): []}
    if parent:
        deck[K("parent-id")] = parent
    return deck


def _card(i: int, card_id: str, deck_id: str, content: str, tags: set, extra: dict) -> dict:
    made = CREATED + timedelta(minutes=7 * i)
    card = {K("id"): card_id, K("deck-id"): deck_id, K("content"): content, K("name"): extra.get("name", ""),
            K("tags"): _Set(tags), K("pos"): f"{i + 1:02d}", K("archived?"): False,
            K("review-reverse?"): False, K("references"): _Set(), K("created-at"): made,
            K("updated-at"): made}
    if "template" in extra:
        values = extra["template"]
        card[K("name")] = values["name"]
        card[K("template-id")] = THINKER["id"]
        card[K("fields")] = {key: {K("id"): key, K("value"): value} for key, value in values.items()}
    return card


def data() -> dict:
    decks = {deck_id: _deck(deck_id, name, parent, i) for i, (deck_id, name, parent) in enumerate(DECKS)}
    for i, (card_id, deck_id, content, tags, extra) in enumerate(CARDS):
        decks[deck_id][K("cards")].append(_card(i, card_id, deck_id, content, tags, extra))
    template = {K("id"): THINKER["id"], K("name"): THINKER["name"], K("content"): THINKER["content"],
                K("pos"): "a",
                K("fields"): {key: {K("id"): key, K("name"): name, K("pos"): pos}
                              for key, (name, pos) in THINKER["fields"].items()}}
    return {K("version"): 2, K("decks"): list(decks.values()), K("templates"): [template]}


def build(out: Path = OUT) -> Path:
    text = io.StringIO()
    Writer(text, "json").write(data())
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("data.json", date_time=(2026, 12, 2, 12, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, text.getvalue())
    return out


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
