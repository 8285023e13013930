"""Which labels a big graph view draws at which zoom, so that no two drawn labels ever touch.

vis-network draws every label at its font size times the zoom and hides those under a few
pixels: at the zoom that fits a thousand nodes it shows none, and where it shows them they can
pile up. Big views (`kg.views.to_pyvis`, drawn by `web/static/graph.js`) instead give each node
the zoom from which its label is drawn, worked out here once with the layout.
"""

from __future__ import annotations

#: A drawn label is never smaller than this many screen pixels (8 was hard to read; a larger
#: floor for important labels showed a third fewer labels at the first paint), and LABEL_GAP
#: screen pixels are kept between labels.
LABEL_PX_MIN = 10.0
LABEL_GAP = 2.0
#: Label width per character, as a share of the font size: on the safe side of the average
#: (kg.views.CHAR_WIDTH), as capitals and wide letters ("MLOps", "AWS") are drawn wider.
LABEL_CHAR_WIDTH = 0.62
#: A label's height as a share of its font size.
LABEL_HEIGHT = 1.3


def label_scales(positions: dict, looks: dict, order: list) -> dict:
    """{node: the zoom from which its label is drawn}, for the label layer of big views.

    A label is drawn under its dot at its canvas font size (`look["font"]`) times the zoom, as
    vis-network would, but never smaller than `look["px"]` screen pixels, so a label that is
    drawn can be read. Zooming in spreads the nodes faster than it grows such labels, so two
    labels stop covering each other from some zoom on. In `order` (most important first) each
    label gets the smallest zoom from which it covers no label shown before it at that zoom:
    the first paint shows the important labels side by side, the others appear as the reader
    zooms in.
    """
    import numpy as np

    n = len(order)
    if not n:
        return {}
    x = np.array([positions[k][0] for k in order], dtype=float)
    # The label's top edge stands just under the dot.
    top = np.array([positions[k][1] + looks[k]["size"] for k in order], dtype=float)
    font = np.array([looks[k]["font"] for k in order], dtype=float)
    px = np.array([looks[k]["px"] for k in order], dtype=float)
    half = np.array([len(looks[k]["label"]) for k in order], dtype=float) * LABEL_CHAR_WIDTH / 2
    # Below this zoom a label is held at its minimum screen size.
    bend = px / font
    shown_from = np.zeros(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        for j in range(1, n):
            i = slice(0, j)
            need_x = _apart_from(np.abs(x[i] - x[j]), half[i], half[j], font[i], font[j], px[i], px[j],
                                 bend[i], bend[j])
            # Vertically only the upper label's height counts (the lower one starts below it).
            upper = top[i] <= top[j]
            need_y = _apart_from(np.abs(top[i] - top[j]), np.where(upper, LABEL_HEIGHT, 0.0),
                                 np.where(upper, 0.0, LABEL_HEIGHT), font[i], font[j], px[i], px[j],
                                 bend[i], bend[j])
            need = np.minimum(need_x, need_y)
            # Only labels already shown below that zoom are in the way.
            blocking = need[shown_from[i] < need]
            shown_from[j] = blocking.max() if blocking.size else 0.0
    return {k: (round(float(v), 4) if np.isfinite(v) else 1e6) for k, v in zip(order, shown_from)}



def _apart_from(gap, ci, cj, fi, fj, pi, pj, bi, bj):
    """The smallest zoom s at which `gap` (canvas units) is at least
    ci * size_i(s) + cj * size_j(s) + LABEL_GAP / s, where size(s) = max(f, p / s) is a label's
    font in canvas units; inf when no zoom does it. Works on arrays (j is one label)."""
    import numpy as np

    def solve(a_const, b_over_s):
        # gap >= A + B / s  <=>  s >= B / (gap - A), when gap > A.
        return np.where(gap > a_const, b_over_s / np.where(gap > a_const, gap - a_const, 1.0), np.inf)

    low, high = np.minimum(bi, bj), np.maximum(bi, bj)
    i_first = bi <= bj  # i reaches its canvas font size first
    # Below both bends both labels are held at their minimum screen size.
    s1 = solve(0.0, ci * pi + cj * pj + LABEL_GAP)
    # Between the bends one of them has its canvas size, the other is still held.
    s2 = solve(np.where(i_first, ci * fi, cj * fj), np.where(i_first, cj * pj, ci * pi) + LABEL_GAP)
    # Above both, both have their canvas size.
    s3 = solve(ci * fi + cj * fj, LABEL_GAP)
    return np.where(s1 < low, s1, np.where(np.maximum(s2, low) < high, np.maximum(s2, low), np.maximum(s3, high)))
