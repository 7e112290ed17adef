"""The ``iockit`` command: argument parsing and error formatting only; every command calls the API.

Bad input gets one line on stderr naming the field, the value and what is allowed, and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from . import __version__
from ._format import FORMATS, render
from .errors import DataPackageError, IockitError


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line naming what is allowed, exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"iockit: error: {message} (see `{self.prog} --help`)\n")


def _fmt(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")


def _data(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", metavar="DATAPACKAGE_DIR", default=None,
                   help="use another copy of the theory data package (default: the one shipped)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="iockit",
        description="iockit: explore the realist theory of inter-organisational collaboration in "
        "healthcare (Aunger et al., Systematic Reviews 2021;10:82).",
    )
    parser.add_argument("--version", action="version", version=f"iockit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("cmocs", help="list the context-mechanism-outcome configurations, with their sources",
                       description="List CMOCs (Table 3 rows T3-NN and text CMOCs TX-NN) with links and reference numbers.")
    p.add_argument("--factor", metavar="KEY", help="only CMOCs naming this factor (see `iockit factors`)")
    _fmt(p)
    _data(p)
    p.set_defaults(run=_cmocs)

    p = sub.add_parser("factors", help="list the factors (contexts, mechanisms, outcomes)",
                       description="List the controlled vocabulary of factors, their roles and definitions.")
    _fmt(p)
    _data(p)
    p.set_defaults(run=_factors)

    p = sub.add_parser("paths", help="causal chains from a context to an outcome",
                       description="Every causal chain in the web from CONTEXT to OUTCOME, with the sign of each step.")
    p.add_argument("context", metavar="CONTEXT", help="factor key to start from, e.g. shared_vision")
    p.add_argument("outcome", metavar="OUTCOME", help="factor key to end at, e.g. dissolution")
    p.add_argument("--max-length", type=int, default=4, metavar="N", help="longest chain, in links (1-8, default 4)")
    _fmt(p)
    _data(p)
    p.set_defaults(run=_paths)

    p = sub.add_parser("loops", help="feedback loops in the causal web, reinforcing or balancing",
                       description="Every feedback loop, classified reinforcing/balancing from the link signs "
                       "(contested when a link is stated with both signs); the review's named loops first.")
    p.add_argument("--max-length", type=int, default=4, metavar="N", help="longest loop, in factors (2-8, default 4)")
    _fmt(p)
    _data(p)
    p.set_defaults(run=_loops)

    p = sub.add_parser("contested", help="links stated with opposite signs in different places",
                       description="Links the review states with opposite signs in different CMOCs, with both sources.")
    _fmt(p)
    _data(p)
    p.set_defaults(run=_contested)

    p = sub.add_parser("simulate", help="simulate collaborations: ensemble means by month",
                       description="Simulate RUNS collaborations month by month and print, for each month, the "
                       "ensemble mean of every state variable and the fraction of runs in each lifecycle phase.")
    _sim_options(p, runs=True)
    _fmt(p)
    p.set_defaults(run=_simulate)

    p = sub.add_parser("explain", help="one run told month by month, with the CMOCs that drove it",
                       description="Simulate one collaboration and tell what happened and why, month by month, "
                       "citing the CMOCs and the review's reference numbers.")
    _sim_options(p, runs=False)
    p.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table = plain text)")
    p.set_defaults(run=_explain)

    p = sub.add_parser("contexts", help="the simulator's contexts: meaning, range, default, CMOCs driven",
                       description="List every context key the simulator takes (--set KEY=VALUE), its meaning, "
                       "allowed range, default and the CMOC ids it drives.")
    _fmt(p)
    p.set_defaults(run=_contexts)

    p = sub.add_parser("scenarios", help="the scenario presets",
                       description="List the scenario presets (datasets/scenarios/*.yaml) with their sources.")
    _fmt(p)
    p.set_defaults(run=_scenarios)

    p = sub.add_parser("fidelity", help="check the simulator against the review, CMOC by CMOC",
                       description="For every CMOC the model encodes, move its context from low to high and check "
                       "that its mechanism and outcome move as the review states (ensemble means, fixed seed). "
                       "Exit code 1 if any check fails.")
    p.add_argument("--runs", type=int, default=200, help="runs per ensemble (default 200)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    _fmt(p)
    p.set_defaults(run=_fidelity)

    p = sub.add_parser("dashboard", help="open the dashboards in the browser (Voila, on 127.0.0.1)",
                       description="Serve the iockit dashboards with Voila on 127.0.0.1 and open the index in a browser. "
                       "Kernels are preheated so a dashboard opens fast, and culled after 30 idle minutes.")
    p.add_argument("--port", type=int, default=None, metavar="P", help="port to serve on (default 8866, or a free one)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser; print the address")
    p.set_defaults(run=_dashboard)

    p = sub.add_parser("link", help="print a link that opens a dashboard with given settings",
                       description="Print the address of a dashboard (served by `iockit dashboard`) that opens with "
                       "a preset, contexts, months and seed already set, to share with learners. Only what differs "
                       "from the preset or the defaults goes into the link. A scenario FILE is written into the link "
                       "value by value. Warns on stderr if the link is too long for some browsers and chat tools.")
    p.add_argument("--dashboard", default="loop", metavar="NAME",
                   help="dashboard to open (default loop): loop or synergy, the dashboards that read their "
                   "settings from a link")
    p.add_argument("--scenario", metavar="NAME|FILE.yaml", help="start from a preset (see `iockit scenarios`) or a YAML file")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="set a context (repeatable), e.g. --set shared_vision=0.8 (see `iockit contexts`); also "
                   "pN.KEY=VALUE for partner N's own value, initial.trust=VALUE, large=1")
    p.add_argument("--partners", type=int, default=None, metavar="N", help="number of partner organisations (2-12)")
    p.add_argument("--months", type=int, default=None, metavar="M", help="months to simulate (1-240)")
    p.add_argument("--seed", type=int, default=None, metavar="S", help="random seed (default 0)")
    p.add_argument("--base", default=None, metavar="URL",
                   help="address of the dashboard server (default http://127.0.0.1:8866, as `iockit dashboard`)")
    p.set_defaults(run=_link)

    p = sub.add_parser("lessons", help="list the guided lessons and their exercises",
                       description="The guided lessons in order, with the notebook that runs each one as a "
                       "dashboard (`iockit dashboard`), its exercises and the CMOCs it reveals.")
    _fmt(p)
    p.set_defaults(run=_lessons)

    p = sub.add_parser("answers", help="pool learners' answer files: who got what right, before and after",
                       description="Read answer files learners downloaded from the lessons (CSV) and summarise them "
                       "per exercise item: learners, share right at the first try, share right in the end. With "
                       "--before-after, compare the questionnaire answered before and after the lessons.")
    p.add_argument("files", nargs="+", metavar="FILE", help="answer files (.csv) downloaded from the lessons")
    p.add_argument("--before-after", action="store_true",
                   help="questionnaire only: share right before and after the lessons, per question")
    _fmt(p)
    p.set_defaults(run=_answers)

    p = sub.add_parser("validate", help="check a copy of the theory data package",
                       description="Check the data package against its schema and its cross-references; "
                       "one line per problem, exit code 2 if any.")
    p.add_argument("path", nargs="?", metavar="DATAPACKAGE_DIR", help="directory with datapackage.json (default: the shipped one)")
    p.set_defaults(run=_validate)
    return parser


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
    from .contexts import parse_assignment
    from .sim.scenarios import load_scenario

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


def _simulate(args: argparse.Namespace) -> str:
    from .sim import simulate

    kw = _sim_kwargs(args)
    rows = simulate(runs=args.runs, **kw).rows()
    if args.format == "table":
        short = {k: k for k in rows[0]}
        return render(rows, "table", list(short), fit=False)
    return render(rows, args.format)


def _explain(args: argparse.Namespace) -> str:
    from .sim.explain import explain

    lines = explain(**_sim_kwargs(args))
    if args.format == "table":
        return "\n".join(line.text for line in lines)
    return render([line.as_record() for line in lines], args.format)


def _contexts(args: argparse.Namespace) -> str:
    from .contexts import context_records

    rows = context_records()
    if args.format == "table":
        return render(rows, "table", ["key", "label", "group", "allowed", "default", "cmocs"],
                      {"allowed": 36, "cmocs": 30, "label": 22})
    return render(rows, args.format)


def _scenarios(args: argparse.Namespace) -> str:
    from .sim.scenarios import load_scenario, names

    rows = []
    for name in names():
        sc = load_scenario(name)
        rows.append({"name": name, "title": sc.title, "partners": sc.partners, "sources": list(sc.sources),
                     "description": sc.description})
    if args.format == "table":
        return render(rows, "table", ["name", "title", "partners", "sources", "description"], {"description": 50, "title": 24})
    return render(rows, args.format)


def _lessons(args: argparse.Namespace) -> str:
    from .teach.lessons import load_lessons

    rows = [{"order": ls.order, "key": ls.key, "title": ls.title,
             "notebook": f"lessons/{ls.order:02d}_{ls.key}.ipynb",
             "exercises": [e.kind for e in ls.exercises],
             "cmocs": list(dict.fromkeys(i for st in ls.steps for i in st.cmocs))} for ls in load_lessons()]
    if args.format == "table":
        return render(rows, "table", ["order", "key", "title", "notebook", "exercises"], {"title": 40})
    return render(rows, args.format)


def _answers(args: argparse.Namespace) -> str:
    from .teach.answers import before_after, read_files, summarise

    rows = read_files(args.files)
    if args.before_after:
        out = before_after(rows)
        if not out:
            raise IockitError("FILE", " ".join(args.files), "files with questionnaire answers (lesson 0)",
                              "none of these files holds questionnaire answers")
        return render(out, args.format)
    return render(summarise(rows), args.format)


def _fidelity(args: argparse.Namespace) -> str:
    from .errors import IockitError as _E
    from .sim.fidelity import fidelity

    if args.runs < 200:
        raise _E("runs", args.runs, "at least 200 runs per ensemble, so a check is not decided by noise")
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
        raise _FidelityFailed(out)
    return out


class _FidelityFailed(Exception):
    """Some fidelity check failed: the report is printed and the exit code is 1."""


def _link(args: argparse.Namespace) -> str:
    from urllib.parse import parse_qsl, urlencode

    from .contexts import parse_assignment
    from .lookup import normalise_key
    from .sim.scenarios import load_scenario
    from .teach import statelink as share

    given: list[tuple[str, str]] = [(k, str(v)) for k, v in (("months", args.months), ("seed", args.seed),
                                                            ("partners", args.partners)) if v is not None]
    given += [parse_assignment(text) for text in args.set]
    base: list[tuple[str, str]] = []
    if args.scenario:
        text = str(args.scenario)
        if text.endswith((".yaml", ".yml")) or "/" in text or "\\" in text:
            # a file cannot travel in a link: write its values into the link instead
            state = share.State.from_scenario(load_scenario(text))
            base = parse_qsl(share.to_query(state), keep_blank_values=True)
        else:
            base = [("scenario", text)]
    mine = {normalise_key(k) for k, _ in given}
    pairs = [(k, v) for k, v in base if normalise_key(k) not in mine] + given
    state = share.from_query(urlencode(pairs))
    url = share.link(share.dashboard_url(args.dashboard, args.base or share.DEFAULT_BASE), state)
    warning = share.link_warning(url)
    if warning:
        print(f"iockit: warning: {warning}", file=sys.stderr)
    return url


def _dashboard(args: argparse.Namespace) -> str:
    from .serve import dashboard

    code = dashboard(port=args.port, open_browser=not args.no_browser)
    return f"iockit dashboards stopped (Voila exit code {code})."


def _theory(args: argparse.Namespace):
    from .theory import load_theory

    return load_theory(args.data)


def _cmocs(args: argparse.Namespace) -> str:
    theory = _theory(args)
    items = theory.cmocs_for(args.factor) if args.factor else list(theory.cmocs.values())
    rows = [c.as_record() for c in items]
    if args.format == "table":
        for r, c in zip(rows, items, strict=False):
            r["sources"] = f"{c.cites()}; {c.provenance}"
        out = render(rows, "table", ["id", "context", "mechanism", "outcome", "links", "sources"],
                     {"links": 30, "sources": 28})
        return out + f"\n\n{len(rows)} CMOC(s). Source: Aunger et al., Syst Rev 2021;10:82; [N] = the review's reference numbers."
    return render(rows, args.format)


def _factors(args: argparse.Namespace) -> str:
    rows = [f.as_record() for f in _theory(args).factors.values()]
    if args.format == "table":
        return render(rows, "table", ["key", "label", "category", "roles", "definition", "references"],
                      {"definition": 60})
    return render(rows, args.format)


def _paths(args: argparse.Namespace) -> str:
    from .web import build_web, chains

    theory = _theory(args)
    found = chains(build_web(theory), args.context, args.outcome, args.max_length, theory)
    rows = [c.as_record() for c in found]
    if args.format == "table":
        note = "\n\neffect: + more of the context gives more of the outcome along this chain; - less; contested: a step is stated with both signs."
        return render(rows, "table", ["chain", "effect", "cmocs"], {"cmocs": 40}) + (note if rows else "")
    return render(rows, args.format)


def _loops(args: argparse.Namespace) -> str:
    from .web import build_web, feedback_loops

    theory = _theory(args)
    rows = [lp.as_record() for lp in feedback_loops(build_web(theory), args.max_length, theory)]
    if args.format == "table":
        return render(rows, "table", ["name", "loop", "polarity", "cmocs"], {"cmocs": 40, "name": 24}) + (
            f"\n\n{len(rows)} loop(s) of at most {args.max_length} factors. Reinforcing: an even number of "
            "negative links (a virtuous or vicious circle); balancing: odd; contested: a link is stated with both signs.")
    return render(rows, args.format)


def _contested(args: argparse.Namespace) -> str:
    from .web import build_web, contested_links

    theory = _theory(args)
    found = contested_links(build_web(theory))
    if args.format != "table":
        return render([r.as_record() for r in found], args.format)
    rows = []
    for rel in found:
        for sign, ids in (("+", rel.positive), ("-", rel.negative)):
            for cid in ids:
                c = theory.cmocs[cid]
                rows.append({"link": f"{rel.source} -> {rel.target}", "sign": sign, "cmoc": cid,
                             "statement": f"{c.context} -> {c.mechanism} -> {c.outcome}",
                             "sources": f"{c.cites()}; {c.provenance}"})
    return render(rows, "table", ["link", "sign", "cmoc", "statement", "sources"], {"statement": 50, "sources": 30})


def _validate(args: argparse.Namespace) -> str:
    from ._data import resolve_package_dir
    from .validate import check

    base = check(args.path)
    return f"ok: {resolve_package_dir(base) / 'datapackage.json'} is valid (schema and cross-references)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace], str] | None = getattr(args, "run", None)
    if run is None:
        parser.print_help()
        return 0
    try:
        print(run(args))
    except DataPackageError as exc:
        for problem in exc.problems:
            print(f"iockit: {problem}", file=sys.stderr)
        print(f"iockit: {len(exc.problems)} problem(s) found", file=sys.stderr)
        return 2
    except IockitError as exc:
        print(f"iockit: error: {exc.message}", file=sys.stderr)
        return 2
    except _FidelityFailed as exc:
        print(exc)
        return 1
    except BrokenPipeError:  # `iockit cmocs | head`
        return 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
