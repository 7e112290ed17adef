"""Commands that run the simulator: ``simulate``, ``explain``, ``contexts``, ``scenarios``, ``fidelity``."""

from __future__ import annotations

import argparse

from .._format import render
from ..errors import IockitError
from ..sim.inputs import Inputs
from .command import Command, CommandFailed, data_option, format_option


def _sim_options(p: argparse.ArgumentParser, runs: bool) -> None:
    p.add_argument("--scenario", metavar="NAME|FILE.yaml", help="start from a preset (see `iockit scenarios`) or a YAML file")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="set a context (repeatable), e.g. --set shared_vision=0.8 (see `iockit contexts`)")
    p.add_argument("--partners", type=int, default=None, metavar="N", help="number of partner organisations (2-12; default 2 or the scenario's)")
    p.add_argument("--months", type=int, default=None, metavar="M", help="months to simulate (1-240; default 36 or the scenario's)")
    if runs:
        p.add_argument("--runs", type=int, default=200, metavar="R", help="runs in the ensemble (1-100000; default 200)")
    else:
        p.add_argument("--runs", type=int, default=1, choices=[1], metavar="R", help=argparse.SUPPRESS)
    p.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    data_option(p)


def sim_inputs(args: argparse.Namespace) -> Inputs:
    """The checked inputs the options describe: a scenario, then --set (each context once), --partners,
    --months, --runs, --seed; against the data package of --data, if given."""
    from ..contexts import parse_assignment
    from ..sim.inputs import check_contexts
    from ..sim.scenarios import load_scenario
    from ..theory import load_theory

    theory = load_theory(args.data) if getattr(args, "data", None) else load_theory()
    settings = check_contexts([parse_assignment(text) for text in args.set], theory)  # a context twice: refused
    base = Inputs(theory=theory)
    if args.scenario is not None:
        sc = load_scenario(args.scenario)
        base = Inputs(sc.contexts, sc.partners, sc.partner_overrides, sc.initial, sc.months or 36, theory=theory)
    changes: dict = {"contexts": settings, "runs": args.runs, "seed": args.seed}
    if args.partners is not None:
        changes["partners"] = args.partners
        if base.partner_overrides and len(base.partner_overrides) != args.partners:
            changes["partner_overrides"] = ()  # the scenario's per-partner values no longer fit
    if args.months is not None:
        changes["months"] = args.months
    return base.replace(**changes)


def _simulate_options(p: argparse.ArgumentParser) -> None:
    _sim_options(p, runs=True)
    format_option(p)


def _simulate(args: argparse.Namespace) -> str:
    from ..sim.model import run

    rows = run(sim_inputs(args)).rows()
    if args.format == "table":
        short = {k: k for k in rows[0]}
        return render(rows, "table", list(short), fit=False)
    return render(rows, args.format)


def _explain_options(p: argparse.ArgumentParser) -> None:
    _sim_options(p, runs=False)
    format_option(p, "output format (default: table = plain text)")


def _explain(args: argparse.Namespace) -> str:
    from ..sim.explain import narrate
    from ..sim.model import run

    lines = narrate(run(sim_inputs(args)))
    if args.format == "table":
        return "\n".join(line.text for line in lines)
    return render([line.as_record() for line in lines], args.format)


def _contexts(args: argparse.Namespace) -> str:
    from ..contexts import context_records

    rows = context_records()
    if args.format == "table":
        return render(rows, "table", ["key", "label", "group", "allowed", "default", "cmocs"],
                      {"allowed": 36, "cmocs": 30, "label": 22})
    return render(rows, args.format)


def _scenarios(args: argparse.Namespace) -> str:
    from ..sim.scenarios import load_scenario, names

    rows = []
    for name in names():
        sc = load_scenario(name)
        rows.append({"name": name, "title": sc.title, "partners": sc.partners, "sources": list(sc.sources),
                     "description": sc.description})
    if args.format == "table":
        return render(rows, "table", ["name", "title", "partners", "sources", "description"], {"description": 50, "title": 24})
    return render(rows, args.format)


def _fidelity_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--runs", type=int, default=200, help="runs per ensemble (default 200)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    format_option(p)


def _fidelity(args: argparse.Namespace) -> str:
    from ..sim.fidelity import fidelity

    if args.runs < 200:
        raise IockitError("runs", args.runs, "at least 200 runs per ensemble, so a check is not decided by noise")
    report = fidelity(runs=args.runs, seed=args.seed)
    rows = [c.as_record() for c in report.checks]
    if args.format != "table":
        out = render(rows, args.format)
    else:
        head = (f"Table 3 rows encoded by the model: {report.table3_encoded} of {report.table3_total} "
                f"({report.coverage:.0%}); checks passed: {sum(c.passed for c in report.checks)} of {len(report.checks)}.")
        missing = "\n".join(f"not encoded: {e.cmoc}: {e.note}" for e in report.not_encoded)
        out = head + "\n" + missing + "\n\n" + render(rows, "table", ["cmoc", "terms", "move", "mechanism", "outcome", "result"],
                                                       {"move": 34, "terms": 12})
    if not report.all_passed:
        raise CommandFailed(out)
    return out


SIMULATE = Command(
    "simulate", "simulate collaborations: ensemble means by month",
    "Simulate RUNS collaborations month by month and print, for each month, the "
    "ensemble mean of every state variable and the fraction of runs in each lifecycle phase.",
    _simulate_options, _simulate)
EXPLAIN = Command(
    "explain", "one run told month by month, with the CMOCs that drove it",
    "Simulate one collaboration and tell what happened and why, month by month, "
    "citing the CMOCs and the review's reference numbers.",
    _explain_options, _explain)
CONTEXTS = Command(
    "contexts", "the simulator's contexts: meaning, range, default, CMOCs driven",
    "List every context key the simulator takes (--set KEY=VALUE), its meaning, "
    "allowed range, default and the CMOC ids it drives.",
    format_option, _contexts)
SCENARIOS = Command(
    "scenarios", "the scenario presets",
    "List the scenario presets (datasets/scenarios/*.yaml) with their sources.",
    format_option, _scenarios)
FIDELITY = Command(
    "fidelity", "check the simulator against the review, CMOC by CMOC",
    "For every CMOC the model encodes, move its context from low to high and check "
    "that its mechanism and outcome move as the review states (ensemble means, fixed seed). "
    "Exit code 1 if any check fails.",
    _fidelity_options, _fidelity)
