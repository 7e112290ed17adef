"""Evaluating many parameter sets, in chunks: in-process, on a local Dask cluster, or on an existing one.

Each parameter set is an ensemble of ``runs`` runs of the vectorised engine (``run(Inputs(...))``);
its seed is derived from the plan's seed and the set's row number alone (:func:`set_seed`), so a
chunk computes the same numbers whichever process, machine or chunk size it ran with. Chunks are
sent as they are; ``progress(done, total)`` hears each one finish.

Dask is optional (``pip install 'iockit[sweeps]'``) and imported only when ``workers`` or
``scheduler`` is given: ``workers=N`` starts a local cluster of N single-threaded worker processes
for the call; ``scheduler="tcp://HOST:8786"`` sends the chunks to a running scheduler (whose workers
need iockit installed), connecting within :data:`CONNECT_TIMEOUT` seconds or failing with one line.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import IockitError
from .inputs import Inputs
from .model import PHASES, Result, run

if TYPE_CHECKING:
    from ..theory import Theory

CONNECT_TIMEOUT = 5       # seconds to reach an existing scheduler
MAX_WORKERS = 256
MAX_CHUNK = 200           # parameter sets per chunk at most (about 6 s at 200 runs)


@dataclass(frozen=True)
class Task:
    """What every chunk needs, in plain picklable values: the fixed point, which contexts the columns
    of a chunk set, the outcomes, the month (0-based), runs and seed."""

    contexts: dict[str, Any]
    partners: int
    partner_overrides: tuple[dict[str, float], ...]
    initial: dict[str, float]
    months: int
    varied: tuple[str, ...]
    outcomes: tuple[str, ...]
    month: int
    runs: int
    seed: int
    theory: Theory | None = field(default=None, compare=False, repr=False)

    @classmethod
    def around(cls, base: Inputs, varied: Sequence[str], outcomes: Sequence[str], month: int, runs: int,
               seed: int) -> Task:
        """The task of varying ``varied`` around ``base``."""
        return cls(dict(base.contexts), base.partners, tuple(dict(o) for o in base.partner_overrides),
                   dict(base.initial), base.months, tuple(varied), tuple(outcomes), month, runs, seed, base.theory)

    def inputs(self, values: np.ndarray, row: int) -> Inputs:
        """The checked inputs of parameter set number ``row`` (its context ``values``)."""
        contexts = {**self.contexts, **{k: float(v) for k, v in zip(self.varied, values, strict=True)}}
        return Inputs(contexts, self.partners, self.partner_overrides, self.initial, self.months, self.runs,
                      set_seed(self.seed, row), self.theory)


def set_seed(seed: int, row: int) -> int:
    """The ensemble seed of parameter set number ``row``: the ``row``-th child of ``seed``'s SeedSequence."""
    return int(np.random.SeedSequence(seed, spawn_key=(row,)).generate_state(1, np.uint64)[0])


def outcome_values(result: Result, outcomes: Sequence[str], month: int) -> list[float]:
    """Each outcome's ensemble value at ``month`` (0-based), as ``Result.rows()`` reports it (unrounded)."""
    out = []
    for name in outcomes:
        if name == "active":
            out.append(result.active()[month])
        elif name.endswith("_active"):
            out.append(result.mean_active(name.removesuffix("_active"))[month])
        elif name.startswith("phase_"):
            out.append((result.phase[:, month] == PHASES.index(name.removeprefix("phase_"))).mean())
        else:
            out.append(result.series[name][:, month].mean())
    return [float(v) for v in out]


def evaluate_chunk(task: Task, start: int, x: np.ndarray) -> tuple[int, np.ndarray]:
    """Rows ``start ..`` of the design: one row of outcome values per parameter set."""
    y = np.array([outcome_values(run(task.inputs(values, start + i)), task.outcomes, task.month)
                  for i, values in enumerate(x)], dtype=float)
    return start, y.reshape(len(x), len(task.outcomes))


def chunks(n: int, chunk_size: int | None, workers: int = 1) -> list[tuple[int, int]]:
    """``(start, stop)`` of each chunk: by default about 20 chunks, or 4 per worker, at most MAX_CHUNK sets."""
    if chunk_size is None:
        chunk_size = min(MAX_CHUNK, max(1, math.ceil(n / max(20, 4 * workers))))
    elif isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise IockitError("chunk_size", chunk_size, "a whole number >= 1")
    return [(i, min(n, i + chunk_size)) for i in range(0, n, chunk_size)]


def evaluate(task: Task, x: np.ndarray, *, workers: int | None = None, scheduler: str | None = None,
             chunk_size: int | None = None, progress: Callable[[int, int], None] | None = None) -> np.ndarray:
    """The task's outcome values: one row per parameter set of ``x`` (columns: ``task.varied``), one
    column per outcome. Chunks: ``chunk_size`` sets each, by default about 4 per worker (at least 20)."""
    if workers is not None and scheduler is not None:
        raise IockitError("--workers", workers, "either --workers or --scheduler, not both")
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int)
                                or not 1 <= workers <= MAX_WORKERS):
        raise IockitError("--workers", workers, f"a whole number of local worker processes from 1 to {MAX_WORKERS}")
    y = np.empty((len(x), len(task.outcomes)))
    parts = chunks(len(x), chunk_size, workers or 1)
    report = progress or (lambda done, total: None)
    if workers is None and scheduler is None:
        report(0, len(parts))
        for k, (a, b) in enumerate(parts):
            _, y[a:b] = evaluate_chunk(task, a, x[a:b])
            report(k + 1, len(parts))
        return y
    with _client(workers, scheduler) as client:
        if scheduler is not None:  # cut the chunks for the cluster's size
            parts = chunks(len(x), chunk_size, len(client.scheduler_info().get("workers", {})) or 1)
        where = ("--workers", workers) if scheduler is None else ("--scheduler", scheduler)
        _on_dask(client, task, x, y, parts, report, where)
    return y


def _on_dask(client: Any, task: Task, x: np.ndarray, y: np.ndarray, parts: list[tuple[int, int]],
             report: Callable[[int, int], None], where: tuple[str, object]) -> None:
    """Send the chunks, fill ``y`` as they come back; a chunk that fails on a worker is one error."""
    from dask.distributed import as_completed

    shared = client.scatter(task, broadcast=True)
    report(0, len(parts))  # the cluster is up: the work starts
    futures = [client.submit(evaluate_chunk, shared, a, x[a:b], pure=False) for a, b in parts]
    try:
        for k, future in enumerate(as_completed(futures)):
            start, values = future.result()
            y[start:start + len(values)] = values
            report(k + 1, len(parts))
    except IockitError:
        raise
    except Exception as exc:
        raise IockitError(*where, "Dask workers with the same iockit installed (pip install 'iockit[sweeps]')",
                          f"a chunk failed on a worker: {type(exc).__name__}: {str(exc)[:160]}") from None


class _client:
    """A Dask client for the call: on a local cluster of ``workers`` processes, or on ``scheduler``."""

    def __init__(self, workers: int | None, scheduler: str | None) -> None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise IockitError("--workers" if workers else "--scheduler", workers or scheduler,
                              "an installation with the sweeps extra: pip install 'iockit[sweeps]'") from None
        self.cluster = None
        if scheduler is None:
            self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                        dashboard_address=":0", silence_logs=50)
            self.client = Client(self.cluster)
            return
        try:
            self.client = Client(str(scheduler), timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError, TypeError) as exc:
            raise IockitError("--scheduler", scheduler, "the address of a running Dask scheduler, e.g. "
                              "tcp://10.0.0.5:8786", f"could not connect within {CONNECT_TIMEOUT} s: "
                              f"{type(exc).__name__}") from None

    def __enter__(self) -> Any:
        return self.client

    def __exit__(self, *exc: object) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
