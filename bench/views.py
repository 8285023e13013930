"""How readable the big graph views are, measured in real Chromium.

For each page: how many labels are drawn at the first paint and what share of them overlap
another drawn label (on screen, after "fit"), and the frame time while the reader drags the
canvas (a pan of 60 mouse steps): the browser's frame interval (requestAnimationFrame, capped
by the display's 60 Hz) and the time vis-network and kg's label layer take to draw each frame
(beforeDrawing to the last afterDrawing listener), mean and 95th percentile.

    python bench/views.py WORKSPACE [--page "/?view=concepts&top=1000"] ...

It serves WORKSPACE itself (waitress, in this process) and drives /usr/bin/chromium through
Playwright with a 1280x900 window, as tests/test_browser.py does.
"""

from __future__ import annotations

import argparse
import json
import statistics
import threading
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
DEFAULT_PAGES = ["/?view=concepts&top=1000", "/?view=concepts&top=250", "/", "/?top=1000"]
VIEWPORT = {"width": 1280, "height": 900}
DRAG_STEPS = 60

# The labels drawn right now, as screen boxes. kg's own label layer (graph.js) says which it drew;
# otherwise vis-network's rule is applied: a label is drawn when its font is at least
# drawThreshold pixels on screen.
LABEL_BOXES = """() => {
  const net = window.kgNetwork;
  if (window.kgDrawnLabels) return {total: window.kgDrawnLabels.total, boxes: window.kgDrawnLabels.boxes()};
  const scale = net.getScale();
  const threshold = (net.body.nodes[Object.keys(net.body.nodes)[0]] || {options: {scaling: {label: {drawThreshold: 5}}}})
    .options.scaling.label.drawThreshold;
  const boxes = [];
  let total = 0;
  for (const id of net.body.nodeIndices) {
    const node = net.body.nodes[id];
    if (!node.options.label) continue;
    total += 1;
    if (node.options.font.size * scale < threshold) continue;
    const s = node.labelModule.size;
    const a = net.canvasToDOM({x: s.left, y: s.top});
    const b = net.canvasToDOM({x: s.left + s.width, y: s.top + s.height});
    boxes.push([a.x, a.y, b.x, b.y]);
  }
  return {total, boxes};
}"""

FRAMES = """(steps) => new Promise(resolve => {
  const times = [];
  let run = true;
  function tick(t) { times.push(t); if (run) requestAnimationFrame(tick); }
  requestAnimationFrame(tick);
  window.__stopFrames = () => { run = false; resolve(times); };
})"""


def overlap_share(boxes: list[list[float]]) -> float:
    """The share of boxes that intersect at least one other box."""
    hit = [False] * len(boxes)
    order = sorted(range(len(boxes)), key=lambda i: boxes[i][0])
    for pos, i in enumerate(order):
        ax0, ay0, ax1, ay1 = boxes[i]
        for j in order[pos + 1:]:
            bx0, by0, bx1, by1 = boxes[j]
            if bx0 >= ax1:
                break
            if by0 < ay1 and ay0 < by1:
                hit[i] = hit[j] = True
    return sum(hit) / len(boxes) if boxes else 0.0


def measure(page, url: str) -> dict:
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_selector("#graph[data-ready=true]", timeout=120_000)
    page.wait_for_timeout(300)
    ready = time.perf_counter() - started
    labels = page.evaluate(LABEL_BOXES)
    nodes = page.evaluate("window.kgNetwork.body.nodeIndices.length")
    edges = page.evaluate("window.kgNetwork.body.edgeIndices.length")
    box = page.locator("#graph").bounding_box()
    # Pan from near a corner, where no node usually sits, across a third of the canvas.
    x0, y0 = box["x"] + 12, box["y"] + 12
    page.evaluate("""() => { window.__draws = []; const net = window.kgNetwork;
      net.on('beforeDrawing', () => { window.__t0 = performance.now(); });
      net.on('afterDrawing', () => { window.__draws.push(performance.now() - window.__t0); }); }""")
    page.evaluate("() => { window.__frames = (" + FRAMES + ")(0); }")
    page.mouse.move(x0, y0)
    page.mouse.down()
    for step in range(1, DRAG_STEPS + 1):
        page.mouse.move(x0 + step * box["width"] / 3 / DRAG_STEPS, y0 + step * box["height"] / 4 / DRAG_STEPS)
    page.mouse.up()
    times = page.evaluate("() => { window.__stopFrames(); return window.__frames; }")
    gaps = [b - a for a, b in zip(times, times[1:])]
    draws = sorted(page.evaluate("window.__draws"))
    return {
        "page": url.split("//", 1)[1].split("/", 1)[1],
        "nodes": nodes, "links": edges,
        "labels": labels["total"], "labels_drawn": len(labels["boxes"]),
        "overlap_share": round(overlap_share(labels["boxes"]), 3),
        "frame_ms_mean": round(statistics.fmean(gaps), 1) if gaps else None,
        "frame_ms_p95": round(sorted(gaps)[int(len(gaps) * 0.95) - 1], 1) if len(gaps) > 1 else None,
        "draw_ms_mean": round(statistics.fmean(draws), 2) if draws else None,
        "draw_ms_p95": round(draws[int(len(draws) * 0.95) - 1], 2) if len(draws) > 1 else None,
        "ready_s": round(ready, 2),
    }


def main() -> None:
    """Serve a workspace and measure label overlap and drag frame time of its big views."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--page", action="append", help="page path (repeatable)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright
    from waitress.server import create_server

    from kg.web import create_app

    server = create_server(create_app({"KG_WORKSPACE": str(args.workspace)}), host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{server.effective_port}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport=VIEWPORT).new_page()
        for path in args.page or DEFAULT_PAGES:
            print(json.dumps(measure(page, base + path)), flush=True)
        browser.close()
    server.close()


if __name__ == "__main__":
    main()
