"""Cold JSON pages of a store, one at a time in one process: what each costs with no queue.

    python bench/store_pages.py sqlite:/tmp/store100k/ws/store.sqlite
    python bench/store_pages.py postgresql://kg_reader@HOST/kg

Asks the overview for the most important concepts, then times (each once, cold) the pages of
the first four, a search for the first, three cards it finds, two more searches, two
completions (one misspelt) and two paths between them. Prints one line per page and the
process's peak RSS.
"""

from __future__ import annotations

import argparse
import resource
import time
import urllib.parse

from kg.store import open_store
from kg.web import create_app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", help="sqlite:FILE or a postgresql:// URL")
    args = parser.parse_args()
    client = create_app({"KG_WORKSPACE": args.store, "TESTING": True}).test_client()
    store = open_store(args.store)
    top = [c["label"] for c in client.get("/api/overview?top=10").get_json()["concepts"]]

    def timed(url: str):
        started = time.perf_counter()
        response = client.get(url)
        print(f"{(time.perf_counter() - started) * 1000:8.1f} ms {response.status_code} "
              f"{len(response.data):9d} B {url}")
        return response

    q = urllib.parse.quote
    for label in top[:4]:
        timed(f"/api/concept/{q(store.resolve(label).partition(':')[2])}")
    found = timed(f"/api/search?q={q(top[0])}").get_json()["cards"][:3]
    for card in found:
        timed(f"/api/card/{q(card['id'].partition(':')[2], safe='')}")
    for url in ("/api/search?q=model+drift", "/api/search?q=kubeflo+pipelines", "/api/suggest?q=mod",
                "/api/suggest?q=monitr", f"/api/path?from={q(top[0])}&to={q(top[1])}",
                f"/api/path?from={q(top[2])}&to={q(top[3])}"):
        timed(url)
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
