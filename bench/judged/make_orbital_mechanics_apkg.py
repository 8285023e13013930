"""Write bench/judged/decks/orbital-mechanics/orbital-mechanics.apkg with Anki's own library: `python bench/judged/make_orbital_mechanics_apkg.py`.

A held-out deck for bench/concept_eval.py (HELDOUT_SIXTEENTH), written as a student's deck package is when it is
exported with File > Export > "Anki Deck Package" (.apkg, Anki's current format, `legacy=False`): a note type of the
student's own, "Orbit card" (Topic, Question, Answer, Source), whose sort field is the second field, Question, as
"Fields..." > "Sort by this field in the browser" sets it, and whose card shows the Question, the answer the Answer and
below it the Topic and Source in small type; beside Basic, "Basic (and reversed card)" and Cloze notes in sub-decks of
`Orbital mechanics` (`::Orbits`, `::Manoeuvres`, `::Missions`), `::` tags on most notes; fields in Anki's HTML (`<b>`,
`<i>`, `<br>`, an `<ol>` list, `&nbsp;`, `&lt;`), symbols in Unicode (Δv, μ, Ω, ω, √), numbers with units (km/s, km,
min), the acronyms a student writes (LEO, GEO, SSO, RAAN, TLE, ISS, SOI) and lower-case "X of Y" phrases ("argument of
periapsis", "conservation of angular momentum"). Each note has a fixed guid, so the judged cards
(bench/judged/gold_concepts.json, keyed by guid) stay the same cards when the package is written again; Anki's note ids
and timestamps change on every run, so the .apkg in the repository is the one the judgement was made on.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from anki_package import add_note_type  # beside this script

OUT = Path(__file__).resolve().parent / "decks" / "orbital-mechanics" / "orbital-mechanics.apkg"

ORBITS = "Orbital mechanics::Orbits"
MANOEUVRES = "Orbital mechanics::Manoeuvres"
MISSIONS = "Orbital mechanics::Missions"

CARD = "Orbit card"
NOTE_TYPES = {
    CARD: (["Topic", "Question", "Answer", "Source"],
           "{{Question}}",
           "{{FrontSide}}<hr id=answer>{{Answer}}<br><br><small>{{Topic}} · {{Source}}</small>"),
}
SORT_FIELD = {CARD: 1}  # the browser sorts "Orbit card" notes by their Question

# (guid, deck, note type, fields, tags)
NOTES = [
    ("Orb16-01", ORBITS, CARD,
     ["Kepler",
      "State Kepler's three laws of planetary motion.",
      "<ol><li>Orbits are ellipses with the central body at one focus.</li>"
      "<li>A line from the body to the planet sweeps out equal areas in equal times.</li>"
      "<li>T² ∝ a³ (square of the period proportional to the cube of the semi-major axis).</li></ol>",
      "Curtis ch. 2"],
     ["orbits::basics"]),
    ("Orb16-02", ORBITS, CARD,
     ["Orbital elements",
      "What are the six classical orbital elements?",
      "Semi-major axis <i>a</i>, eccentricity <i>e</i>, inclination <i>i</i>, RAAN (Ω), argument of periapsis (ω) "
      "and true anomaly (ν).",
      "lecture 3"],
     ["orbits::elements"]),
    ("Orb16-03", ORBITS, "Basic",
     ["What does the eccentricity of an orbit tell you?",
      "Its shape: e = 0 circle, 0 &lt; e &lt; 1 ellipse, e = 1 parabola (escape), e &gt; 1 hyperbola."],
     ["orbits::elements"]),
    ("Orb16-04", ORBITS, "Basic (and reversed card)",
     ["RAAN",
      "Right ascension of the ascending node: the angle from the vernal equinox to where the orbit crosses the "
      "equator going north."],
     ["orbits::elements"]),
    ("Orb16-05", ORBITS, CARD,
     ["Vis-viva",
      "Write the vis-viva equation",
      "v² = μ(2/r − 1/a)<br>μ = GM, the standard gravitational parameter (Earth: 398,600&nbsp;km³/s²).",
      "Curtis ch. 2"],
     ["orbits::energy"]),
    ("Orb16-06", ORBITS, "Cloze",
     ["A satellite in LEO (~400&nbsp;km) moves at about {{c1::7.7 km/s}} and goes round the Earth in about "
      "{{c2::92 minutes}}.",
      "e.g. the ISS"],
     ["orbits::regimes"]),
    ("Orb16-07", ORBITS, "Basic",
     ["Why is a geostationary orbit at 35,786 km?",
      "That's the altitude where the orbital period equals one sidereal day (23 h 56 min), so above the equator the "
      "satellite stays over the same point on the ground. GEO must be equatorial and circular."],
     ["orbits::regimes"]),
    ("Orb16-08", ORBITS, CARD,
     ["Sun-synchronous orbit",
      "What is a sun-synchronous orbit (SSO) used for?",
      "A near-polar, slightly retrograde orbit (i ≈ 98°) whose plane precesses ~1°/day because of Earth's "
      "oblateness (J2), so it crosses each latitude at the same local solar time. Used by Earth observation "
      "satellites, e.g. Landsat, for constant lighting.",
      "SMAD"],
     ["orbits::regimes"]),
    ("Orb16-09", ORBITS, "Basic",
     ["Periapsis vs apoapsis",
      "Periapsis is the closest point of the orbit to the central body, apoapsis the farthest. Around Earth: perigee "
      "and apogee. The satellite is fastest at periapsis (conservation of angular momentum)."],
     ["orbits::basics"]),
    ("Orb16-10", ORBITS, "Basic",
     ["What is escape velocity from Earth's surface?",
      "About 11.2 km/s, i.e. √2 times the circular orbit speed at that radius; the specific orbital energy is then "
      "zero."],
     ["orbits::energy"]),
    ("Orb16-11", MANOEUVRES, CARD,
     ["Hohmann transfer",
      "What is a Hohmann transfer?",
      "The two-impulse transfer between two coplanar circular orbits along an ellipse tangent to both: burn "
      "prograde at periapsis, coast half an orbit, burn again at apoapsis to circularise. Cheapest in Δv for "
      "most ratios but slow.",
      "Curtis ch. 6"],
     ["manoeuvres::transfers"]),
    ("Orb16-12", MANOEUVRES, "Basic",
     ["Tsiolkovsky rocket equation",
      "Δv = I<sub>sp</sub> g₀ ln(m₀ / m<sub>f</sub>)<br>Δv grows only with the log of the mass ratio, which is why "
      "rockets stage."],
     ["manoeuvres::propulsion"]),
    ("Orb16-13", MANOEUVRES, "Basic",
     ["Why are plane changes so expensive?",
      "The burn must rotate the whole velocity vector: Δv = 2v sin(Δi/2). At 7.7 km/s a 10° change costs about "
      "1.3 km/s, so do them at apoapsis where v is lowest (or combine with the apogee burn)."],
     ["manoeuvres::transfers"]),
    ("Orb16-14", MANOEUVRES, CARD,
     ["Oberth effect",
      "What is the Oberth effect?",
      "A burn gives more kinetic energy when the rocket is already moving fast, so burning deep in a gravity well "
      "(at periapsis) is the most efficient place to add energy.",
      "wiki"],
     ["manoeuvres::propulsion"]),
    ("Orb16-15", MANOEUVRES, "Cloze",
     ["A {{c1::gravity assist}} (slingshot) changes a spacecraft's heliocentric velocity by flying past a planet, "
      "with no propellant; Voyager 2 used Jupiter, Saturn, Uranus and Neptune.",
      ""],
     ["manoeuvres::transfers"]),
    ("Orb16-16", MANOEUVRES, "Basic",
     ["Bi-elliptic transfer - when does it beat Hohmann?",
      "When the ratio of final to initial orbit radius is above ~11.94 (always above 15.58): three burns via a far "
      "intermediate apoapsis, less total Δv but a much longer flight time."],
     ["manoeuvres::transfers"]),
    ("Orb16-17", MISSIONS, CARD,
     ["Lagrange points",
      "Where are the Lagrange points of the Sun–Earth system, and which are stable?",
      "Five points where a small body keeps its position relative to both: L1 and L2 about 1.5 million km sunward "
      "and anti-sunward, L3 opposite the Earth, L4/L5 60° ahead and behind. Only L4 and L5 are stable. JWST is in a "
      "halo orbit around L2.",
      "lecture 9"],
     ["missions::three-body"]),
    ("Orb16-18", MISSIONS, "Basic",
     ["What is a TLE?",
      "A two-line element set: NORAD's format for a satellite's mean orbital elements at an epoch, propagated with "
      "the SGP4 model."],
     ["missions::tracking"]),
    ("Orb16-19", MISSIONS, "Basic (and reversed card)",
     ["Sphere of influence (SOI)",
      "The region around a planet where its gravity dominates the Sun's for a spacecraft's motion; patched conics "
      "switch from one two-body problem to the next at its edge."],
     ["missions::interplanetary"]),
    ("Orb16-20", MISSIONS, "Basic",
     ["Launch window for Mars - how often?",
      "Roughly every 26 months, the Earth–Mars synodic period, when a Hohmann-like transfer lines up."],
     ["missions::interplanetary"]),
]


def main() -> int:
    from anki.collection import Collection, ExportAnkiPackageOptions

    OUT.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        col = Collection(str(Path(tmp) / "collection.anki2"))
        try:
            for name, (fields, front, back) in NOTE_TYPES.items():
                add_note_type(col, name, fields, front, back)
                model = col.models.by_name(name)
                col.models.set_sort_index(model, SORT_FIELD[name])
                col.models.update_dict(model)
            for guid, deck, note_type, fields, tags in NOTES:
                note = col.new_note(col.models.by_name(note_type))
                for name, value in zip(note.keys(), fields):
                    note[name] = value
                note.tags = list(tags)
                note.guid = guid
                col.add_note(note, col.decks.id(deck))
            col.export_anki_package(out_path=str(OUT), limit=None,
                                    options=ExportAnkiPackageOptions(legacy=False, with_media=False))
        finally:
            col.close()
    print(OUT, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
