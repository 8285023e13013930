"""Write bench/judged/decks/epidemiology/epidemiology.apkg with Anki's own library: `python bench/judged/make_epidemiology_apkg.py`.

A held-out deck for bench/concept_eval.py (HELDOUT_NINTH), written as a public-health student's Anki
notes are: Basic and Cloze notes (a cloze with four gaps, clozes with a Back Extra and without) in
sub-decks of `Public Health::Epidemiology`, tags on most notes and none on some, fields in Anki's HTML
(`<b>`, `<i>`, `<br>`, `<ul>`/`<li>`, `&gt;`/`&lt;`), formulas written out in words and symbols
("TP / (TP + FN)", "1 − 1/R0"), acronyms introduced once and used bare elsewhere (RR, OR, NNT), the
abbreviations and typos a student writes ("specificty", "signif.", "avg", "no.", "bc"). Each note has a
fixed guid, so the judged cards (bench/judged/gold_concepts.json, keyed by guid) stay the same cards
when the package is written again; Anki's note ids and timestamps change on every run, so the .apkg
in the repository is the one the judgement was made on.
"""

from __future__ import annotations

import sys
from pathlib import Path

from anki_package import write_package  # beside this script

OUT = Path(__file__).resolve().parent / "decks" / "epidemiology" / "epidemiology.apkg"

MEASURES = "Public Health::Epidemiology::Measures"
DESIGNS = "Public Health::Epidemiology::Study designs"
BIAS = "Public Health::Epidemiology::Bias and causation"
OUTBREAKS = "Public Health::Epidemiology::Infectious disease"

# (guid, deck, note type, fields, tags)
NOTES = [
    ("Ep1dem-01", MEASURES, "Basic",
     ["Incidence vs prevalence",
      "<b>Incidence</b>: no. of <i>new</i> cases in a period / population at risk.<br>"
      "<b>Prevalence</b>: all existing cases (new + old) at a point in time / total population.<br>"
      "Prevalence ≈ incidence × avg duration of disease."],
     ["measures"]),
    ("Ep1dem-02", MEASURES, "Cloze",
     ["The {{c1::case fatality rate}} (CFR) is the proportion of people <i>diagnosed</i> with a disease "
      "who die of it.",
      "Not the same as the mortality rate, which divides by the whole population."],
     ["measures"]),
    ("Ep1dem-03", OUTBREAKS, "Basic",
     ["What is R0?",
      "The <b>basic reproduction number</b>: avg no. of secondary cases one infectious person causes in a "
      "<i>fully susceptible</i> population.<br>R0 &gt; 1 → the epidemic can grow; R0 &lt; 1 → it dies out."
      "<br>Measles ~12-18, seasonal flu ~1.3."],
     ["infectious"]),
    ("Ep1dem-04", OUTBREAKS, "Basic",
     ["Herd immunity threshold - formula?",
      "1 − 1/R0: the share of the population that must be immune so that each case infects fewer than "
      "one other person on avg.<br>e.g. R0 = 4 → 75% need to be immune (by vaccination or past infection)."],
     ["infectious", "vaccines"]),
    ("Ep1dem-05", MEASURES, "Basic",
     ["Sensitivity vs specificty",
      "<b>Sensitivity</b> = TP / (TP + FN): the share of people <i>with</i> the disease who test positive."
      "<br><b>Specificity</b> = TN / (TN + FP): the share of people <i>without</i> it who test negative.<br>"
      "SnNout: a highly sensitive test, when negative, rules the disease out. SpPin: a highly specific "
      "test, when positive, rules it in."],
     ["screening", "diagnostic-tests"]),
    ("Ep1dem-06", MEASURES, "Cloze",
     ["{{c1::Positive predictive value}} (PPV) depends on the {{c2::prevalence}} of the disease: the rarer "
      "the disease, the more of the positive results are false positives.",
      ""],
     ["screening", "diagnostic-tests"]),
    ("Ep1dem-07", DESIGNS, "Basic",
     ["Cohort study",
      "Follows a group that is <b>exposed</b> and one that is <b>unexposed</b> forward in time and "
      "compares how many in each develop the outcome.<br>Gives incidence and the <b>relative risk</b> "
      "(RR). Good for rare exposures, bad for rare diseases (you'd need a huge cohort); can be prospective "
      "or retrospective.<br>e.g. the Framingham Heart Study."],
     ["study-design"]),
    ("Ep1dem-08", DESIGNS, "Basic",
     ["Case-control study: how does it work and what measure of association does it give?",
      "Starts from the outcome: picks people <b>with</b> the disease (cases) and people without it "
      "(controls) and looks back at their past exposures.<br>Gives an <b>odds ratio</b> (OR), not a RR."
      "<br>Quick and cheap, good for rare diseases, but prone to recall bias."],
     ["study-design"]),
    ("Ep1dem-09", DESIGNS, "Basic",
     ["Why is the RCT the gold standard?",
      "Randomisation spreads known <i>and unknown</i> confounders evenly between the arms, so a difference "
      "in outcome can be put down to the intervention. Blinding (single/double) also cuts placebo effects "
      "and measurement bias."],
     ["study-design"]),
    ("Ep1dem-10", BIAS, "Basic",
     ["What is a confounder?",
      "A third variable that is associated with the exposure <i>and</i> is a cause of the outcome, but is "
      "not on the causal pathway between them.<br>e.g. smoking confounds the link between coffee drinking "
      "and lung cancer.<br>Controlled by:<ul><li>randomisation</li><li>restriction</li><li>matching</li>"
      "<li>stratification</li><li>multivariable regression</li></ul>"],
     ["bias"]),
    ("Ep1dem-11", BIAS, "Basic",
     ["Selection bias vs information bias",
      "<b>Selection bias</b>: the people who end up in (or stay in) the study differ systematically from "
      "the target population, e.g. the healthy worker effect, loss to follow-up.<br><b>Information bias</b>: "
      "the exposure or outcome is measured wrongly, e.g. recall bias, observer bias, misclassification."],
     ["bias"]),
    ("Ep1dem-12", BIAS, "Basic",
     ["Bradford Hill criteria",
      "Guidelines for judging whether an association is causal:<ul><li>strength</li><li>consistency</li>"
      "<li>specificity</li><li>temporality (the only essential one: cause before effect)</li>"
      "<li>biological gradient (dose-response)</li><li>plausibility</li><li>coherence</li>"
      "<li>experiment</li><li>analogy</li></ul>"],
     ["bias", "causation"]),
    ("Ep1dem-13", MEASURES, "Cloze",
     ["The {{c1::absolute risk reduction}} (ARR) is the risk in the control group minus the risk in the "
      "treated group, and the {{c2::number needed to treat}} (NNT) = 1 / ARR.",
      "e.g. risk falls from 10% to 6%: ARR = 4%, NNT = 25"],
     ["measures"]),
    ("Ep1dem-14", MEASURES, "Basic",
     ["Relative risk - how to interpret",
      "RR = risk in the exposed / risk in the unexposed.<br>RR = 1: no association; RR &gt; 1: exposure "
      "linked to a higher risk; RR &lt; 1: protective.<br>If the 95% confidence interval includes 1 it's "
      "not statistically signif."],
     ["measures"]),
    ("Ep1dem-15", OUTBREAKS, "Basic",
     ["Endemic vs epidemic vs pandemic",
      "<b>Endemic</b>: always present at a usual level in an area (malaria in parts of Africa).<br>"
      "<b>Epidemic</b>: cases clearly above what is expected in an area or group.<br><b>Pandemic</b>: an "
      "epidemic that has spread over several countries or continents (COVID-19, 1918 flu)."],
     ["infectious"]),
    ("Ep1dem-16", OUTBREAKS, "Basic",
     ["How did John Snow show that cholera was waterborne?",
      "In the 1854 Soho outbreak in London he mapped the deaths and found they clustered around the "
      "<b>Broad Street pump</b>; after the pump handle was removed, new cases fell off. A founding case of "
      "field epidemiology (the spot map)."],
     []),
    ("Ep1dem-17", OUTBREAKS, "Basic",
     ["Incubation period",
      "Time from infection to the first symptoms.<br>Not the same as the <b>latent period</b> (infection "
      "→ becoming infectious): when the latent period is shorter, people spread the disease before they "
      "feel ill (presymptomatic transmission), bc they are infectious before symptoms."],
     ["infectious"]),
    ("Ep1dem-18", OUTBREAKS, "Cloze",
     ["In an outbreak investigation an {{c1::epidemic curve}} (epi curve) plots cases by date of "
      "{{c2::symptom onset}}: a single sharp peak suggests a {{c3::point source}} outbreak, successive "
      "waves a {{c4::propagated}} (person-to-person) one.",
      ""],
     ["infectious", "outbreaks"]),
    ("Ep1dem-19", MEASURES, "Basic",
     ["Standardised mortality ratio (SMR)?",
      "Observed deaths / expected deaths, where the expected deaths are those the study population would "
      "have with the age-specific death rates of a standard population (indirect standardisation).<br>"
      "SMR &gt; 1 = more deaths than expected."],
     []),
    ("Ep1dem-20", DESIGNS, "Basic",
     ["Screening - what is lead-time bias?",
      "Screening picks a disease up earlier, so survival from diagnosis looks longer even if death comes no "
      "later.<br>Related: <b>length-time bias</b>, slow-growing cases are more likely to be caught by "
      "screening, so screen-detected cases look milder."],
     ["screening", "bias"]),
]


def build(out: Path = OUT) -> Path:
    return write_package(NOTES, out)


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
