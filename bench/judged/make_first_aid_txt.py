"""Write bench/judged/decks/first-aid/first-aid.txt with Anki's own library: `python bench/judged/make_first_aid_txt.py`.

A held-out deck for bench/concept_eval.py (HELDOUT_THIRTEENTH), written as a first-aid course's Anki notes are (Basic,
"Basic (and reversed card)" and a Cloze note of three gaps with a Back Extra, in sub-decks of `First aid`) and
exported the way Anki's File > Export > "Cards in Plain Text" writes them with "Include HTML and media references" on:
`#separator:tab` and `#html:true` headers, then one line per card, not per note: the question as Anki renders it, a
tab, the answer without the question above Anki's `<hr id=answer>`. So a reversed note is two cards (the second one's
question is the first one's back), and the cloze note is three cards whose questions show `[...]` in a
`<span class="cloze" data-cloze="...">`, the other gaps in `cloze-inactive` spans, the answer the whole text and the
Back Extra; fields quoted where they hold a line break. HTML bold, italics, `<br>`, an `<ol>` and a `<ul>` list; the
abbreviations and typos a learner writes ("w/", "approx", "min", "e.g.", "concious", "recieve", "breathig").
The export keeps no guid: the judged cards (bench/judged/gold_concepts.json) are keyed by the card id kg's reader
gives each line, so the .txt in the repository is the one the judgement was made on.
"""

from __future__ import annotations

import sys
from pathlib import Path

from anki_package import write_cards_text  # beside this script

OUT = Path(__file__).resolve().parent / "decks" / "first-aid" / "first-aid.txt"

BASICS = "First aid::Basic life support"
INJURIES = "First aid::Injuries"
MEDICAL = "First aid::Medical emergencies"

# (guid, deck, note type, fields, tags)
NOTES = [
    ("Fa13-01", BASICS, "Basic",
     ["What does DRSABCD stand for?",
      "<b>D</b>anger, <b>R</b>esponse, <b>S</b>end for help, <b>A</b>irway, <b>B</b>reathing, <b>C</b>PR, "
      "<b>D</b>efibrillation.<br>The primary survey, done in that order before anything else."],
     ["first-aid::bls"]),
    ("Fa13-02", BASICS, "Basic",
     ["CPR ratio for adults?",
      "<b>30 chest compressions : 2 rescue breaths</b><br>Rate 100–120/min, depth approx 5–6 cm, on the centre "
      "of the chest (lower half of the sternum). Let the chest recoil fully between compressions."],
     ["first-aid::bls"]),
    ("Fa13-03", BASICS, "Basic (and reversed card)",
     ["Recovery position",
      "For an unconcious casualty who is breathing normally: roll them onto their side, top leg bent, head "
      "tilted back so vomit can drain and the airway stays open."],
     ["first-aid::bls"]),
    ("Fa13-04", BASICS, "Basic",
     ["How do you use an AED?",
      "<ol><li>Switch it on and follow the voice prompts</li><li>Stick the pads on the bare chest (below the "
      "right collarbone, and on the left side under the armpit)</li><li>Stand clear while it analyses the "
      "heart rhythm</li><li>Press the shock button if advised, then restart CPR straight away</li></ol>"],
     ["first-aid::bls"]),
    ("Fa13-05", MEDICAL, "Basic",
     ["Signs of a stroke (FAST)",
      "<b>F</b>ace drooping, <b>A</b>rm weakness, <b>S</b>peech difficulty, <b>T</b>ime to call 999 / 911."
      "<br>Note the time the symptoms started: clot-busting drugs only work within a few hours."],
     ["first-aid::medical"]),
    ("Fa13-06", MEDICAL, "Basic",
     ["Heart attack vs cardiac arrest",
      "<b>Heart attack</b>: a blocked coronary artery; the person is usually concious w/ chest pain spreading "
      "to the arm or jaw.<br><b>Cardiac arrest</b>: the heart stops pumping; unresponsive and not breathig "
      "normally → start CPR and get an AED."],
     ["first-aid::medical"]),
    ("Fa13-07", INJURIES, "Cloze",
     ["For severe bleeding, apply {{c1::direct pressure}} to the wound, {{c2::elevate}} the injured limb if "
      "you can, and use a {{c3::tourniquet}} only for life-threatening bleeding from a limb.",
      "Don't pull out an object embedded in the wound: pad around it."],
     ["first-aid::injuries"]),
    ("Fa13-08", INJURIES, "Basic",
     ["How do you treat a burn?",
      "Cool it under cool running water for 20 min (not ice), take off rings and watches before it swells, "
      "cover loosely w/ cling film.<br>Never pop blisters or put butter on it."],
     ["first-aid::injuries"]),
    ("Fa13-09", MEDICAL, "Basic",
     ["Choking adult - what do you do?",
      "Encourage them to cough. If that fails:<ul><li>up to 5 back blows between the shoulder blades</li>"
      "<li>then up to 5 abdominal thrusts (the Heimlich manoeuvre)</li></ul>Repeat, and call emergency "
      "services if it's still blocked."],
     ["first-aid::medical"]),
    ("Fa13-10", MEDICAL, "Basic (and reversed card)",
     ["Anaphylaxis",
      "A severe, life-threatening allergic reaction: swelling of the throat, wheeze, hives, a drop in blood "
      "pressure.<br>Give adrenaline (epinephrine) with their auto-injector (<i>EpiPen</i>) into the outer "
      "thigh and call an ambulance."],
     ["first-aid::medical"]),
    ("Fa13-11", MEDICAL, "Basic",
     ["Signs of shock",
      "Pale, cold, clammy skin; a rapid weak pulse; fast shallow breathing; confusion.<br>Lay them down, "
      "raise their legs, keep them warm. (Circulatory shock, not emotional shock.)"],
     ["first-aid::medical"]),
    ("Fa13-12", INJURIES, "Basic",
     ["What is the golden hour?",
      "The first hour after a traumatic injury, when the casualty who can recieve prompt treatment has the "
      "best chance of survival.<br>Term credited to R Adams Cowley, a trauma surgeon in Baltimore."],
     ["first-aid::injuries"]),
    ("Fa13-13", MEDICAL, "Basic",
     ["Hypothermia vs heatstroke",
      "<b>Hypothermia</b>: core temp below 35 °C, shivering, slurred speech → warm them gradually.<br>"
      "<b>Heatstroke</b>: core temp above 40 °C, hot dry skin, confusion → cool them rapidly, it's an "
      "emergency."],
     ["first-aid::medical"]),
    ("Fa13-14", INJURIES, "Basic",
     ["How to recognise a fracture?",
      "Pain, swelling, deformity, can't bear weight, a grating feeling (crepitus).<br>Immobilise the limb "
      "w/ a splint or a sling in the position you found it; don't try to straighten it."],
     ["first-aid::injuries"]),
    ("Fa13-15", INJURIES, "Basic",
     ["What's the difference between a sprain and a strain?",
      "<b>Sprain</b>: a stretched or torn ligament, at a joint (e.g. the ankle).<br><b>Strain</b>: a "
      "stretched or torn muscle or tendon.<br>Both: RICE - Rest, Ice, Compression, Elevation."],
     ["first-aid::injuries"]),
    ("Fa13-16", INJURIES, "Basic",
     ["When should you not move a casualty?",
      "When you suspect a spinal injury (a fall from height, a diving accident, a car crash): keep the head "
      "and neck still (manual in-line stabilisation) unless there is immediate danger, e.g. fire."],
     ["first-aid::injuries"]),
    ("Fa13-17", INJURIES, "Basic",
     ["Nosebleed: how do you treat it?",
      "Sit them up, leaning <b>forward</b> (not back: blood runs down the throat), pinch the soft part of the "
      "nose for 10–15 min and breathe through the mouth.<br>Get help if it lasts over 30 min."],
     ["first-aid::injuries"]),
    ("Fa13-18", BASICS, "Basic",
     ["The chain of survival",
      "Four links for a cardiac arrest outside hospital:<ol><li>early recognition and call for help</li>"
      "<li>early CPR</li><li>early defibrillation</li><li>post-resuscitation care</li></ol>"],
     ["first-aid::bls"]),
]


def main() -> int:
    print(write_cards_text(NOTES, OUT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
