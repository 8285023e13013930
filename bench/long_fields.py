"""Extraction time and memory of one card whose field is very long, at growing lengths.

    python bench/long_fields.py            # a pasted article and a keyword list, 2,000-32,000 words

A note's Back may hold a pasted article or a list of keywords with no full stop. Each line prints
the words, the seconds to extract the one card and the peak RSS of a fresh process; time that grows
4x when the words do is linear, 16x is the square (what a 28,000-word note cost before: the
build ran out of memory). Figures go to bench/README.md; no test times them.
"""

from __future__ import annotations

import json
import subprocess
import sys

ARTICLE = ("The mitochondrion makes most of the cell's ATP by oxidative phosphorylation. Its inner membrane "
           "folds into cristae, which carry the electron transport chain. Protons pumped across the membrane "
           "drive ATP synthase, and oxygen accepts the electrons at the end of the chain. ")
KEYWORDS = "model data pipeline store cache record index queue batch stream "
SIZES = (2000, 8000, 32000)

_ONE = """
import json, resource, sys, time
from kg.cards import Card
from kg.nlp import extract, load_model
text, words = sys.argv[1], int(sys.argv[2])
unit = len(text.split())
body = (text * (words // unit + 1)).split()[:words]
nlp = load_model()
card = Card(id="c", deck="d", question="What do these notes say?", answer=" ".join(body))
start = time.perf_counter()
(found,) = extract([card], nlp=nlp)
print(json.dumps({"words": words, "seconds": round(time.perf_counter() - start, 2),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                  "mentions": len(found.mentions)}))
"""


def main() -> int:
    for name, text in (("article", ARTICLE), ("keywords", KEYWORDS)):
        for words in SIZES:
            out = subprocess.run([sys.executable, "-c", _ONE, text, str(words)], capture_output=True, text=True,
                                 check=True).stdout
            print(name, json.loads(out.strip().splitlines()[-1]), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
