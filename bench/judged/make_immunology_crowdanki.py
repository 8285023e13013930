"""Write bench/judged/decks/immunology/Immunology/deck.json, a CrowdAnki export: `python bench/judged/make_immunology_crowdanki.py`.

A held-out deck for bench/concept_eval.py (HELDOUT_SEVENTH), written as CrowdAnki (the Anki add-on
decks are shared on GitHub with) exports one: the notes are first added to a real collection by
Anki's own library (the `anki` package), then the deck, its child decks, its note types, its deck
options and its notes are written the way CrowdAnki's exporter writes them: `Deck`, `NoteModel`,
`DeckConfig` and `Note` objects taken from Anki's own dictionaries, less the keys CrowdAnki filters
out (`id`, `mod`, `usn`, a deck's `conf` and today-counters, a note type's `did`, a note's `mid`),
with a `crowdanki_uuid` on decks, note types and deck options, `note_model_uuid` on notes, note
types and deck options only on the top deck, a child deck under its last name (`Innate` under
`Immunology`), and `json.dumps(sort_keys=True, indent=4, ensure_ascii=False)` into
`<deck name>/deck.json`. Note types: Basic, Cloze (with a hint on one deletion) and a custom
"Immune cell" note type of five fields whose front shows only the cell's name. Fields are Anki's
HTML (`<b>`, `<i>`, `<br>`, `<ol>`/`<ul>`, `<sub>`, `&gt;`). Guids, uuids and the field and template
ids Anki draws at random are fixed, so the file is the same on every run and the judged cards
(bench/judged/gold_concepts.json, keyed by guid) stay the same cards.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parent / "decks" / "immunology" / "Immunology" / "deck.json"

CELL = "Immune cell"
CELL_FIELDS = ("Cell", "Lineage", "Markers", "Function", "Notes")
CELL_FRONT = '<div class="cell">{{Cell}}</div>'
CELL_BACK = ('{{FrontSide}}\n\n<hr id=answer>\n\n<b>Lineage:</b> {{Lineage}}<br>\n<b>Markers:</b> {{Markers}}'
             '<br>\n{{Function}}\n{{#Notes}}<div class="notes">{{Notes}}</div>{{/Notes}}')
CELL_CSS = (".card {\n    font-family: arial;\n    font-size: 20px;\n    text-align: center;\n    color: black;\n"
            "    background-color: white;\n}\n.cell { font-size: 28px; font-weight: bold; }\n"
            ".notes { margin-top: 12px; font-size: 16px; color: #555; }\n")

# Fixed CrowdAnki uuids (uuid1, as CrowdAnki draws them).
UUIDS = {
    "deck:Immunology": "5b0e4a2c-9f3d-11ef-9c41-5a1b7e3d2c01",
    "deck:Immunology::Innate": "5b0e4a2c-9f3d-11ef-9c41-5a1b7e3d2c02",
    "deck:Immunology::Adaptive": "5b0e4a2c-9f3d-11ef-9c41-5a1b7e3d2c03",
    "deck:Immunology::Clinical": "5b0e4a2c-9f3d-11ef-9c41-5a1b7e3d2c04",
    "model:Basic": "5b0e4a2c-9f3d-11ef-9c41-5a1b7e3d2c11",
    "model:Cloze": "5b0e4a2c-9f3d-11ef-9c41-5a1b7e3d2c12",
    f"model:{CELL}": "5b0e4a2c-9f3d-11ef-9c41-5a1b7e3d2c13",
    "config:1": "5b0e4a2c-9f3d-11ef-9c41-5a1b7e3d2c21",
}

# (guid, deck, note type, fields, tags)
NOTES = [
    ("1mmUn0-01", "Immunology::Innate", "Basic",
     ["What are the main differences between innate and adaptive immunity?",
      "<b>Innate</b>: fast (minutes to hours), non-specific, no memory; barriers, phagocytes, complement, "
      "NK cells.<br><b>Adaptive</b>: slow the first time (days), highly specific, has <i>immunological "
      "memory</i>; T and B lymphocytes."],
     ["immuno::basics"]),
    ("1mmUn0-02", "Immunology::Innate", "Cloze",
     ["{{c1::Toll-like receptors::receptor family}} (TLRs) are {{c2::pattern recognition receptors}} that "
      "bind {{c3::PAMPs}} such as LPS and flagellin.",
      "PAMP = pathogen-associated molecular pattern. TLR4 binds the LPS of gram-negative bacteria."],
     ["immuno::innate"]),
    ("1mmUn0-03", "Immunology::Innate", CELL,
     ["Neutrophil",
      "myeloid",
      "CD15, CD16",
      "First responders in acute inflammation: phagocytose bacteria, release granules and form NETs "
      "(neutrophil extracellular traps).",
      "Most abundant white blood cell; pus is mostly dead neutrophils."],
     ["immuno::cells"]),
    ("1mmUn0-04", "Immunology::Innate", CELL,
     ["Natural killer cell",
      "lymphoid (innate lymphoid cell)",
      "CD16, CD56; no CD3",
      "Kill virus-infected and tumour cells that have lost MHC class I (&quot;missing self&quot;), using "
      "perforin and granzymes.",
      ""],
     ["immuno::cells"]),
    ("1mmUn0-05", "Immunology::Innate", "Basic",
     ["Complement: the three activation pathways?",
      "<ol><li><b>Classical</b> – antibody (IgG/IgM) bound to antigen, via C1q</li><li><b>Lectin</b> – "
      "mannose-binding lectin on microbial sugars</li><li><b>Alternative</b> – spontaneous C3 hydrolysis "
      "on pathogen surfaces</li></ol>All meet at C3 convertase → C3b opsonisation, C5a inflammation, "
      "MAC (C5b-9) lysis."],
     ["immuno::innate", "complement"]),
    ("1mmUn0-06", "Immunology::Innate", "Cloze",
     ["{{c1::Opsonization}} is coating a pathogen with {{c2::antibodies or C3b}} so that phagocytes engulf "
      "it more easily.",
      ""],
     ["immuno::innate", "complement"]),
    ("1mmUn0-07", "Immunology::Innate", "Basic",
     ["Cardinal signs of inflamation?",
      "rubor (redness), calor (heat), tumor (swelling), dolor (pain) + functio laesa (loss of function)."
      "<br>Caused by vasodilation and increased vascular permeability (histamine, prostaglandins, "
      "bradykinin)."],
     ["immuno::innate"]),
    ("1mmUn0-08", "Immunology::Adaptive", CELL,
     ["Helper T cell",
      "lymphoid (matures in the thymus)",
      "CD3, CD4",
      "Recognises antigen on MHC class II; releases cytokines that activate B cells, macrophages and CD8 "
      "T cells.",
      "Th1 → IFN-γ; Th2 → IL-4, IL-5; Th17 → IL-17"],
     ["immuno::cells", "immuno::adaptive"]),
    ("1mmUn0-09", "Immunology::Adaptive", CELL,
     ["Cytotoxic T cell",
      "lymphoid (thymus)",
      "CD3, CD8",
      "Kills infected or cancerous cells that present the antigen on MHC class I.",
      ""],
     ["immuno::cells", "immuno::adaptive"]),
    ("1mmUn0-10", "Immunology::Adaptive", "Basic",
     ["MHC class I vs MHC class II",
      "<b>Class I</b>: on all nucleated cells; presents <i>endogenous</i> (cytosolic) peptides to "
      "CD8<sup>+</sup> T cells.<br><b>Class II</b>: on antigen-presenting cells (dendritic cells, "
      "macrophages, B cells); presents <i>exogenous</i> peptides to CD4<sup>+</sup> T cells."],
     ["immuno::adaptive", "mhc"]),
    ("1mmUn0-11", "Immunology::Adaptive", "Basic",
     ["What is an antigen-presenting cell? Which one is the most important?",
      "A cell that takes up antigen, processes it and shows the peptides on MHC II together with "
      "co-stimulatory signals (B7 → CD28).<br>The <b>dendritic cell</b> is the most potent: it carries "
      "antigen from the tissue to the lymph node."],
     ["immuno::adaptive", "mhc"]),
    ("1mmUn0-12", "Immunology::Adaptive", "Basic",
     ["Antibody structure",
      "Y-shaped: two heavy chains + two light chains held together by disulfide bonds.<br>The <b>Fab</b> "
      "region (variable domains) binds antigen; the <b>Fc</b> region sets the isotype and binds Fc "
      "receptors and complement."],
     ["immuno::antibodies"]),
    ("1mmUn0-13", "Immunology::Adaptive", "Basic",
     ["5 antibody isotypes + one fact each",
      "<ul><li>IgG – most abundant, crosses the placenta</li><li>IgA – mucosal secretions and breast "
      "milk (a dimer)</li><li>IgM – made first in a primary response, a pentamer</li><li>IgE – allergy and "
      "parasites, binds mast cells</li><li>IgD – on naive B cells, function unclear</li></ul>"],
     ["immuno::antibodies"]),
    ("1mmUn0-14", "Immunology::Adaptive", "Cloze",
     ["In {{c1::class switching}} a B cell changes the constant region of its heavy chain (e.g. IgM → IgG) "
      "but keeps the same {{c2::antigen specificity}}; it needs help from T<sub>FH</sub> cells through "
      "{{c3::CD40L}}–CD40.",
      "Happens in germinal centres, alongside somatic hypermutation."],
     ["immuno::antibodies"]),
    ("1mmUn0-15", "Immunology::Adaptive", "Basic",
     ["Why is the 2nd exposure to a pathogen faster &amp; stronger?",
      "Memory B and T cells made in the primary response persist; on re-exposure they expand quickly. "
      "The secondary response is mostly high-affinity IgG (affinity maturation).<br>This is the basis of "
      "vaccination."],
     ["immuno::adaptive", "memory"]),
    ("1mmUn0-16", "Immunology::Adaptive", "Basic",
     ["Clonal selection",
      "Each lymphocyte carries one receptor specificity; antigen binding selects that clone to "
      "proliferate and differentiate (into plasma cells or effector T cells).<br>Self-reactive clones "
      "are deleted in the thymus / bone marrow (<i>central tolerance</i>)."],
     ["immuno::adaptive"]),
    ("1mmUn0-17", "Immunology::Clinical", "Basic",
     ["Hypersensitivity types (Gell &amp; Coombs)",
      "I – immediate, IgE and mast cells (anaphylaxis, hay fever)<br>II – antibodies against cell-surface "
      "antigens (haemolytic disease of the newborn, Graves')<br>III – immune complex deposition (SLE, "
      "serum sickness)<br>IV – delayed, T-cell mediated (contact dermatitis, TB skin test)"],
     ["immuno::clinical", "hypersensitivity"]),
    ("1mmUn0-18", "Immunology::Clinical", "Cloze",
     ["In {{c1::anaphylaxis}}, cross-linking of IgE on {{c2::mast cells}} releases histamine; first-line "
      "treatment is IM {{c3::adrenaline (epinephrine)}}.",
      "0.5 mg IM for an adult, repeat after 5 min if no better."],
     ["immuno::clinical", "hypersensitivity"]),
    ("1mmUn0-19", "Immunology::Clinical", "Basic",
     ["How does HIV cause immunodeficiency?",
      "HIV infects CD4<sup>+</sup> T cells (binding CD4, with CCR5 or CXCR4 as co-receptor) and depletes "
      "them; below 200 CD4 cells/µL = AIDS, with opportunistic infections such as <i>Pneumocystis</i> "
      "pneumonia."],
     ["immuno::clinical"]),
    ("1mmUn0-20", "Immunology::Clinical", "Basic",
     ["Active vs passive immunity, with examples",
      "Active: your own immune system makes antibodies and memory cells – infection or "
      "<b>vaccination</b>. Long-lasting.<br>Passive: ready-made antibodies are given – maternal IgG "
      "across the placenta, antivenom, IVIG. Immediate but short-lived (weeks)."],
     ["immuno::clinical", "memory"]),
]

DESCRIPTIONS = {
    "Immunology": "Immunology for the 2nd-year block (Janeway ch. 1-14 + lectures).",
}

# CrowdAnki's export filters (crowd_anki/representation): keys it never writes.
_COMMON = {"mod", "usn", "id"}
_DECK_OUT = _COMMON | {"newToday", "revToday", "timeToday", "lrnToday", "browserCollapsed", "collapsed", "conf"}
_MODEL_OUT = _COMMON | {"did"}


def _fixed_id(*parts: str) -> int:
    """A field's or template's id, fixed (Anki draws them at random) so the file is the same every run."""
    return int.from_bytes(hashlib.sha256("/".join(parts).encode()).digest()[:8], "big", signed=True)


def _collection(tmp: Path):
    from anki.collection import Collection

    col = Collection(str(tmp / "collection.anki2"))
    mm = col.models
    model = mm.new(CELL)
    for name in CELL_FIELDS:
        mm.add_field(model, mm.new_field(name))
    template = mm.new_template("Card 1")
    template["qfmt"], template["afmt"] = CELL_FRONT, CELL_BACK
    mm.add_template(model, template)
    model["css"] = CELL_CSS
    mm.add(model)
    for guid, deck, note_type, fields, tags in NOTES:
        note = col.new_note(mm.by_name(note_type))
        for name, value in zip(note.keys(), fields):
            note[name] = value
        note.tags = list(tags)
        note.guid = guid
        col.add_note(note, col.decks.id(deck))
    for name, desc in DESCRIPTIONS.items():
        deck = col.decks.get(col.decks.id(name))
        deck["desc"] = desc
        col.decks.save(deck)
    return col


def _model(col, mid: int) -> dict:
    model = dict(col.models.get(mid))
    for kind in ("flds", "tmpls"):
        model[kind] = [{**item, "id": _fixed_id(model["name"], kind, item["name"])} for item in model[kind]]
    out = {k: v for k, v in model.items() if k not in _MODEL_OUT}
    return {**out, "__type__": "NoteModel", "crowdanki_uuid": UUIDS[f"model:{model['name']}"]}


def _deck(col, did: int, models: dict, configs: dict, child: bool) -> dict:
    anki_deck = col.decks.get(did)
    name = anki_deck["name"]
    config = col.decks.config_dict_for_deck_id(did)
    config_uuid = UUIDS[f"config:{config['id']}"]
    configs.setdefault(config_uuid, {**{k: v for k, v in config.items() if k not in _COMMON},
                                     "__type__": "DeckConfig", "crowdanki_uuid": config_uuid})
    notes = []
    for nid in sorted(col.find_notes(f'"deck:{name}" -"deck:{name}::*"')):
        note = col.get_note(nid)
        model = _model(col, note.mid)
        models.setdefault(model["crowdanki_uuid"], model)
        notes.append({"__type__": "Note", "fields": list(note.fields), "guid": note.guid,
                      "note_model_uuid": model["crowdanki_uuid"], "tags": list(note.tags)})
    children = [_deck(col, c, models, configs, True) for _, c in sorted(col.decks.children(did))]
    out = {k: v for k, v in anki_deck.items() if k not in _DECK_OUT}
    out.update({"__type__": "Deck", "children": children, "crowdanki_uuid": UUIDS[f"deck:{name}"],
                "deck_config_uuid": config_uuid, "media_files": [],
                "notes": notes})
    if child:
        out["name"] = name.split("::")[-1]
    return out


def build(out: Path = OUT) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        col = _collection(Path(tmp))
        try:
            models: dict = {}
            configs: dict = {}
            deck = _deck(col, col.decks.id("Immunology"), models, configs, False)
            deck["note_models"] = list(models.values())
            deck["deck_configurations"] = list(configs.values())
        finally:
            col.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(deck, sort_keys=True, indent=4, ensure_ascii=False), encoding="utf-8")
    return out


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
