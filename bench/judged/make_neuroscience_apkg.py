"""Write bench/judged/decks/neuroscience/neuroscience.apkg with Anki's own library: `python bench/judged/make_neuroscience_apkg.py`.

A held-out deck for bench/concept_eval.py (HELDOUT_FOURTEENTH), written as a student's Anki notes on neuroscience
are: a note type of the student's own, "Basic with hint" (Front, Back, Hint; its front shows the Hint behind Anki's
`{{hint:Hint}}` link), beside Basic, "Basic (and reversed card)" and Cloze notes, in sub-decks of `Neuroscience`
(`Neuroscience::Cells`, `Neuroscience::Systems`, `Neuroscience::Plasticity and disease`), `::` tags on most notes;
fields in Anki's HTML (`<b>`, `<i>`, `<br>`, a `<ul>` list, an HTML `<table>` in one answer, `&nbsp;`, `&gt;`), one
field with an image, `<img src="action_potential.png">`, exported with the package's media as Anki does; units and
numbers (mV, ms, Na⁺/K⁺), and the abbreviations and typos a student writes ("w/", "b/c", "approx", "NT", "AP",
"hippocampous", "recepter", "myelinated" / "myelenated").
Each note has a fixed guid, so the judged cards (bench/judged/gold_concepts.json, keyed by guid) stay the same cards
when the package is written again; Anki's note ids and timestamps change on every run, so the .apkg in the repository
is the one the judgement was made on.
"""

from __future__ import annotations

import base64
import sys
from pathlib import Path

from anki_package import collection_with  # beside this script

OUT = Path(__file__).resolve().parent / "decks" / "neuroscience" / "neuroscience.apkg"

CELLS = "Neuroscience::Cells"
SYSTEMS = "Neuroscience::Systems"
PLASTICITY = "Neuroscience::Plasticity and disease"

HINTED = "Basic with hint"
NOTE_TYPES = {
    HINTED: (["Front", "Back", "Hint"],
             "{{Front}}<br><br>{{hint:Hint}}",
             "{{Front}}<hr id=answer>{{Back}}"),
}
# A 1x1 PNG: the picture the student pasted into the resting-potential card.
IMAGE = ("action_potential.png", base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="))

# (guid, deck, note type, fields, tags)
NOTES = [
    ("Neu14-01", CELLS, HINTED,
     ["What is an action potential?",
      "A brief all-or-none reversal of the membrane potential that travels down the axon: voltage-gated "
      "Na⁺ channels open (depolarization), then K⁺ channels open (repolarization), w/ a short "
      "hyperpolarization after.<br><img src=\"action_potential.png\">",
      "all-or-none"],
     ["neuro::cells::signalling"]),
    ("Neu14-02", CELLS, "Basic",
     ["Resting membrane potential of a neuron",
      "About −70&nbsp;mV (inside negative). Kept by the <b>sodium-potassium pump</b> (3 Na⁺ out, 2 K⁺ in) "
      "and b/c the membrane leaks K⁺ more than Na⁺."],
     ["neuro::cells::signalling"]),
    ("Neu14-03", CELLS, "Cloze",
     ["{{c1::Myelin}} is made by {{c2::oligodendrocytes}} in the CNS and by {{c2::Schwann cells}} in the PNS.",
      "Gaps in the sheath are the nodes of Ranvier."],
     ["neuro::cells::glia"]),
    ("Neu14-04", CELLS, HINTED,
     ["Why does saltatory conduction make signals faster?",
      "The action potential jumps from one node of Ranvier to the next instead of spreading along every bit "
      "of membrane, so myelenated axons conduct up to ~100 m/s vs approx 1 m/s for thin unmyelinated ones.",
      "saltare = to jump"],
     ["neuro::cells::signalling"]),
    ("Neu14-05", CELLS, "Basic",
     ["Main excitatory vs inhibitory neurotransmitter in the brain",
      "<b>Glutamate</b> is the main excitatory NT; <b>GABA</b> is the main inhibitory one (glycine does the "
      "same job in the spinal cord)."],
     ["neuro::cells::neurotransmitters"]),
    ("Neu14-06", CELLS, "Basic (and reversed card)",
     ["Dopamine",
      "Neurotransmitter of reward and movement; made in the <i>substantia nigra</i> and the ventral "
      "tegmental area."],
     ["neuro::cells::neurotransmitters"]),
    ("Neu14-07", CELLS, "Basic",
     ["What happens at a chemical synapse?",
      "<ul><li>the AP reaches the axon terminal</li><li>voltage-gated Ca²⁺ channels open</li><li>vesicles "
      "release neurotransmitter into the synaptic cleft</li><li>it binds recepters on the postsynaptic "
      "membrane</li></ul>"],
     ["neuro::cells::synapse"]),
    ("Neu14-08", CELLS, HINTED,
     ["Types of glial cells and their jobs",
      "<table><tr><th>Cell</th><th>Job</th></tr><tr><td>Astrocytes</td><td>support neurons, blood-brain "
      "barrier</td></tr><tr><td>Microglia</td><td>immune defence, clear debris</td></tr><tr><td>"
      "Oligodendrocytes</td><td>myelin in the CNS</td></tr><tr><td>Ependymal cells</td><td>make "
      "cerebrospinal fluid</td></tr></table>",
      "four kinds in the CNS"],
     ["neuro::cells::glia"]),
    ("Neu14-09", SYSTEMS, "Basic",
     ["Function of the hippocampus",
      "Forms new declarative memories (facts and events) and supports spatial navigation (place cells). "
      "Patient H.M. lost it on both sides and could not form new long-term memories."],
     ["neuro::systems::memory"]),
    ("Neu14-10", SYSTEMS, "Cloze",
     ["{{c1::Broca's area}} (frontal lobe) is needed for producing speech; {{c2::Wernicke's area}} (temporal "
      "lobe) for understanding language.",
      ""],
     ["neuro::systems::language"]),
    ("Neu14-11", SYSTEMS, "Basic",
     ["What does the cerebellum do?",
      "Coordinates movement, balance and posture, and motor learning; damage gives ataxia (clumsy, "
      "unsteady movement) rather than paralysis."],
     ["neuro::systems::motor"]),
    ("Neu14-12", SYSTEMS, HINTED,
     ["Sympathetic vs parasympathetic nervous system",
      "<b>Sympathetic</b>: fight or flight, raises heart rate, dilates pupils.<br><b>Parasympathetic</b>: "
      "rest and digest, slows the heart, the vagus nerve carries most of it.",
      "two branches of the autonomic nervous system"],
     ["neuro::systems::autonomic"]),
    ("Neu14-13", SYSTEMS, "Basic",
     ["Role of the amygdala",
      "Processes emotions, esp. fear; links a stimulus to a fear response (fear conditioning)."],
     ["neuro::systems::emotion"]),
    ("Neu14-14", SYSTEMS, "Basic",
     ["The four lobes of the cerebral cortex",
      "Frontal (planning, movement), parietal (touch, spatial sense), temporal (hearing, memory), "
      "occipital (vision)."],
     ["neuro::systems::cortex"]),
    ("Neu14-15", SYSTEMS, "Basic (and reversed card)",
     ["Blood-brain barrier",
      "Tight junctions between the endothelial cells of brain capillaries, helped by astrocytes, that keep "
      "most large molecules and pathogens out of the brain."],
     ["neuro::systems"]),
    ("Neu14-16", PLASTICITY, "Basic",
     ["What is long-term potentiation (LTP)?",
      "A lasting increase in synaptic strength after high-frequency stimulation; in the hippocampous it "
      "depends on <b>NMDA receptors</b> letting Ca²⁺ in. Thought to underlie learning and memory."],
     ["neuro::plasticity"]),
    ("Neu14-17", PLASTICITY, "Cloze",
     ["Hebb's rule: neurons that {{c1::fire together, wire together}}.",
      "Donald Hebb, 1949"],
     ["neuro::plasticity"]),
    ("Neu14-18", PLASTICITY, HINTED,
     ["Cause of Parkinson's disease",
      "Loss of the dopamine neurons of the substantia nigra → tremor at rest, rigidity, slow movement "
      "(bradykinesia). Treated w/ L-DOPA.",
      "basal ganglia"],
     ["neuro::disease"]),
    ("Neu14-19", PLASTICITY, "Basic",
     ["Hallmarks of Alzheimer's disease in the brain",
      "Amyloid-beta plaques outside neurons and tau tangles (neurofibrillary tangles) inside them; the "
      "hippocampus shrinks early, so memory goes first."],
     ["neuro::disease"]),
    ("Neu14-20", PLASTICITY, "Basic",
     ["What is neuroplasticity?",
      "The brain's ability to rewire itself: new synapses, stronger or weaker connections, remapping of the "
      "cortex after injury &gt; e.g. after a stroke."],
     []),
]


def main() -> int:
    from anki.collection import ExportAnkiPackageOptions

    OUT.parent.mkdir(parents=True, exist_ok=True)
    with collection_with(NOTES, NOTE_TYPES) as col:
        col.media.write_data(*IMAGE)  # as pasting the picture into the editor stores it
        col.export_anki_package(out_path=str(OUT), limit=None,
                                options=ExportAnkiPackageOptions(legacy=False, with_media=True))
    print(OUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
