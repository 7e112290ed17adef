"""Write the sensitivity results shipped for the dashboard "Which contexts matter most?".

For the defaults and every preset scenario: Morris (20 trajectories) and Sobol (N = 32, first and
total order) over every numeric context's range, each parameter set an ensemble of 100 runs, for the
outcomes in ``iockit.sim.sensitivity.SHIPPED_OUTCOMES`` (one evaluation serves them all), read at
the last month. Written to ``iockit/_sensitivity/<name>.json`` with a check point (a small ensemble
at the fixed point) that ``tests/unit/test_sensitivity.py`` compares with the current model: when the
model changes (a re-calibration), that test fails until this script is run again.

Small on purpose: about 7,400 parameter sets; measured: 5 minutes in one process on a 2-core machine
busy with other jobs (``--workers 2`` spreads it over two local processes when the cores are free).
The numbers are the same either way. Usage:

    python scripts/make_sensitivity.py [--workers 2] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from iockit.sim import Inputs
from iockit.sim.scenarios import load_scenario, names
from iockit.sim.sensitivity import PRECOMPUTED, SHIPPED_OUTCOMES, Plan, check_point, sensitivity_many

OUT = Path(__file__).resolve().parent.parent / "iockit" / PRECOMPUTED
PLANS = {"morris": Plan("morris", samples=20, runs=100, seed=0), "sobol": Plan("sobol", samples=32, runs=100, seed=0)}


def fixed_point(name: str) -> tuple[str, Inputs]:
    if name == "defaults":
        return "A typical collaboration (the defaults)", Inputs()
    sc = load_scenario(name)
    return sc.title, sc.inputs()


def make(name: str, workers: int | None) -> dict:
    title, base = fixed_point(name)
    results = {}
    for method, plan in PLANS.items():
        t = time.perf_counter()
        reports = sensitivity_many(base, plan, SHIPPED_OUTCOMES, where={"workers": workers})
        results[method] = {o: r.as_dict() for o, r in reports.items()}
        sets = next(iter(reports.values())).sets
        print(f"{name}: {method}, {sets} parameter sets, {time.perf_counter() - t:.0f} s", file=sys.stderr)
    return {"scenario": name, "title": title, "check": check_point(base), "results": results}


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--workers", type=int, default=None, help="local Dask worker processes (default: in-process)")
    p.add_argument("--only", nargs="*", default=None, metavar="NAME", help="only these (defaults or preset names)")
    args = p.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    start = time.perf_counter()
    for name in args.only or ["defaults", *names()]:
        data = make(name, args.workers)
        (OUT / f"{name}.json").write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"done in {time.perf_counter() - start:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
