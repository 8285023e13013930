"""Write bench/judged/decks/microeconomics/microeconomics.apkg with Anki's own library: `python bench/judged/make_microeconomics_apkg.py`.

A held-out deck for bench/concept_eval.py (HELDOUT_FIFTH), written as a student's Anki notes are:
Basic, Basic (and reversed card) and Cloze notes in sub-decks of `Microeconomics`, tags, fields in
Anki's HTML (`<b>`, `<i>`, `<br>`, `<ul>`/`<li>`, `&nbsp;`), acronyms introduced once ("Price
elasticity of demand (PED)") and used bare on other cards. Each note has a fixed guid, so the judged
cards (bench/judged/gold_concepts.json, keyed by guid) stay the same cards when the package is
written again; Anki's note ids and timestamps change on every run, so the .apkg in the repository
is the one the judgement was made on.
"""

from __future__ import annotations

import sys
from pathlib import Path

from anki_package import write_package  # beside this script

OUT = Path(__file__).resolve().parent / "decks" / "microeconomics" / "microeconomics.apkg"

# (guid, deck, note type, fields, tags)
NOTES = [
    ("M1cr0-01", "Microeconomics::Basics", "Basic (and reversed card)",
     ["Opportunity cost",
      "The value of the <b>next best alternative</b> given up when you make a choice.<br>"
      "e.g. the wage you give up to study full-time."],
     ["basics"]),
    ("M1cr0-02", "Microeconomics::Demand and Supply", "Basic",
     ["What is the <b>law of demand</b>?",
      "Other things equal (<i>ceteris paribus</i>), when the price of a good rises the quantity demanded "
      "falls.<br>→ the demand curve slopes downward."],
     ["demand"]),
    ("M1cr0-03", "Microeconomics::Demand and Supply", "Basic",
     ["Change in quantity demanded vs change in demand",
      "<ul><li>change in <b>quantity demanded</b> = a movement <i>along</i> the demand curve, caused by "
      "the good's own price</li><li>change in <b>demand</b> = a <i>shift</i> of the whole curve, caused "
      "by income, tastes, expectations or the prices of related goods</li></ul>"],
     ["demand"]),
    ("M1cr0-04", "Microeconomics::Demand and Supply", "Cloze",
     ["Two goods are {{c1::substitutes}} if a rise in the price of one raises the demand for the other "
      "(tea and coffee), and {{c2::complements}} if it lowers it (cars and petrol).",
      ""],
     ["demand", "related-goods"]),
    ("M1cr0-05", "Microeconomics::Demand and Supply", "Basic",
     ["Normal vs inferior goods",
      "<b>Normal good</b>: demand rises when income rises.<br>"
      "<b>Inferior good</b>: demand <i>falls</i> when income rises (instant noodles, bus travel)."],
     ["demand", "income"]),
    ("M1cr0-06", "Microeconomics::Demand and Supply", "Basic",
     ["What sets the market equilibrium price?",
      "The price at which quantity supplied = quantity demanded, where the supply and demand curves "
      "cross.<br>Above it there is a <b>surplus</b> (excess supply), below it a <b>shortage</b> "
      "(excess demand), and the price moves back toward equilibrium."],
     ["equilibrium"]),
    ("M1cr0-07", "Microeconomics::Elasticity", "Basic",
     ["Price elasticity of demand (PED)",
      "PED = % change in quantity demanded / % change in price<br>"
      "|PED| &gt; 1: <b>elastic</b>&nbsp;&nbsp;|PED| &lt; 1: <b>inelastic</b>&nbsp;&nbsp;|PED| = 1: unit elastic"],
     ["elasticity", "formulas"]),
    ("M1cr0-08", "Microeconomics::Elasticity", "Basic",
     ["How does PED affect total revenue when a firm raises its price?",
      "Demand <b>inelastic</b> → total revenue rises.<br>Demand <b>elastic</b> → total revenue falls.<br>"
      "Unit elastic → revenue unchanged."],
     ["elasticity", "revenue"]),
    ("M1cr0-09", "Microeconomics::Elasticity", "Basic",
     ["What makes demand for a good more price elastic?",
      "<ul><li>close substitutes are available</li><li>it takes a large share of income</li>"
      "<li>it is a luxury, not a necessity</li><li>consumers have longer to adjust</li></ul>"],
     ["elasticity"]),
    ("M1cr0-10", "Microeconomics::Elasticity", "Cloze",
     ["{{c1::Income elasticity of demand}} (YED) is negative for {{c2::inferior goods}} and greater "
      "than 1 for {{c3::luxuries}}.",
      "YED = % change in quantity demanded / % change in income"],
     ["elasticity", "income"]),
    ("M1cr0-11", "Microeconomics::Welfare", "Basic",
     ["Consumer surplus vs producer surplus",
      "<b>Consumer surplus</b>: what buyers are willing to pay minus the price they actually pay "
      "(area under the demand curve, above the price).<br><b>Producer surplus</b>: the price sellers "
      "receive minus the lowest price they would accept (area above the supply curve, below the price)."],
     ["welfare"]),
    ("M1cr0-12", "Microeconomics::Welfare", "Basic",
     ["What is <b>deadweight loss</b>?",
      "The loss of total surplus (consumer + producer) when the quantity traded is not the efficient "
      "one, e.g. because of a tax, a price floor or a monopoly."],
     ["welfare"]),
    ("M1cr0-13", "Microeconomics::Welfare", "Basic",
     ["Why does a price ceiling below the equilibrium price cause a shortage?",
      "At the capped price quantity demanded exceeds quantity supplied, and the price can't rise to "
      "clear the market.<br>e.g. rent control → housing shortage, waiting lists, black markets."],
     ["welfare", "government"]),
    ("M1cr0-14", "Microeconomics::Costs", "Basic",
     ["Law of diminishing marginal returns",
      "Adding more of a variable input (labour) to a fixed input (capital) eventually raises output by "
      "less and less for each extra unit.<br>This is why short-run marginal cost (MC) curves slope upward."],
     ["costs", "short-run"]),
    ("M1cr0-15", "Microeconomics::Costs", "Basic",
     ["MC vs ATC",
      "<b>Marginal cost</b>: the cost of producing one more unit.<br>"
      "<b>Average total cost</b> (ATC): total cost / quantity.<br>"
      "The MC curve cuts the ATC curve at its <i>minimum</i>."],
     ["costs"]),
    ("M1cr0-16", "Microeconomics::Costs", "Cloze",
     ["A profit-maximising firm produces the output where {{c1::marginal revenue (MR)}} equals "
      "{{c2::marginal cost}}.",
      "MR = MC holds in every market structure."],
     ["costs", "revenue"]),
    ("M1cr0-17", "Microeconomics::Market Structures", "Basic",
     ["Features of <b>perfect competition</b>",
      "<ul><li>many buyers and sellers</li><li>a homogeneous product</li><li>free entry and exit</li>"
      "<li>perfect information</li></ul>Firms are <b>price takers</b> and earn zero economic profit in "
      "the long run."],
     ["market-structures"]),
    ("M1cr0-18", "Microeconomics::Market Structures", "Basic",
     ["How does a monopoly differ from a perfectly competitive firm?",
      "A monopolist is a <b>price maker</b>: it faces the downward-sloping market demand curve, so "
      "MR &lt; price.<br>It produces less and charges more than a competitive industry would, causing a "
      "deadweight loss. <b>Barriers to entry</b> keep rivals out."],
     ["market-structures"]),
    ("M1cr0-19", "Microeconomics::Market Structures", "Basic",
     ["What is an oligopoly?",
      "A market dominated by a few interdependent firms (airlines, mobile networks).<br>"
      "Firms may collude and form a <b>cartel</b> (OPEC); game theory models their choices, e.g. the "
      "prisoner's dilemma."],
     ["market-structures", "game-theory"]),
    ("M1cr0-20", "Microeconomics::Market Failure", "Basic",
     ["Negative externality",
      "A cost imposed on third parties that the market price leaves out, e.g. pollution from a "
      "factory.<br>The market overproduces the good; a <b>Pigouvian tax</b> equal to the marginal "
      "external cost corrects it."],
     ["market-failure", "government"]),
]


def build(out: Path = OUT) -> Path:
    return write_package(NOTES, out)


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
