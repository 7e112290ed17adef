"""Commands that run the simulator: ``simulate``, ``explain``, ``contexts``, ``scenarios``, ``fidelity``."""

from __future__ import annotations

import argparse

from .._format import render
from ..errors import IockitError
from .command import Command, CommandFailed, format_option


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


def _sim_kwargs(args: argparse.Namespace) -> dict:
    from ..contexts import parse_assignment
    from ..sim.scenarios import load_scenario

    kw: dict = {"contexts": {}, "partners": 2, "months": 36}
    if args.scenario:
        kw.update(load_scenario(args.scenario).simulate_kwargs())
    for text in args.set:
        key, value = parse_assignment(text)
        kw["contexts"][key] = value
    if args.partners is not None:
        kw["partners"] = args.partners
        if kw.get("partner_overrides") and len(kw["partner_overrides"]) != args.partners:
            kw.pop("partner_overrides")  # the scenario's per-partner sizes no longer fit
    if args.months is not None:
        kw["months"] = args.months
    kw["seed"] = args.seed
    return kw


def _simulate_options(p: argparse.ArgumentParser) -> None:
    _sim_options(p, runs=True)
    format_option(p)


def _simulate(args: argparse.Namespace) -> str:
    from ..sim import simulate

    kw = _sim_kwargs(args)
    rows = simulate(runs=args.runs, **kw).rows()
    if args.format == "table":
        short = {k: k for k in rows[0]}
        return render(rows, "table", list(short), fit=False)
    return render(rows, args.format)


def _explain_options(p: argparse.ArgumentParser) -> None:
    _sim_options(p, runs=False)
    format_option(p, "output format (default: table = plain text)")


def _explain(args: argparse.Namespace) -> str:
    from ..sim.explain import explain

    lines = explain(**_sim_kwargs(args))
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
