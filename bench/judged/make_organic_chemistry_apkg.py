"""Write bench/judged/decks/organic-chemistry/organic-chemistry.apkg with Anki's own library: `python bench/judged/make_organic_chemistry_apkg.py`.

A held-out deck for bench/concept_eval.py (HELDOUT_SIXTH), written as a chemistry student's Anki
notes are: note types no other judged package uses ("Basic (type in the answer)" for names and
reagents, "Basic (optional reversed card)" with its `Add Reverse` switch set on some notes and left
empty on others) beside Basic and Cloze, sub-decks of `Organic Chemistry`, tags, fields in Anki's
HTML (`<b>`, `<i>`, `<sub>`/`<sup>`, `<br>`, `<ul>`/`<ol>`, `&gt;`) and Anki's MathJax (`\\( … \\)`,
`\\[ … \\]`, with mhchem's `\\ce{…}` for equations). Each note has a fixed guid, so the judged cards
(bench/judged/gold_concepts.json, keyed by guid) stay the same cards when the package is written
again; Anki's note ids and timestamps change on every run, so the .apkg in the repository is the one
the judgement was made on.
"""

from __future__ import annotations

import sys
from pathlib import Path

from anki_package import write_package  # beside this script

OUT = Path(__file__).resolve().parent / "decks" / "organic-chemistry" / "organic-chemistry.apkg"

REVERSED = "Basic (optional reversed card)"
TYPE_IN = "Basic (type in the answer)"

# (guid, deck, note type, fields, tags)
NOTES = [
    ("0rgCh3m-01", "Organic Chemistry::Basics", REVERSED,
     ["Nucleophile",
      "An electron-pair <b>donor</b>: a species with a lone pair or a π bond that attacks an "
      "electron-poor atom.<br>e.g. OH<sup>−</sup>, NH<sub>3</sub>, CN<sup>−</sup>",
      "y"],
     ["orgo", "mechanisms"]),
    ("0rgCh3m-02", "Organic Chemistry::Basics", REVERSED,
     ["Electrophile",
      "An electron-pair <b>acceptor</b>: an electron-poor species such as a carbocation, H<sup>+</sup> "
      "or the carbon of a C=O group.",
      "y"],
     ["orgo", "mechanisms"]),
    ("0rgCh3m-03", "Organic Chemistry::Basics", TYPE_IN,
     ["Name the functional group: R–CHO",
      "aldehyde"],
     ["orgo", "functional-groups"]),
    ("0rgCh3m-04", "Organic Chemistry::Basics", TYPE_IN,
     ["Hybridisation of each carbon in ethyne (C<sub>2</sub>H<sub>2</sub>)?",
      "sp"],
     ["orgo", "bonding"]),
    ("0rgCh3m-05", "Organic Chemistry::Basics", "Basic",
     ["Which functional groups are in <b>aspirin</b>?",
      "A carboxylic acid, an ester and a benzene ring."],
     ["orgo", "functional-groups"]),
    ("0rgCh3m-06", "Organic Chemistry::Basics", "Cloze",
     ["\\(\\mathrm{p}K_a = -\\log_{10} K_a\\): the {{c1::lower}} the pK<sub>a</sub>, the {{c2::stronger}} "
      "the acid.",
      "acetic acid pK<sub>a</sub> ≈ 4.8, phenol ≈ 10, ethanol ≈ 16"],
     ["orgo", "acids-bases"]),
    ("0rgCh3m-07", "Organic Chemistry::Basics", "Basic",
     ["What does <b>resonance</b> mean in organic chemistry?",
      "One molecule drawn as two or more Lewis structures that differ only in where the electrons are; "
      "the real structure is a <i>hybrid</i> of them.<br>e.g. the carboxylate ion: the negative charge "
      "is shared over both oxygens. Resonance stabilises ions and lowers energy."],
     ["orgo", "bonding"]),
    ("0rgCh3m-08", "Organic Chemistry::Stereochemistry", "Basic",
     ["What is a <b>chiral centre</b>?",
      "A carbon bonded to four different groups (a stereocentre).<br>A molecule with one chiral centre "
      "is not superimposable on its mirror image; the two mirror-image forms are <b>enantiomers</b>."],
     ["orgo", "stereo"]),
    ("0rgCh3m-09", "Organic Chemistry::Stereochemistry", "Basic",
     ["Enantiomers vs diastereomers",
      "<b>Enantiomers</b>: non-superimposable mirror images; the same physical properties except the "
      "direction they rotate plane-polarised light.<br><b>Diastereomers</b>: stereoisomers that are "
      "<i>not</i> mirror images (cis/trans isomers, or two stereocentres differing at one); different "
      "physical properties."],
     ["orgo", "stereo"]),
    ("0rgCh3m-10", "Organic Chemistry::Stereochemistry", "Basic",
     ["How do you assign <b>R</b> or <b>S</b> to a stereocentre?",
      "<ol><li>Rank the four groups by the <b>Cahn–Ingold–Prelog</b> priority rules (higher atomic "
      "number first)</li><li>Point the lowest-priority group away from you</li><li>Trace 1 → 2 → 3: "
      "clockwise = <b>R</b>, anticlockwise = <b>S</b></li></ol>"],
     ["orgo", "stereo"]),
    ("0rgCh3m-11", "Organic Chemistry::Reactions", "Basic",
     ["S<sub>N</sub>1 vs S<sub>N</sub>2",
      "<ul><li><b>S<sub>N</sub>2</b>: one concerted step, \\(\\text{rate} = k[\\text{RX}][\\text{Nu}^-]\\); "
      "backside attack → <i>inversion</i> of configuration; fastest for methyl and primary substrates"
      "</li><li><b>S<sub>N</sub>1</b>: two steps through a <b>carbocation</b> intermediate, "
      "\\(\\text{rate} = k[\\text{RX}]\\); racemisation; favoured by tertiary substrates and polar "
      "protic solvents</li></ul>"],
     ["orgo", "mechanisms", "substitution"]),
    ("0rgCh3m-12", "Organic Chemistry::Reactions", "Cloze",
     ["Carbocation stability: {{c1::tertiary &gt; secondary &gt; primary &gt; methyl}}, because alkyl "
      "groups donate electron density by {{c2::hyperconjugation}} and induction.",
      "This is why S<sub>N</sub>1 and E1 go fastest with tertiary substrates."],
     ["orgo", "mechanisms"]),
    ("0rgCh3m-13", "Organic Chemistry::Reactions", "Basic",
     ["What is <b>Markovnikov's rule</b>?",
      "When HX adds to an unsymmetrical alkene, the H goes to the carbon that already has more "
      "hydrogens, so X ends up on the more substituted carbon (through the more stable carbocation)."],
     ["orgo", "addition"]),
    ("0rgCh3m-14", "Organic Chemistry::Reactions", "Cloze",
     ["\\[\\ce{CH2=CH2 + H2O ->[H3PO4] CH3CH2OH}\\]Hydration of ethene is an {{c1::electrophilic "
      "addition}}, catalysed by {{c2::acid}}.",
      "Industrial route to ethanol: steam, 300 °C, 60–70 atm."],
     ["orgo", "addition"]),
    ("0rgCh3m-15", "Organic Chemistry::Reactions", "Basic",
     ["E2 elimination: conditions and stereochemistry?",
      "A strong base (e.g. KOtBu) removes a β-hydrogen as the leaving group departs, in one step; H and "
      "the leaving group must be <b>anti-periplanar</b>.<br>Usually gives the more substituted alkene "
      "(<b>Zaitsev</b> product); a bulky base gives the <b>Hofmann</b> product."],
     ["orgo", "mechanisms", "elimination"]),
    ("0rgCh3m-16", "Organic Chemistry::Reactions", "Basic",
     ["Why is benzene unusually stable?",
      "Its six π electrons are delocalised around the ring: <b>aromaticity</b> (a planar, cyclic, "
      "conjugated ring with 4n&nbsp;+&nbsp;2 π electrons, <b>Hückel's rule</b>).<br>So benzene undergoes "
      "electrophilic aromatic <i>substitution</i> rather than addition."],
     ["orgo", "aromatics"]),
    ("0rgCh3m-17", "Organic Chemistry::Reactions", REVERSED,
     ["Grignard reagent",
      "An organomagnesium halide, R–MgX, made from an alkyl halide and Mg in dry ether.<br>A strong "
      "nucleophile and base: adds to aldehydes and ketones to give alcohols after acid workup; "
      "destroyed by water.",
      ""],
     ["orgo", "carbonyls"]),
    ("0rgCh3m-18", "Organic Chemistry::Reactions", TYPE_IN,
     ["Reagent that oxidises a primary alcohol to an aldehyde <i>without</i> going on to the carboxylic "
      "acid?",
      "PCC (pyridinium chlorochromate)"],
     ["orgo", "oxidation"]),
    ("0rgCh3m-19", "Organic Chemistry::Reactions", TYPE_IN,
     ["Carboxylic acid + alcohol, with an acid catalyst and heat → ?",
      "an ester and water (Fischer esterification)"],
     ["orgo", "carbonyls"]),
    ("0rgCh3m-20", "Organic Chemistry::Spectroscopy", "Cloze",
     ["In IR spectroscopy a strong, sharp peak near {{c1::1700 cm<sup>−1</sup>}} means a "
      "{{c2::C=O (carbonyl)}} group; a broad peak at 3200–3550 cm<sup>−1</sup> means an "
      "{{c3::O–H}} group.",
      ""],
     ["orgo", "spectroscopy"]),
]


def build(out: Path = OUT) -> Path:
    return write_package(NOTES, out)


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
