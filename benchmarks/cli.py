"""Whole-process figures for the command line (issue 15), printed for docs/benchmarks.md.

Run: .venv/bin/python benchmarks/cli.py
- peak memory of `iockit simulate --runs 100000 --months 240 --partners 12` (target: under 300 MB);
- wall time of `iockit simulate --runs 20000` against `--runs 1` (target: at most 3 times);
- wall time of `iockit validate` against `frictionless validate` on the shipped package (target: at most 1.2 times).
Medians of several runs; nothing here is asserted (machines are noisy).
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent


def measure(cmd: list[str], repeat: int) -> tuple[float, float]:
    """Median wall seconds and the largest peak resident memory (MB) of ``cmd``."""
    walls, peaks = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
        walls.append(time.perf_counter() - start)
        peaks.append(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    return statistics.median(walls), max(peaks)


def main() -> None:
    iockit, frictionless = str(BIN / "iockit"), str(BIN / "frictionless")
    wall, peak = measure([iockit, "simulate", "--runs", "100000", "--months", "240", "--partners", "12",
                          "--format", "csv"], 1)
    print(f"simulate --runs 100000 --months 240 --partners 12: {wall:.1f} s, peak {peak:.0f} MB (children so far)")
    big, _ = measure([iockit, "simulate", "--runs", "20000", "--format", "csv"], 5)
    one, _ = measure([iockit, "simulate", "--runs", "1", "--format", "csv"], 5)
    print(f"simulate --runs 20000: {big:.2f} s; --runs 1: {one:.2f} s; ratio {big / one:.2f} (target <= 3)")
    ours, _ = measure([iockit, "validate", "datasets"], 5)
    theirs, _ = measure([frictionless, "validate", "datasets/datapackage.json"], 5)
    print(f"iockit validate: {ours:.2f} s; frictionless validate: {theirs:.2f} s; ratio {ours / theirs:.2f} (target <= 1.2)")


if __name__ == "__main__":
    main()
