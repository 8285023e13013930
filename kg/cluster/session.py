"""One build's connection to a Dask cluster: a scheduler at an address, or a LocalCluster.

`ClusterSession` registers the worker plugin that loads the spaCy model (once per worker),
sends the cards that need extraction as partitions and streams back their extractions, and
hands `kg.graph` a `ClusterCounting` for the deck-wide sums.
"""

from __future__ import annotations

import math
from typing import Callable, Iterator

from kg.cards import Card
from kg.errors import ClusterError
from kg.extraction import CardExtraction

LOCAL_PREFIX = "local:"
# Cards per partition: large enough that a task's overhead (about a millisecond) vanishes
# beside spaCy's 6-10 ms a card, small enough that every worker stays busy to the end.
PARTITION_CARDS = 250
# Partitions per worker at least, so a slow worker does not hold up the end of a build.
PARTITIONS_PER_WORKER = 4
CONNECT_SECONDS = 30
WORKER_WAIT_SECONDS = 60
# A LocalCluster's background chores, made rare: distributed's defaults serve a dashboard (a
# stack sample of every task every 10 ms, an event-loop tick every 20 ms, /proc read every 100
# ms by each nanny) and cost about 3% of a core per process even when idle, taken from spaCy
# on a machine whose every core runs a worker. A cluster started apart keeps its own settings.
QUIET_LOCAL_CLUSTER = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.gil.enabled": False,
}


def parse_local(address: str) -> int | None:
    """N of "local:N" (None for a scheduler address); raises ClusterError for a bad N."""
    if not address.startswith(LOCAL_PREFIX):
        return None
    count = address[len(LOCAL_PREFIX):]
    if not count.isdigit() or not 1 <= int(count) <= 256:
        raise ClusterError(f"--scheduler {address}: expected local:N with N workers from 1 to 256")
    return int(count)


class ClusterSession:
    """A client of the cluster at `address` ("tcp://host:8786", or "local:N" for a LocalCluster
    of N single-threaded worker processes) with the spaCy pipeline `model` loaded on every worker.

    `partitions` fixes how many partitions the cards are split into (default: by cards and
    workers). Use as a context manager, or call `close()`.
    """

    def __init__(self, address: str, *, model: str | None = None, partitions: int | None = None):
        from kg.nlp.fingerprint import default_model_name

        self.address = address
        self._workers = parse_local(address)  # a bad local:N fails at once, before any work
        # The workers load the model this machine would: KG_SPACY_MODEL is read here, not there.
        self.model = model or default_model_name()
        self.partitions = partitions
        self._cluster = self._client = None
        # (future of a partition's (card, extraction) records on a worker, its card ids), from
        # the last extract(): what the next counting() starts from.
        self._held: list = []

    @property
    def client(self):
        """The connected `distributed.Client`, every worker with the model loaded. Connected on
        first use: a rebuild that finds nothing to extract or count never starts a cluster."""
        if self._client is None:
            self._connect()
        return self._client

    def _connect(self) -> None:
        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError:  # pragma: no cover - distributed is a test dependency
            raise ClusterError("--scheduler needs Dask: pip install 'kg[cluster]'") from None
        from kg.cluster.worker import SpacyModel

        address = self.address
        try:
            if self._workers is not None:
                with dask.config.set(QUIET_LOCAL_CLUSTER):
                    self._cluster = LocalCluster(n_workers=self._workers, threads_per_worker=1, processes=True,
                                                 dashboard_address=None)
                    self._client = Client(self._cluster)
            else:
                self._client = Client(address, timeout=CONNECT_SECONDS)
        except (OSError, TimeoutError, ValueError, RuntimeError) as exc:  # RuntimeError: a local worker failed
            self.close()
            raise ClusterError(f"--scheduler {address}: cannot reach the scheduler ({_reason(exc)})") from None
        try:
            self._client.wait_for_workers(1, timeout=WORKER_WAIT_SECONDS)
            # Blocks until every worker has loaded the model (or found it loaded by an earlier build).
            self._client.register_plugin(SpacyModel(self.model), name=SpacyModel.name)
        except TimeoutError:
            self.close()
            raise ClusterError(f"--scheduler {address}: no worker joined within {WORKER_WAIT_SECONDS}s") from None
        except Exception as exc:  # a worker's own error, re-raised here by distributed
            self.close()
            raise ClusterError(f"--scheduler {address}: a worker could not load {self.model} ({_reason(exc)})") \
                from None
        self._check_pipelines()

    def _check_pipelines(self) -> None:
        from kg.cluster.worker import pipeline_on_worker
        from kg.nlp.fingerprint import fingerprint_from_meta, installed_model_meta, model_label

        here = installed_model_meta(self.model)
        if here is None:  # this machine has no such package to compare with: the workers must agree
            found = self.client.run(pipeline_on_worker, self.model)
            here_label, expected = next(iter(found.values()))
        else:
            here_label, expected = model_label(here), fingerprint_from_meta(here, None)
            found = self.client.run(pipeline_on_worker, self.model)
        for address, (label, fingerprint) in sorted(found.items()):
            if fingerprint != expected:
                self.close()
                raise ClusterError(
                    f"--scheduler {self.address}: worker {address} runs {label} (spaCy or kg of another "
                    f"version?), this build {here_label}; install the same versions on every machine")

    def __enter__(self) -> "ClusterSession":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._held = []
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    @property
    def workers(self) -> int:
        return len(self.client.scheduler_info(n_workers=-1)["workers"])

    def partitions_for(self, cards: int) -> int:
        """How many partitions `cards` cards are split into."""
        if self.partitions is not None:
            return max(1, min(self.partitions, cards))
        wanted = max(PARTITIONS_PER_WORKER * self.workers, math.ceil(cards / PARTITION_CARDS))
        return max(1, min(wanted, cards))

    def model_loads(self) -> dict[str, int]:
        """{worker address: models its process loaded}: one each, however many partitions ran."""
        from kg.cluster.worker import model_loads

        return self.client.run(model_loads)

    def cards_extracted(self) -> dict[str, int]:
        """{worker address: cards it extracted} since its process started."""
        from kg.cluster.worker import cards_extracted

        return self.client.run(cards_extracted)

    def extract(self, cards: list[Card], *, curation=None,
                progress: Callable[[int], None] | None = None) -> Iterator[CardExtraction]:
        """The extractions of `cards`, as partitions finish (not in card order); `progress` is
        told how many cards are done.

        The workers keep each partition's cards and extractions, and the build's counting
        (`counting()`) starts from them: nothing extracted here is sent back to the cluster.
        """
        from distributed import as_completed

        from kg.cluster.worker import Batch, extract_partition, wire_records

        self._release_held()
        if not cards:
            return
        size = math.ceil(len(cards) / self.partitions_for(len(cards)))
        parts = [Batch(cards[i:i + size]) for i in range(0, len(cards), size)]
        held = [self.client.submit(extract_partition, part, self.model, curation, pure=False) for part in parts]
        wired = {self.client.submit(wire_records, h, pure=False): (h, [c.id for c in part])
                 for h, part in zip(held, parts)}
        done = 0
        kept = []
        try:
            for future in as_completed(wired):
                try:
                    records = future.result()
                except Exception as exc:  # the worker's own error, or a worker lost (KilledWorker)
                    raise ClusterError(f"--scheduler {self.address}: extraction failed on the cluster "
                                       f"({type(exc).__name__}: {_reason(exc)})") from None
                yield from records
                kept.append(wired[future])
                done += len(records)
                if progress is not None:
                    progress(done)
        finally:
            self.client.cancel(list(wired))
            if len(kept) == len(parts):
                self._held = kept
            else:
                self.client.cancel(held)

    def _release_held(self) -> None:
        if self._held:
            self.client.cancel([future for future, _ in self._held])
        self._held = []

    def counting(self, cards: int):
        """The counter `kg.graph.build_graph_and_state` sums `cards` cards with, on the cluster."""
        from kg.cluster.counting import ClusterCounting
        from kg.graph import LocalCounting

        if cards == 0:
            return LocalCounting()
        held, self._held = self._held, []
        return ClusterCounting(self.client, partitions=self.partitions_for(cards), held=held)


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."
