"""Screenshots of what a user sees, in headless Chromium, for docs/screenshots/ and for review.

    python bench/screenshots.py WORKSPACE OUT_DIR PATH [PATH ...]

Serves WORKSPACE on a free port, opens each PATH (e.g. `/`, `/concept/drift`, `/card/<id>`)
at 1280x900, waits until the graph has settled, and writes OUT_DIR/<name>.png, the name made
from the path. Prints each file, and any request the page made to another host (there must be
none).
"""

from __future__ import annotations

import re
import sys
import threading
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SETTLE_MS = 1500


def name_of(path: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-") or "overview"


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__)
        return 2
    from playwright.sync_api import sync_playwright
    from waitress.server import create_server

    from kg.web import create_app

    workspace, out, paths = argv[0], Path(argv[1]), argv[2:]
    out.mkdir(parents=True, exist_ok=True)
    server = create_server(create_app({"KG_WORKSPACE": workspace}), host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{server.effective_port}"
    foreign: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("request", lambda r: None if r.url.startswith((base, "data:")) else foreign.append(r.url))
        for path in paths:
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(SETTLE_MS)
            target = out / f"{name_of(path)}.png"
            page.screenshot(path=str(target))
            print(target)
        browser.close()
    server.close()
    print(f"requests to other hosts: {len(foreign)}", *foreign, sep="\n  ")
    return 1 if foreign else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
