"""Write bench/judged/decks/astronomy/astronomy.apkg with Anki's own library: `python bench/judged/make_astronomy_apkg.py`.

A held-out deck for bench/concept_eval.py (HELDOUT_THIRD), written as a learner's Anki notes are:
Basic, Basic (and reversed card) and Cloze notes in sub-decks, fields in Anki's HTML (`<b>`, `<i>`,
`<sub>`/`<sup>`, `<br>`, `<ul>`, `&nbsp;`), formulas, abbreviations and names. Each note has a fixed
guid, so the judged cards (bench/judged/gold_concepts.json, keyed by guid) stay the same cards when
the package is written again; Anki's note ids and timestamps change on every run, so the .apkg in
the repository is the one the judgement was made on.
"""

from __future__ import annotations

import sys
from pathlib import Path

from anki_package import write_package  # beside this script

OUT = Path(__file__).resolve().parent / "decks" / "astronomy" / "astronomy.apkg"

# (guid, deck, note type, fields, tags)
NOTES = [
    ("As7r0n-01", "Astronomy::Stars", "Basic",
     ["What does the <b>Hertzsprung–Russell diagram</b> plot?",
      "Luminosity (or absolute magnitude) against surface temperature (or spectral class).<br>"
      "Hot stars on the <i>left</i>, so temperature increases to the left."],
     ["stars", "HR"]),
    ("As7r0n-02", "Astronomy::Stars", "Cloze",
     ["Stars fuse hydrogen into helium in their cores while on the {{c1::main sequence}}, "
      "about 90% of a star's life.", ""],
     ["stars"]),
    ("As7r0n-03", "Astronomy::Stars", "Basic",
     ["Spectral classes in order (hottest → coolest)?",
      "<b>O B A F G K M</b><br>Mnemonic: <i>Oh Be A Fine Girl/Guy, Kiss Me</i><br>The Sun is a G2&nbsp;V star."],
     ["stars", "spectra"]),
    ("As7r0n-04", "Astronomy::Stars", "Basic",
     ["Chandrasekhar limit",
      "Maximum mass of a stable <b>white dwarf</b>, ≈ 1.4 M<sub>☉</sub>. Above it, electron degeneracy "
      "pressure can't hold the star up against gravity."],
     ["stars", "remnants"]),
    ("As7r0n-05", "Astronomy::Stars", "Basic",
     ["Stefan–Boltzmann law for a star's luminosity",
      "L = 4πR<sup>2</sup>σT<sup>4</sup><br>double the temperature → 16× the luminosity"],
     ["stars", "formulas"]),
    ("As7r0n-06", "Astronomy::Stars", "Basic (and reversed card)",
     ["Cepheid variable", "Pulsating star whose period is tied to its luminosity "
      "(<b>period–luminosity relation</b>, Leavitt 1912) → a <i>standard candle</i> for distances."],
     ["stars", "distance"]),
    ("As7r0n-07", "Astronomy::Stars", "Basic",
     ["What's left after a <b>type II supernova</b>?",
      "<ul><li>a <b>neutron star</b> (core below ~3 M<sub>☉</sub>)</li><li>or a <b>black hole</b></li></ul>"
      "plus an expanding supernova remnant (e.g. the Crab Nebula, SN 1054)"],
     ["stars", "remnants"]),
    ("As7r0n-08", "Astronomy::Distances", "Basic",
     ["1 AU, 1 ly, 1 pc?",
      "AU = mean Earth–Sun distance ≈ 1.496 × 10<sup>8</sup> km<br>light-year ≈ 9.46 × 10<sup>12</sup> km"
      "<br>parsec ≈ 3.26 ly ≈ 206,265 AU"],
     ["distance", "units"]),
    ("As7r0n-09", "Astronomy::Distances", "Cloze",
     ["Stellar parallax: d (pc) = {{c1::1 / p}}, with p the parallax angle in {{c2::arcseconds}}.",
      "Works out to a few kpc with Gaia."],
     ["distance", "formulas"]),
    ("As7r0n-10", "Astronomy::Distances", "Basic",
     ["Hubble's law?",
      "v = H<sub>0</sub> d — galaxies recede at a speed proportional to their distance.<br>"
      "H<sub>0</sub> ≈ 70 km/s/Mpc (the <b>Hubble constant</b>)"],
     ["cosmology", "distance"]),
    ("As7r0n-11", "Astronomy::Distances", "Basic",
     ["Why are type Ia supernovae used as standard candles?",
      "A white dwarf in a binary accretes mass up to ~1.4 M<sub>☉</sub> and explodes, so they all peak "
      "at about the same absolute magnitude (M ≈ −19.3).<br>Led to the discovery of the accelerating "
      "expansion (1998)."],
     ["cosmology", "distance"]),
    ("As7r0n-12", "Astronomy::Solar System", "Basic",
     ["Kepler's third law",
      "T<sup>2</sup> ∝ a<sup>3</sup><br>(period squared is proportional to the semi-major axis cubed; "
      "T in years, a in AU for planets around the Sun)"],
     ["solar-system", "formulas"]),
    ("As7r0n-13", "Astronomy::Solar System", "Cloze",
     ["The {{c1::Kuiper belt}} lies beyond Neptune (30–50 AU); the much more distant "
      "{{c2::Oort cloud}} is the source of long-period comets.", ""],
     ["solar-system"]),
    ("As7r0n-14", "Astronomy::Solar System", "Basic",
     ["Terrestrial vs Jovian planets",
      "Terrestrial: small, rocky, dense (Mercury, Venus, Earth, Mars).<br>"
      "Jovian: gas/ice giants, low density, many moons and rings (Jupiter, Saturn, Uranus, Neptune)."],
     ["solar-system"]),
    ("As7r0n-15", "Astronomy::Solar System", "Basic",
     ["What causes the seasons on Earth?",
      "The <b>axial tilt</b> (23.4°) – not the distance to the Sun. The hemisphere tilted toward the Sun "
      "gets more direct sunlight and longer days."],
     ["solar-system", "misconceptions"]),
    ("As7r0n-16", "Astronomy::Cosmology", "Basic",
     ["CMB",
      "Cosmic microwave background: radiation left from <b>recombination</b>, ~380,000 yr after the "
      "Big Bang; now a blackbody at 2.725 K.<br>Discovered by Penzias &amp; Wilson (1965)."],
     ["cosmology"]),
    ("As7r0n-17", "Astronomy::Cosmology", "Cloze",
     ["Galaxy rotation curves stay flat far from the centre, which is evidence for {{c1::dark matter}}.",
      "Vera Rubin, 1970s"],
     ["cosmology", "galaxies"]),
    ("As7r0n-18", "Astronomy::Cosmology", "Basic",
     ["Redshift z?",
      "z = (λ<sub>observed</sub> − λ<sub>emitted</sub>) / λ<sub>emitted</sub><br>"
      "cosmological redshift comes from the expansion of space, not the Doppler effect"],
     ["cosmology", "formulas"]),
]


def build(out: Path = OUT) -> Path:
    return write_package(NOTES, out)


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
