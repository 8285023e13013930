"""Write bench/judged/decks/macroeconomics/macroeconomics.apkg with Anki's own library: `python bench/judged/make_macroeconomics_apkg.py`.

A held-out deck for bench/concept_eval.py (HELDOUT_ELEVENTH), written as an economics student's Anki notes
on macroeconomics and central banking are: Basic, "Basic (and reversed card)" and Cloze notes (clozes with a
Back Extra and without) in sub-decks of `Macroeconomics`, tags with a `::` hierarchy (`macro::monetary::qe`)
on most notes and none on one, fields in Anki's HTML (`<b>`, `<i>`, `<br>`, an `<ol>` list, `<sub>` and
`<sup>` in the Taylor rule and the Fisher equation, `&gt;`), formulas written out in letters and symbols
("MV = PY", "1 / (1 − MPC)"), acronyms introduced once and used bare elsewhere (CB, QE, CPI, NAIRU, FOMC),
the abbreviations and typos a student writes ("govt", "w/", "approx", "bc", "Quantative", "unemployement",
"recesion"). Each note has a fixed guid, so the judged cards (bench/judged/gold_concepts.json, keyed by
guid) stay the same cards when the package is written again; Anki's note ids and timestamps change on every
run, so the .apkg in the repository is the one the judgement was made on.
"""

from __future__ import annotations

import sys
from pathlib import Path

from anki_package import write_package  # beside this script

OUT = Path(__file__).resolve().parent / "decks" / "macroeconomics" / "macroeconomics.apkg"

OUTPUT = "Macroeconomics::Output and growth"
INFLATION = "Macroeconomics::Inflation and unemployment"
MONETARY = "Macroeconomics::Central banking"
FISCAL = "Macroeconomics::Fiscal policy"

# (guid, deck, note type, fields, tags)
NOTES = [
    ("Mhcr0-01", OUTPUT, "Basic (and reversed card)",
     ["GDP",
      "<b>Gross domestic product</b>: the market value of all <i>final</i> goods and services produced "
      "within a country in a given period.<br>Expenditure approach: <b>Y = C + I + G + (X − M)</b>"],
     ["macro::output::gdp"]),
    ("Mhcr0-02", OUTPUT, "Basic",
     ["Nominal vs real GDP",
      "<b>Nominal</b> GDP is measured at current prices; <b>real</b> GDP at constant (base-year) prices, so "
      "it only changes when output changes.<br>Real GDP = nominal GDP / GDP deflator × 100"],
     ["macro::output::gdp", "macro::inflation"]),
    ("Mhcr0-03", INFLATION, "Cloze",
     ["{{c1::Inflation}} is a sustained rise in the general price level, usually measured by the "
      "{{c2::consumer price index}} (CPI).",
      "UK and euro area target: 2% CPI.<br><i>Core</i> inflation leaves out food and energy prices bc "
      "they are so volatile."],
     ["macro::inflation"]),
    ("Mhcr0-04", INFLATION, "Basic",
     ["Why do central banks aim for ~2% inflation and not 0%?",
      "<ul><li>a buffer against <b>deflation</b></li><li>room to push <i>real</i> interest rates below zero "
      "before hitting the zero lower bound</li><li>the CPI overstates inflation a bit (quality changes, "
      "new goods)</li><li>nominal wages are sticky downwards, so a little inflation lets real wages "
      "adjust</li></ul>"],
     ["macro::inflation", "macro::monetary"]),
    ("Mhcr0-05", MONETARY, "Basic",
     ["Monetary policy transmission mechanism",
      "How a change in the central bank's <b>policy rate</b> feeds through to the economy:"
      "<ol><li>market interest rates (mortgages, loans, savings) follow</li><li>asset prices and wealth"
      "</li><li>the exchange rate</li><li>expectations and confidence</li></ol>→ aggregate demand → output "
      "and inflation, with long and variable lags (approx 18-24 months for the peak effect on inflation)."],
     ["macro::monetary::transmission"]),
    ("Mhcr0-06", MONETARY, "Cloze",
     ["{{c1::Quantative easing}} (QE): the CB creates new reserves to buy {{c2::government bonds}} and "
      "other assets, pushing down long-term yields when the policy rate is already at the "
      "{{c3::zero lower bound}}.",
      ""],
     ["macro::monetary::qe"]),
    ("Mhcr0-07", MONETARY, "Basic",
     ["Taylor rule",
      "A rule of thumb for setting the policy rate (John Taylor, 1993):<br>"
      "i<sub>t</sub> = r* + π<sub>t</sub> + 0.5(π<sub>t</sub> − π*) + 0.5(y<sub>t</sub> − y*)<br>"
      "r* = neutral real rate, π* = inflation target, y<sub>t</sub> − y* = the <b>output gap</b>.<br>"
      "So the CB raises rates more than one-for-one when inflation goes up (the Taylor principle)."],
     ["macro::monetary::rules"]),
    ("Mhcr0-08", INFLATION, "Basic (and reversed card)",
     ["Phillips curve",
      "Short-run inverse relationship between <b>unemployment</b> and <b>inflation</b> (A.W. Phillips, "
      "1958, from UK wage data).<br>Broke down in the 1970s: the <i>expectations-augmented</i> Phillips "
      "curve (Friedman, Phelps) has no long-run trade-off, the long-run curve is vertical at the natural "
      "rate."],
     ["macro::inflation", "macro::labour"]),
    ("Mhcr0-09", INFLATION, "Basic",
     ["What is NAIRU?",
      "Non-accelerating inflation rate of unemployment: the unemployement rate at which inflation stays "
      "stable. Push unemployment below it and inflation speeds up."],
     ["macro::labour"]),
    ("Mhcr0-10", FISCAL, "Basic",
     ["Fiscal vs monetary policy",
      "<b>Fiscal policy</b>: govt spending and taxation, decided by the government (Treasury / finance "
      "ministry) through the budget.<br><b>Monetary policy</b>: interest rates and the money supply, set "
      "by the central bank, usually independent of the govt."],
     ["macro::fiscal", "macro::monetary"]),
    ("Mhcr0-11", INFLATION, "Basic",
     ["Quantity theory of money",
      "Equation of exchange: <b>MV = PY</b> (money supply × velocity = price level × real output).<br>If V "
      "and Y are roughly stable, faster growth in M just means a proportional rise in P. Monetarists "
      "(Milton Friedman): <i>\"inflation is always and everywhere a monetary phenomenon\"</i>."],
     ["macro::inflation", "macro::monetary"]),
    ("Mhcr0-12", MONETARY, "Basic",
     ["Why make the central bank independent of the govt?",
      "Credibility. Politicians are tempted to cut rates before an election and accept more inflation "
      "later (the <i>time inconsistency</i> problem), so a CB with its own mandate and no elections to "
      "win keeps inflation expectations anchored.<br>e.g. the Bundesbank; Bank of England operational "
      "independence in 1997."],
     ["macro::monetary::institutions"]),
    ("Mhcr0-13", MONETARY, "Cloze",
     ["The Federal Reserve has a {{c1::dual mandate}}: maximum employment and {{c2::stable prices}}; the ECB "
      "has a single mandate of price stability.",
      "Rates are set by the FOMC (Federal Open Market Committee), which meets 8x a year."],
     ["macro::monetary::institutions"]),
    ("Mhcr0-14", FISCAL, "Basic",
     ["Fiscal multiplier - what is it and what makes it smaller?",
      "The change in GDP from a £1 change in govt spending (or taxes).<br>Simple Keynesian multiplier = "
      "1 / (1 − MPC), MPC = marginal propensity to consume.<br>Smaller when:<ul><li>govt borrowing pushes "
      "up interest rates and <b>crowds out</b> private investment</li><li>a lot of the extra income leaks "
      "into imports, taxes or saving</li><li>the CB raises rates to offset it</li></ul>"],
     ["macro::fiscal"]),
    ("Mhcr0-15", MONETARY, "Basic",
     ["Fisher equation",
      "(1 + i) = (1 + r)(1 + π<sup>e</sup>), so approx <b>r ≈ i − π<sup>e</sup></b><br>"
      "i = nominal interest rate, r = real interest rate, π<sup>e</sup> = expected inflation."],
     ["macro::monetary", "macro::inflation"]),
    ("Mhcr0-16", MONETARY, "Basic",
     ["Liquidity trap",
      "When interest rates are near zero and people would rather hoard cash than hold bonds, so more "
      "monetary easing does nothing for spending (Keynes). Often said of Japan in the 1990s and of 2009."],
     ["macro::monetary"]),
    ("Mhcr0-17", INFLATION, "Basic",
     ["Stagflation",
      "High inflation + stagnant growth + high unemployment all at once.<br>e.g. the 1970s oil shocks: a "
      "negative <b>supply shock</b> shifts AS left, so prices rise while output falls - the CB can't fix "
      "both w/ one tool."],
     ["macro::inflation"]),
    ("Mhcr0-18", MONETARY, "Basic",
     ["Lender of last resort",
      "In a panic the central bank lends freely to solvent but <i>illiquid</i> banks, against good "
      "collateral, at a penalty rate (<b>Bagehot's dictum</b>, 1873), to stop a bank run spreading through "
      "the system."],
     ["macro::monetary::financial-stability"]),
    ("Mhcr0-19", MONETARY, "Basic",
     ["How do open market operations work?",
      "The CB buys or sells govt securities (often via repos) to add reserves to the banking system or "
      "drain them from it, keeping the overnight interbank rate close to its target.<br>Buying bonds → "
      "more reserves → lower short-term rates; selling does the opposite."],
     ["macro::monetary::tools"]),
    ("Mhcr0-20", OUTPUT, "Cloze",
     ["Phases of the business cycle: {{c1::expansion}} → peak → {{c2::recesion}} → trough → recovery. "
      "A common rule of thumb: two consecutive quarters of negative real GDP growth.",
      ""],
     []),
]


def build(out: Path = OUT) -> Path:
    return write_package(NOTES, out)


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
