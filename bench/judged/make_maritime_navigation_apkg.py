"""Write bench/judged/decks/maritime-navigation/maritime-navigation.apkg with Anki's own library: `python bench/judged/make_maritime_navigation_apkg.py`.

A held-out deck for bench/concept_eval.py (HELDOUT_SEVENTEENTH), written as a Yachtmaster student's deck is when it is
exported with File > Export > "Anki Deck Package" and "Support older Anki versions" ticked (`legacy=True`: a
`collection.anki21` of schema 11, as Anki 2.1.x wrote packages, with its media list), so no judged deck's layout: a
note type of the student's own, "COLREG rule" (Rule, Situation, Action, Memory aid), whose card asks the Situation and
shows the Rule number on the front in small type; beside "Basic (optional reversed card)" with Add Reverse filled on
some notes, "Basic (type in the answer)" and Cloze notes in sub-decks of `Navigation` (`::COLREGs`, `::Chartwork`,
`::Tides`, `::Buoyage`), space-separated tags, fields in Anki's HTML (`<b>`, `<i>`, `<u>`, `<br>`, a `<ul>` list,
`&nbsp;`, `&gt;`), the abbreviations a student writes (CTS, COG, SOG, HW, LW, MHWS, CD, IALA, TVMDC, DR, EP, kn, nm),
degrees and bearings ("045°T"), formulas in words and arrows ("T = V + D"), and mnemonics. Each note has a fixed guid,
so the judged cards (bench/judged/gold_concepts.json, keyed by guid) stay the same cards when the package is written
again; Anki's note ids and timestamps change on every run, so the .apkg in the repository is the one the judgement
was made on.
"""

from __future__ import annotations

import sys
from pathlib import Path

from anki_package import collection_with  # beside this script

OUT = Path(__file__).resolve().parent / "decks" / "maritime-navigation" / "maritime-navigation.apkg"

COLREGS = "Navigation::COLREGs"
CHARTWORK = "Navigation::Chartwork"
TIDES = "Navigation::Tides"
BUOYAGE = "Navigation::Buoyage"

RULE = "COLREG rule"
NOTE_TYPES = {
    RULE: (["Rule", "Situation", "Action", "Memory aid"],
           "<small>Rule {{Rule}}</small><br>{{Situation}}",
           "{{FrontSide}}<hr id=answer>{{Action}}{{#Memory aid}}<br><i>{{Memory aid}}</i>{{/Memory aid}}"),
}
OPTIONAL_REVERSED = "Basic (optional reversed card)"
TYPE_IN = "Basic (type in the answer)"

# (guid, deck, note type, fields, tags)
NOTES = [
    ("Nav17-01", COLREGS, RULE,
     ["14",
      "Two power-driven vessels meeting on reciprocal or nearly reciprocal courses (head-on).",
      "<b>Both</b> alter course to <b>starboard</b> so each passes on the other's port side.",
      "Red to red, safe to go"],
     ["colregs steering"]),
    ("Nav17-02", COLREGS, RULE,
     ["15",
      "Crossing situation between two power-driven vessels: who gives way?",
      "The vessel which has the other on her own <u>starboard</u> side keeps out of the way and avoids crossing "
      "ahead. The other is the stand-on vessel (Rule 17).",
      "If to starboard red appear, 'tis your duty to keep clear"],
     ["colregs steering"]),
    ("Nav17-03", COLREGS, RULE,
     ["13",
      "When is a vessel overtaking, and who keeps clear?",
      "Coming up from more than 22.5° abaft the beam of the other (at night she would see only the sternlight). "
      "The overtaking vessel keeps clear, even a sailing vessel overtaking a motor vessel.",
      ""],
     ["colregs steering"]),
    ("Nav17-04", COLREGS, RULE,
     ["18",
      "Order of responsibilities between vessels (the \"pecking order\")",
      "Power gives way to sail; sail gives way to a vessel engaged in fishing, a vessel restricted in her ability "
      "to manoeuvre (RAM) and a vessel not under command (NUC).",
      "NUC, RAM, CBD, fishing, sail, power"],
     ["colregs"]),
    ("Nav17-05", COLREGS, "Basic",
     ["Lights of a power-driven vessel underway, &lt; 50 m",
      "Masthead light (white, 225°), sidelights (red port, green starboard, 112.5° each) and a sternlight (white, "
      "135°)."],
     ["colregs lights"]),
    ("Nav17-06", COLREGS, "Cloze",
     ["In restricted visibility a power-driven vessel making way sounds {{c1::one prolonged blast}} at intervals of "
      "not more than {{c2::2 minutes}} (Rule 35).",
      "Stopped but underway: two prolonged blasts."],
     ["colregs sound_signals"]),
    ("Nav17-07", CHARTWORK, "Basic",
     ["How do you convert a true course to a compass course?",
      "True → Magnetic → Compass: apply <b>variation</b> then <b>deviation</b>. Going from compass to true, add "
      "easterly and subtract westerly errors: <i>Error East, Compass Least; Error West, Compass Best</i>.<br>"
      "Mnemonic: TVMDC, \"True Virgins Make Dull Companions\"."],
     ["chartwork compass"]),
    ("Nav17-08", CHARTWORK, OPTIONAL_REVERSED,
     ["Variation",
      "The angle between true north and magnetic north at a place; printed on the chart's compass rose with its "
      "annual change.",
      "y"],
     ["chartwork compass"]),
    ("Nav17-09", CHARTWORK, OPTIONAL_REVERSED,
     ["Deviation",
      "The compass error caused by the boat's own magnetic fields (engine, electronics); it changes with heading and "
      "is read off the deviation card.",
      ""],
     ["chartwork compass"]),
    ("Nav17-10", CHARTWORK, "Basic",
     ["DR vs EP",
      "<ul><li><b>Dead reckoning</b> (DR): position from course steered and distance run through the water only."
      "</li><li><b>Estimated position</b> (EP): DR corrected for tidal stream and leeway.</li></ul>"],
     ["chartwork position"]),
    ("Nav17-11", CHARTWORK, "Basic",
     ["How do you get a fix from three bearings?",
      "Take compass bearings of three charted objects about 60° apart, convert them to true and plot the position "
      "lines. The small triangle they make is the <i>cocked hat</i>; assume you are at the corner nearest danger."],
     ["chartwork position"]),
    ("Nav17-12", CHARTWORK, TYPE_IN,
     ["One minute of latitude is one ____ .",
      "nautical mile (1852 m)"],
     ["chartwork"]),
    ("Nav17-13", CHARTWORK, "Basic",
     ["Course to steer (CTS) - how is it worked out?",
      "Draw the tidal stream vector for one hour from your position, swing an arc of your boat speed (STW) from "
      "its end to the ground track, and read the CTS off that line; then add leeway and apply variation. COG and "
      "SOG are what you make good over the ground."],
     ["chartwork tidal_vectors"]),
    ("Nav17-14", TIDES, "Basic",
     ["Spring tides vs neap tides",
      "Springs: the largest range, about 2 days after new and full moon, when the Sun and Moon pull in line. "
      "Neaps: smallest range, near the quarter moons."],
     ["tides"]),
    ("Nav17-15", TIDES, "Cloze",
     ["The {{c1::rule of twelfths}} says the tide rises 1/12, 2/12, 3/12, 3/12, 2/12, 1/12 of its range in each "
      "hour of the six after low water.",
      "Only for a regular semi-diurnal tide, not the Solent."],
     ["tides"]),
    ("Nav17-16", TIDES, "Basic",
     ["What is chart datum?",
      "The level the charted depths are measured from, in the UK about LAT (Lowest Astronomical Tide). Depth of "
      "water = charted depth + height of tide. Drying heights are shown <u>underlined</u> above CD."],
     ["tides"]),
    ("Nav17-17", TIDES, "Basic",
     ["MHWS and clearance under a bridge",
      "Bridge clearances and heights of lights are given above Mean High Water Springs (MHWS), so at most states of "
      "tide there is more room than charted."],
     ["tides"]),
    ("Nav17-18", BUOYAGE, "Basic",
     ["IALA region A lateral marks (entering harbour)",
      "Port hand: red can, kept to port. Starboard hand: green cone, kept to starboard. Region B (the Americas, "
      "Japan) is the other way round: \"red right returning\"."],
     ["buoyage"]),
    ("Nav17-19", BUOYAGE, "Basic",
     ["What does a north cardinal mark look like, and where is the safe water?",
      "Black over yellow, two cones pointing up; safe water lies to the <b>north</b> of it. Light: VQ or Q "
      "(continuous quick flashing white)."],
     ["buoyage cardinals"]),
    ("Nav17-20", BUOYAGE, "Basic",
     ["Isolated danger mark",
      "Black with red bands, two black spheres as topmark, Fl(2) white; placed on a small danger with navigable "
      "water all round it."],
     ["buoyage"]),
    ("Nav17-21", CHARTWORK, "Basic",
     ["Why plot a transit?",
      "Two charted objects in line give a position line with no compass error at all: a leading line into harbour, "
      "or a way to check the deviation on a given heading."],
     ["chartwork position"]),
]


def main() -> int:
    from anki.collection import ExportAnkiPackageOptions

    OUT.parent.mkdir(parents=True, exist_ok=True)
    with collection_with(NOTES, NOTE_TYPES) as col:
        col.export_anki_package(out_path=str(OUT), limit=None,
                                options=ExportAnkiPackageOptions(legacy=True, with_media=True))
    print(OUT, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
