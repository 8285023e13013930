"""Write bench/judged/decks/volcanology/volcanology.colpkg with Anki's own library: `python bench/judged/make_volcanology_colpkg.py`.

A held-out deck for bench/concept_eval.py (HELDOUT_FIFTEENTH), written as a student's whole Anki collection is when
it is backed up with File > Export > "Anki Collection Package" (.colpkg, Anki's current format, `legacy=False`), not a
deck package: a note type of the student's own, "Volcano term" (Prompt, Explanation, Example; the card shows the
Prompt, the answer the Explanation and the Example in italics), beside Basic, "Basic (and reversed card)" and Cloze
notes in sub-decks of `Volcanology` (`Volcanology::Magma`, `Volcanology::Volcanoes`, `Volcanology::Eruptions and
hazards`), `::` tags on most notes; fields in Anki's HTML (`<b>`, `<i>`, `<br>`, a `<ul>` list, `&nbsp;`), chemical
formulas in Unicode subscripts (SiO₂, SO₂), Hawaiian names with their macrons and ʻokina (Pāhoehoe, ʻaʻā, Kīlauea),
numbers with units (°C, km/h, km³), and the abbreviations a student writes ("e.g.", "yrs", "approx", "VEI", "NE").
Each note has a fixed guid, so the judged cards (bench/judged/gold_concepts.json, keyed by guid) stay the same cards
when the package is written again; Anki's note ids and timestamps change on every run, so the .colpkg in the
repository is the one the judgement was made on.
"""

from __future__ import annotations

import sys
from pathlib import Path

from anki_package import collection_with  # beside this script

OUT = Path(__file__).resolve().parent / "decks" / "volcanology" / "volcanology.colpkg"

MAGMA = "Volcanology::Magma"
VOLCANOES = "Volcanology::Volcanoes"
ERUPTIONS = "Volcanology::Eruptions and hazards"

TERM = "Volcano term"
NOTE_TYPES = {
    TERM: (["Prompt", "Explanation", "Example"],
           "{{Prompt}}",
           "{{FrontSide}}<hr id=answer>{{Explanation}}<br><br><i>{{Example}}</i>"),
}

# (guid, deck, note type, fields, tags)
NOTES = [
    ("Vol15-01", MAGMA, TERM,
     ["Magma vs lava",
      "<b>Magma</b> is molten rock below the surface; once it erupts onto the surface it is called <b>lava</b>.",
      "Kīlauea's lava lake"],
     ["volc::magma"]),
    ("Vol15-02", MAGMA, "Basic",
     ["What controls the viscosity of a magma?",
      "Mainly its <b>silica (SiO₂) content</b> and temperature: more silica → a more polymerised melt → higher "
      "viscosity. Dissolved gas (H₂O, CO₂) lowers it; crystals raise it."],
     ["volc::magma"]),
    ("Vol15-03", MAGMA, "Cloze",
     ["{{c1::Basaltic}} magma is low in silica (~50% SiO₂), hot (approx 1100–1200&nbsp;°C) and runny; "
      "{{c2::rhyolitic}} magma is ~70% SiO₂ and very viscous.",
      "Andesitic sits in between (~60%)."],
     ["volc::magma"]),
    ("Vol15-04", MAGMA, "Basic",
     ["Why are there volcanoes at subduction zones?",
      "The subducting oceanic slab releases water into the mantle wedge above it; the water lowers the melting "
      "point of the peridotite (<i>flux melting</i>), and the magma rises to build a volcanic arc."],
     ["volc::magma", "volc::plates"]),
    ("Vol15-05", MAGMA, "Basic (and reversed card)",
     ["Hotspot",
      "A plume of hot mantle rising under a plate, independent of plate boundaries. As the plate moves over it, "
      "it leaves a chain of volcanoes that get older away from the hotspot (the Hawaiian–Emperor chain)."],
     ["volc::plates"]),
    ("Vol15-06", VOLCANOES, TERM,
     ["Shield volcano",
      "Broad, gently sloping cone built from many thin flows of fluid basaltic lava; effusive eruptions.",
      "Mauna Loa, Hawaii"],
     ["volc::types"]),
    ("Vol15-07", VOLCANOES, TERM,
     ["Stratovolcano (composite volcano)",
      "Steep cone of alternating lava flows and pyroclastic layers (tephra, ash). Andesitic magma, explosive "
      "eruptions; typical above subduction zones.",
      "Mt Fuji, Mt St Helens"],
     ["volc::types"]),
    ("Vol15-08", VOLCANOES, "Basic",
     ["What is a caldera and how does it form?",
      "A large basin-shaped depression formed when the ground collapses into a magma chamber emptied by a huge "
      "eruption.<br>Not the same as a crater (craters are smaller, blasted out at the vent)."],
     ["volc::types"]),
    ("Vol15-09", VOLCANOES, "Basic",
     ["What is a supervolcano?",
      "A volcano that has had an eruption of VEI 8 (&gt; 1,000 km³ of material). e.g. Yellowstone, Toba (~74,000 "
      "yrs ago), Taupō."],
     ["volc::types"]),
    ("Vol15-10", VOLCANOES, "Cloze",
     ["Pillow lava forms when lava erupts {{c1::underwater}}: the outer skin chills at once, and the pillows pile "
      "up at {{c2::mid-ocean ridges}}.",
      ""],
     ["volc::types"]),
    ("Vol15-11", VOLCANOES, "Basic",
     ["Pāhoehoe vs ʻaʻā",
      "Both basaltic lava flows (Hawaiian names).<br><b>Pāhoehoe</b>: smooth, ropy surface, hotter &amp; more "
      "fluid.<br><b>ʻAʻā</b>: rough, jagged clinker, cooler and more viscous."],
     ["volc::lava"]),
    ("Vol15-12", ERUPTIONS, "Cloze",
     ["The {{c1::Volcanic Explosivity Index}} (VEI) is a {{c2::logarithmic}} scale from 0 to 8, based mostly on "
      "the volume of tephra erupted; each step is ~10× more material.",
      ""],
     ["volc::eruptions"]),
    ("Vol15-13", ERUPTIONS, "Basic",
     ["Plinian eruption",
      "A very explosive eruption with a tall, sustained eruption column (up to 40+ km) of gas and tephra that "
      "reaches the stratosphere. Named after Pliny the Younger, who described Vesuvius in AD 79."],
     ["volc::eruptions"]),
    ("Vol15-14", ERUPTIONS, "Basic",
     ["Strombolian vs Hawaiian eruptions",
      "<b>Hawaiian</b>: gentle lava fountains and flows of fluid basalt.<br><b>Strombolian</b>: short bursts "
      "of gas throwing out glowing bombs and cinders every few minutes (Stromboli, Italy)."],
     ["volc::eruptions"]),
    ("Vol15-15", ERUPTIONS, TERM,
     ["Tephra",
      "All the fragments an eruption throws into the air, sorted by size: ash (&lt; 2 mm), lapilli (2–64 mm), "
      "volcanic bombs and blocks (&gt; 64 mm).",
      "Ash fall from Eyjafjallajökull 2010 closed European airspace"],
     ["volc::eruptions"]),
    ("Vol15-16", ERUPTIONS, TERM,
     ["Pyroclastic flow",
      "Fast-moving (up to 700 km/h), ground-hugging avalanche of hot gas, ash and rock fragments at several "
      "hundred °C. The deadliest volcanic hazard.",
      "Vesuvius, AD 79, buried Pompeii; Mt Pelée 1902"],
     ["volc::hazards"]),
    ("Vol15-17", ERUPTIONS, "Basic",
     ["What is a lahar?",
      "A volcanic mudflow: ash and debris mixed with water (rain, melted snow or ice, a crater lake) rushing down "
      "river valleys like wet concrete. Nevado del Ruiz 1985 buried Armero (~23,000 deaths)."],
     ["volc::hazards"]),
    ("Vol15-18", ERUPTIONS, "Basic",
     ["How do big eruptions cool the climate?",
      "Sulfur dioxide (SO₂) injected into the stratosphere forms sulfate aerosols that reflect sunlight; global "
      "temps can drop ~0.5&nbsp;°C for 1–2 yrs.<br>e.g. Pinatubo 1991; Tambora 1815 → the \"Year Without a "
      "Summer\" (1816)."],
     ["volc::hazards", "volc::climate"]),
    ("Vol15-19", ERUPTIONS, "Basic",
     ["Main gases released by volcanoes",
      "Water vapour (the most), CO₂ and SO₂, plus H₂S, HCl and HF. A rising SO₂ flux can mean fresh magma is "
      "moving up."],
     ["volc::monitoring"]),
    ("Vol15-20", ERUPTIONS, "Basic",
     ["How are volcanoes monitored?",
      "<ul><li>seismometers: earthquake swarms, harmonic tremor</li><li>ground deformation: tiltmeters, GPS, "
      "InSAR</li><li>gas: SO₂ flux measured by COSPEC / DOAS</li><li>thermal imaging from satellites</li></ul>"],
     ["volc::monitoring"]),
]


def main() -> int:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with collection_with(NOTES, NOTE_TYPES) as col:
        # The whole collection, as File > Export > "Anki Collection Package" writes it (and closes it).
        col.export_collection_package(str(OUT), include_media=True, legacy=False)
    print(OUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
