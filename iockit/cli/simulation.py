"""Commands that run the simulator: ``simulate``, ``sweep``, ``explain``, ``contexts``, ``scenarios``,
``fidelity``."""

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
    from ..sim.model import summarise

    rows = summarise(sim_inputs(args)).rows()  # means only: memory does not grow with runs x months
    if args.format == "table":
        short = {k: k for k in rows[0]}
        return render(rows, "table", list(short), fit=False)
    return render(rows, args.format)


def _sweep_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("key", metavar="KEY", help="the context to sweep over its range, e.g. ambition (see `iockit contexts`)")
    p.add_argument("--steps", type=int, default=11, metavar="N",
                   help="values from the lowest to the highest (2-101; default 11; every choice for entry_point)")
    p.add_argument("--month", type=int, default=None, metavar="M", help="month to read (default: the last)")
    _sim_options(p, runs=True)
    format_option(p)


def _sweep(args: argparse.Namespace) -> str:
    from ..sim.sweep import COLUMNS, context_key, sweep_inputs

    inputs = sim_inputs(args)
    key = context_key(args.key, inputs.theory)
    rows = [{k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}
            for row in sweep_inputs(key, inputs, args.steps, args.month)]
    return render(rows, args.format, [key, *COLUMNS], fit=False)


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
    p.add_argument("--runs", type=int, default=200, help="runs per ensemble of the CMOC checks (default 200)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--report", action="store_true",
                   help="print only the calibration report: every pattern with its quote, target and measured values")
    format_option(p)


def _fidelity(args: argparse.Namespace) -> str:
    from ..sim.fidelity import fidelity
    from ..sim.patterns import measured

    if args.runs < 200:
        raise IockitError("runs", args.runs, "at least 200 runs per ensemble, so a check is not decided by noise")
    outcomes = measured(args.seed)
    if args.report:
        out = _pattern_report(outcomes, args.format)
        if not all(o.passed for o in outcomes):
            raise CommandFailed(out)
        return out
    report = fidelity(runs=args.runs, seed=args.seed)
    rows = [c.as_record() for c in report.checks]
    if args.format != "table":
        out = render([{"section": "cmoc", **r} for r in rows]
                     + [{"section": "pattern", **o.as_record()} for o in outcomes], args.format)
    else:
        head = (f"Table 3 rows encoded by the model: {report.table3_encoded} of {report.table3_total} "
                f"({report.coverage:.0%}); checks passed: {sum(c.passed for c in report.checks)} of {len(report.checks)}.")
        missing = "\n".join(f"not encoded: {e.cmoc}: {e.note}" for e in report.not_encoded)
        out = head + "\n" + missing + "\n\n" + render(rows, "table", ["cmoc", "terms", "move", "mechanism", "outcome", "result"],
                                                       {"move": 34, "terms": 12})
        out += "\n\n" + _pattern_table(outcomes)
    if not (report.all_passed and all(o.passed for o in outcomes)):
        raise CommandFailed(out)
    return out


def _pattern_head(outcomes: tuple) -> str:
    from ..sim.patterns import settings

    s = settings()
    return (f"Patterns the model must reproduce (seed {outcomes[0].seed}, {s['runs']:,} runs, {s['months']} months; "
            f"targets are teaching targets, the review gives no rates): {sum(o.passed for o in outcomes)} of "
            f"{len(outcomes)} hold. Lines are lines of the review's full text.")


def _pattern_table(outcomes: tuple) -> str:
    rows = [o.as_record() for o in outcomes]
    return _pattern_head(outcomes) + "\n\n" + render(
        rows, "table", ["pattern", "title", "quote", "lines", "target", "measured", "result"],
        {"title": 18, "quote": 36, "target": 36, "measured": 36, "lines": 9})


def _pattern_report(outcomes: tuple, fmt: str) -> str:
    if fmt != "table":
        return render([{**o.as_record(), "quotes": [f"line {q.line}: {q.text}" for q in o.pattern.quotes],
                        "values": {c.name: c.value for c in o.criteria}} for o in outcomes], fmt)
    parts = [_pattern_head(outcomes)]
    for o in outcomes:
        p = o.pattern
        lines = [f"{p.id}. {p.title}: {'pass' if o.passed else 'FAIL'}"]
        lines += [f"   line {q.line}: \u201c{q.text}\u201d" for q in p.quotes]
        lines.append(f"   target: {p.target}")
        lines += [f"   {'ok  ' if c.ok else 'FAIL'} {c.name}: {o.show(c.value)}" for c in o.criteria]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


SIMULATE = Command(
    "simulate", "simulate collaborations: ensemble means by month",
    "Simulate RUNS collaborations month by month and print, for each month, the "
    "ensemble mean of every state variable and the fraction of runs in each lifecycle phase.",
    _simulate_options, _simulate)
SWEEP = Command(
    "sweep", "move one context over its range: what a class would see at one month",
    "Sweep one context KEY from its lowest to its highest value, everything else as given (defaults, "
    "--scenario, --set), and print for each value, at month M (default the last): mean trust, confidence "
    "and conflict, the synergy and inertia of the runs still active (blank when none is), and the shares "
    "active and dissolved. Every value runs with the same seed.",
    _sweep_options, _sweep)
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
    "fidelity", "check the simulator against the review, CMOC by CMOC and pattern by pattern",
    "For every CMOC the model encodes, move its context from low to high and check "
    "that its mechanism and outcome move as the review states (ensemble means, fixed seed); then measure "
    "the patterns the model must reproduce, each tied to a quote of the review (1,000 runs, 36 months). "
    "Exit code 1 if any check or pattern fails.",
    _fidelity_options, _fidelity)
