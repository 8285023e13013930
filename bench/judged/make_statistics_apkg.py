"""Write bench/judged/decks/statistics/statistics.apkg with Anki's own library: `python bench/judged/make_statistics_apkg.py`.

A held-out deck for bench/concept_eval.py (HELDOUT_THIRTEENTH), written as a student's Anki notes on statistics and
probability are: a note type of the student's own, "Stats term", of four fields (Term, Definition, Formula, Example;
its card shows the Term, then the other three under their names), beside Basic and Cloze notes (one with an empty
Back Extra), in sub-decks of `Statistics`, tags on most notes; fields in Anki's HTML (`<b>`, `<i>`, `<br>`, an `<ol>`
list, `&lt;`, `&nbsp;`), formulas written with Unicode symbols (σ, μ, Σ, √, x̄, ∩), notation (H0, P(A|B), n − 1), and
the abbreviations and typos a student writes ("w/", "b/c", "prob.", "SD", "CI", "probablity", "hypothesys").
Each note has a fixed guid, so the judged cards (bench/judged/gold_concepts.json, keyed by guid) stay the same
cards when the package is written again; Anki's note ids and timestamps change on every run, so the .apkg in the
repository is the one the judgement was made on.
"""

from __future__ import annotations

import sys
from pathlib import Path

from anki_package import write_package  # beside this script

OUT = Path(__file__).resolve().parent / "decks" / "statistics" / "statistics.apkg"

DESCRIPTIVE = "Statistics::Descriptive"
PROBABILITY = "Statistics::Probability"
INFERENCE = "Statistics::Inference"

TERM = "Stats term"
NOTE_TYPES = {
    TERM: (["Term", "Definition", "Formula", "Example"],
           "<div class=term>{{Term}}</div>",
           "{{FrontSide}}<hr id=answer>{{Definition}}<br><br><b>Formula:</b> {{Formula}}"
           "<br><b>Example:</b> {{Example}}"),
}

# (guid, deck, note type, fields, tags)
NOTES = [
    ("Sta13-01", DESCRIPTIVE, TERM,
     ["Standard deviation",
      "How spread out the values are around the mean; the square root of the <b>variance</b>.",
      "σ = √(Σ(x − μ)² / N)",
      "Adult heights w/ SD 7 cm: most people are within ±7 cm of the mean."],
     ["stats::descriptive"]),
    ("Sta13-02", DESCRIPTIVE, "Basic",
     ["Mean vs median",
      "<b>Mean</b>: the arithmetic average (sum / n).<br><b>Median</b>: the middle value when the data are "
      "sorted.<br>The median is robust to outliers; the mean gets pulled by skew (e.g. household incomes)."],
     ["stats::descriptive"]),
    ("Sta13-03", INFERENCE, "Basic",
     ["What does a p-value tell you?",
      "The probability of getting data at least as extreme as what was observed <i>if the null hypothesis is "
      "true</i>.<br>NOT the prob. that H0 is true! Small p (&lt; 0.05 by convention) → reject H0."],
     ["stats::inference"]),
    ("Sta13-04", INFERENCE, "Cloze",
     ["A {{c1::Type I error}} is rejecting a true null hypothesis (false positive); a {{c2::Type II error}} is "
      "failing to reject a false one (false negative).",
      "α = P(Type I error), β = P(Type II error), statistical power = 1 − β"],
     ["stats::inference"]),
    ("Sta13-05", INFERENCE, TERM,
     ["Central limit theorem",
      "The sampling distribution of the sample mean approaches a <b>normal distribution</b> as the sample size "
      "grows, whatever the shape of the population's distribution (as long as its variance is finite).",
      "x̄ ~ N(μ, σ²/n) for large n",
      "Rule of thumb: n ≥ 30 is usually enough."],
     ["stats::inference"]),
    ("Sta13-06", PROBABILITY, "Basic",
     ["Bayes' theorem",
      "P(A|B) = P(B|A) · P(A) / P(B)<br>Updates a <b>prior</b> probability with new evidence to get a "
      "<b>posterior</b> probability.<br>Thomas Bayes, published posthumously in 1763."],
     ["stats::probability"]),
    ("Sta13-07", DESCRIPTIVE, "Basic",
     ["Why is sample variance divided by n − 1?",
      "Bessel's correction: measuring spread around the sample mean instead of the true mean underestimates "
      "it, b/c the sample mean sits closer to the data. Dividing by n − 1 makes the estimator unbiased (one "
      "degree of freedom is used up by the mean)."],
     ["stats::descriptive"]),
    ("Sta13-08", INFERENCE, TERM,
     ["Confidence interval (CI)",
      "A range computed from the sample that would contain the true parameter in 95% of repeated samples "
      "(for a 95% CI). Wider CI = less precise estimate.",
      "x̄ ± z* · σ/√n",
      "Mean reaction time 312 ms, 95% CI 298–326 ms."],
     ["stats::inference"]),
    ("Sta13-09", DESCRIPTIVE, "Basic",
     ["Correlation vs causation",
      "<b>Correlation</b>: two variables move together (Pearson's r, from −1 to 1).<br><b>Causation</b>: "
      "changing one changes the other.<br>A <b>confounding variable</b> can make two things correlate "
      "with no causal link: ice cream sales &amp; drownings both rise with summer heat."],
     ["stats::descriptive"]),
    ("Sta13-10", PROBABILITY, "Cloze",
     ["The {{c1::binomial distribution}} counts the successes in {{c2::n independent trials}}, each with the "
      "same probability p of success.",
      "mean = np, variance = np(1 − p)"],
     ["stats::probability::distributions"]),
    ("Sta13-11", PROBABILITY, "Basic",
     ["Independent events",
      "P(A and B) = P(A) · P(B).<br>Knowing one happened doesn't change the probablity of the other.<br>"
      "Not the same as <b>mutually exclusive</b> events, which can't both happen."],
     ["stats::probability"]),
    ("Sta13-12", PROBABILITY, "Basic",
     ["What is the law of large numbers?",
      "As the number of trials grows, the sample average converges to the expected value. e.g. a fair coin "
      "gets close to 50% heads over thousands of flips.<br>It does NOT make the gambler's fallacy true: "
      "past flips don't make heads \"due\"."],
     ["stats::probability"]),
    ("Sta13-13", DESCRIPTIVE, TERM,
     ["Z-score",
      "How many standard deviations a value lies above or below the mean.",
      "z = (x − μ) / σ",
      "z = 2 → two SD above the mean, about the 97.7th percentile."],
     ["stats::descriptive"]),
    ("Sta13-14", PROBABILITY, "Basic",
     ["Normal distribution: the 68-95-99.7 rule",
      "About 68% of values lie within 1 SD of the mean, 95% within 2 SD and 99.7% within 3 SD.<br>The "
      "curve is bell-shaped and symmetric: mean = median = mode."],
     ["stats::probability::distributions"]),
    ("Sta13-15", INFERENCE, "Basic",
     ["Who introduced the t-distribution, and why is it called Student's?",
      "William Sealy Gosset, 1908, a chemist at the Guinness brewery in Dublin. He published as "
      "\"Student\" b/c Guinness did not let staff publish under their own names.<br>Used for small samples "
      "when the population SD is unknown."],
     []),
    ("Sta13-16", INFERENCE, "Basic",
     ["Null hypothesys vs alternative hypothesis",
      "<b>H0</b>: no effect / no difference, the claim you try to reject.<br><b>H1</b> (Ha): the effect you "
      "suspect exists.<br>You never \"accept\" H0&nbsp;- you <i>fail to reject</i> it."],
     ["stats::inference"]),
    ("Sta13-17", PROBABILITY, TERM,
     ["Expected value",
      "The long-run average of a random variable: each outcome weighted by its probability.",
      "E[X] = Σ x · P(x)",
      "A fair six-sided die: E[X] = 3.5"],
     ["stats::probability"]),
    ("Sta13-18", DESCRIPTIVE, "Cloze",
     ["{{c1::Simpson's paradox}}: a trend that shows up in several groups reverses when the groups are "
      "{{c2::combined}}.",
      ""],
     ["stats::descriptive"]),
    ("Sta13-19", INFERENCE, "Basic",
     ["What are the assumptions of linear regression?",
      "<ol><li><b>L</b>inearity of the relationship</li><li><b>I</b>ndependence of the errors</li>"
      "<li><b>N</b>ormality of the residuals</li><li><b>E</b>qual variance of residuals "
      "(homoscedasticity)</li></ol>Mnemonic: LINE"],
     ["stats::inference::regression"]),
    ("Sta13-20", PROBABILITY, "Basic",
     ["Conditional probability",
      "The probability of A given that B has happened:<br>P(A|B) = P(A ∩ B) / P(B)<br>e.g. P(rain | "
      "cloudy) is higher than P(rain)."],
     []),
]


def main() -> int:
    print(write_package(NOTES, OUT, NOTE_TYPES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
