"""``iockit sensitivity``: which contexts matter most (global sensitivity analysis, SALib; Dask optional)."""

from __future__ import annotations

import argparse
import sys

from .._format import render
from .command import Command, format_option


def _options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--method", default="morris", metavar="morris|sobol",
                   help="morris: elementary effects, a screening (default); sobol: variance-based indices")
    p.add_argument("--outcome", default="dissolved", metavar="COLUMN",
                   help="an output column of `iockit simulate`, e.g. dissolved, trust, synergy_active (default dissolved)")
    p.add_argument("--month", type=int, default=None, metavar="M", help="the month the outcome is read at (default the last)")
    p.add_argument("--samples", type=int, default=None, metavar="N",
                   help="Morris: trajectories (default 20); Sobol: base sample, a power of two (default 256)")
    p.add_argument("--runs", type=int, default=200, metavar="R", help="runs in the ensemble of each parameter set (default 200)")
    p.add_argument("--scenario", metavar="NAME|FILE.yaml", help="the fixed point: a preset (see `iockit scenarios`) or a YAML file")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="hold a context at a value (repeatable); the other numeric contexts vary over their range")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="random seed of the sample and the ensembles (default 0)")
    format_option(p)
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="evaluate on a local Dask cluster of N worker processes (needs iockit[sweeps])")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="evaluate on a running Dask cluster, e.g. tcp://10.0.0.5:8786 (needs iockit[sweeps])")
    p.add_argument("--second-order", action="store_true", help="Sobol only: add the second-order index of every pair")


def _base(args: argparse.Namespace):
    """The fixed point (a scenario, then --set) and the contexts --set holds."""
    from ..contexts import parse_assignment
    from ..sim.inputs import Inputs, check_contexts
    from ..sim.scenarios import load_scenario
    from ..theory import load_theory

    theory = load_theory()
    settings = check_contexts([parse_assignment(text) for text in args.set], theory)
    base = Inputs(theory=theory)
    if args.scenario is not None:
        sc = load_scenario(args.scenario)
        base = Inputs(sc.contexts, sc.partners, sc.partner_overrides, sc.initial, sc.months or 36, theory=theory)
    return base.replace(contexts=settings, runs=args.runs, seed=args.seed), list(settings)


class _Bar:
    """Chunks done, as a text bar on stderr (redrawn in place on a terminal, a line per 10% otherwise)."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        tenth = 10 * done // max(total, 1)
        if not self.tty and (tenth == self.shown or done == 0):
            return
        self.shown = tenth
        bar = "#" * (30 * done // max(total, 1))
        end = "\n" if done == total or not self.tty else ""
        print(f"{chr(13) if self.tty else ''}sensitivity: [{bar:<30}] {done}/{total} chunks", end=end,
              file=sys.stderr, flush=True)


def _run(args: argparse.Namespace) -> str:
    from ..sim.sensitivity import COLUMNS, Plan, check_outcome, sensitivity

    outcome = check_outcome(args.outcome)
    plan = Plan(args.method, args.samples, args.runs, args.seed, args.month, args.second_order)
    base, held = _base(args)
    where = {"workers": args.workers, "scheduler": args.scheduler}
    report = sensitivity(base, plan, outcome, held, where=where, progress=_Bar())
    if report.undefined:
        print(f"iockit: note: at month {report.month}, {report.undefined} of {report.sets} parameter sets had no "
              f"collaboration still active; their {outcome} counts as 0", file=sys.stderr)
    if report.constant:
        print(f"iockit: note: {outcome} at month {report.month} was the same in all {report.sets} parameter sets: "
              "no context moves it there, so there is nothing to rank", file=sys.stderr)
    rows, columns = report.rows(), list(report.columns())
    if args.format != "table":
        return render(rows, args.format, columns)
    main = [r for r in rows if r.get("other") is None]
    text = render(main, "table", list(COLUMNS[plan.method]))
    if report.pairs:
        text += "\n\nsecond-order pairs\n" + render(rows[len(main):], "table", ["context", "other", "S2", "S2_conf"])
    return text


SENSITIVITY = Command(
    "sensitivity", "which contexts matter most: Morris or Sobol indices of an outcome",
    "Vary every numeric context over its range in contexts.csv (except those held with --set and the "
    "entry point) around a fixed point (the defaults or --scenario), run an ensemble of R runs for each "
    "parameter set and print, per context, Morris' mu_star, its confidence and sigma, or Sobol's S1 and ST "
    "with their confidence. Sampling and analysis: SALib; evaluation in chunks, in-process or on Dask "
    "(--workers, --scheduler). Needs iockit[sweeps].",
    _options, _run)
