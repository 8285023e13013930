"""Dots and labels moved off each other: each node's box (its dot with the label underneath)
pushed apart from every box it overlaps, after `kg.views.positions` has laid the view out.

Big views also draw their labels from a zoom of their own (`kg.viewlabels.label_scales`).
"""

from __future__ import annotations

from kg.views.positions import ASPECT

#: Label width per character, as a share of the font size (system-ui averages about this).
CHAR_WIDTH = 0.56
#: Rounds of pushing overlapping nodes and labels apart, and the clearance kept between them.
SEPARATE_ROUNDS = 300
DAMPING = 0.75
CLEARANCE = 6.0
#: Pushes halve what is left of an overlap, so it shrinks for ever without reaching zero; an
#: overlap this small (in pixels, well inside the clearance) counts as none, which lets most
#: drawings stop long before SEPARATE_ROUNDS.
SEPARATE_TOLERANCE = 2.0

#: Above this many nodes, de-overlapping would cost more time than the page is worth.
SEPARATE_MAX_NODES = 800


def separate(positions: dict, boxes: dict, *, rounds: int = SEPARATE_ROUNDS,
             clearance: float = CLEARANCE, tolerance: float = SEPARATE_TOLERANCE) -> dict:
    """Positions moved apart until no two boxes overlap (or `rounds` run out).

    `boxes` maps each node to `(half_width, half_height, dy)`: a rectangle centred `dy` below
    the node (a dot with its label underneath). Each round pushes every overlapping pair apart
    along the axis where they overlap least, each by half, so clusters open up without the
    layout's shape being lost; overlaps of `tolerance` pixels or less (well inside the
    clearance) are left. Returns a new dict; graphs above SEPARATE_MAX_NODES come back as they
    are.
    """
    import numpy as np

    nodes = list(positions)
    n = len(nodes)
    if not 1 < n <= SEPARATE_MAX_NODES:
        return dict(positions)
    # One array per axis: every round is a few dozen small numpy operations, and contiguous
    # rows are cheaper to work on than the columns of an (n, 2) array.
    x = np.array([positions[k][0] for k in nodes], dtype=float)
    y = np.array([positions[k][1] for k in nodes], dtype=float)
    hx = np.array([boxes[k][0] for k in nodes], dtype=float) + clearance / 2
    hy = np.array([boxes[k][1] for k in nodes], dtype=float) + clearance / 2
    dy = np.array([boxes[k][2] for k in nodes], dtype=float)
    # Only pairs with a node that moved in the last round can overlap now (two nodes that stayed
    # put did not overlap before, or they would have moved), so each round compares those rows
    # with everyone: the same pushes as comparing all pairs, at a fraction of the cost once
    # most of the drawing has settled.
    rows = np.arange(n)
    outside = np.ones(n, dtype=bool)
    for _ in range(rounds):
        cy = y + dy
        # Boxes are far wider than tall, so few pairs overlap in height: those are found over
        # the whole matrix, and only they are compared across.
        gy = cy[rows, None] - cy[None, :]
        oy = hy[rows, None] + hy[None, :]
        oy -= np.abs(gy)
        hit = oy > tolerance
        hit[np.arange(len(rows)), rows] = False
        r, j = np.nonzero(hit)
        i = rows[r]
        gx = x[i] - x[j]
        ox = (hx[i] + hx[j]) - np.abs(gx)
        keep = ox > tolerance
        if not keep.any():
            break
        r, i, j, gx, ox = r[keep], i[keep], j[keep], gx[keep], ox[keep]
        oy, gy = oy[r, j], gy[r, j]
        # Nodes at the very same spot are split by their order, so the result stays deterministic.
        tie = np.sign(i - j).astype(float)
        sx = np.where(gx == 0, tie, np.sign(gx))
        sy = np.where(gy == 0, tie, np.sign(gy))
        # Sideways is preferred (by the drawing's aspect): it keeps the picture landscape.
        along_x = ox < oy * ASPECT
        px = np.where(along_x, ox * sx, 0.0)
        py = np.where(along_x, 0.0, oy * sy)
        # A pair's pushes are equal and opposite. A pair of two rows is met twice, once from
        # each end; a pair with one end outside the rows only once, so that end is pushed here.
        outside[:] = True
        outside[rows] = False
        far = outside[j]
        at = np.concatenate([i, j[far]])
        # Half each, and damped again because a node may be pushed by several at once.
        x += np.bincount(at, weights=np.concatenate([px, -px[far]]), minlength=n) * DAMPING
        y += np.bincount(at, weights=np.concatenate([py, -py[far]]), minlength=n) * DAMPING
        moved = np.zeros(n, dtype=bool)
        moved[i] = moved[j] = True
        rows = np.flatnonzero(moved)
    return {node: (float(a), float(b)) for node, a, b in zip(nodes, x, y)}


def label_boxes(looks: dict) -> dict:
    boxes = {}
    for node, look in looks.items():
        r, font = look["size"], look["font"]
        width = max(2 * r, len(look["label"]) * font * CHAR_WIDTH)
        height = 2 * r + font * 1.25
        # vis draws the label under the dot: the box runs from the dot's top to the label's foot.
        boxes[node] = (width / 2, height / 2, height / 2 - r)
    return boxes
