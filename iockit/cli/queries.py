"""Commands that query the theory: ``cmocs``, ``factors``, ``paths``, ``loops``, ``contested``, ``validate``."""

from __future__ import annotations

import argparse

from .._format import render
from .command import Command, table_and_data


def _theory(args: argparse.Namespace):
    from ..theory import load_theory

    return load_theory(args.data)


def _cmocs_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--factor", metavar="KEY", help="only CMOCs naming this factor (see `iockit factors`)")
    table_and_data(p)


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


def _paths_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("context", metavar="CONTEXT", help="factor key to start from, e.g. shared_vision")
    p.add_argument("outcome", metavar="OUTCOME", help="factor key to end at, e.g. dissolution")
    p.add_argument("--max-length", type=int, default=4, metavar="N", help="longest chain, in links (1-8, default 4)")
    table_and_data(p)


def _paths(args: argparse.Namespace) -> str:
    from ..web import build_web, chains

    theory = _theory(args)
    found = chains(build_web(theory), args.context, args.outcome, args.max_length, theory)
    rows = [c.as_record() for c in found]
    if args.format == "table":
        note = "\n\neffect: + more of the context gives more of the outcome along this chain; - less; contested: a step is stated with both signs."
        return render(rows, "table", ["chain", "effect", "cmocs"], {"cmocs": 40}) + (note if rows else "")
    return render(rows, args.format)


def _loops_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--max-length", type=int, default=4, metavar="N", help="longest loop, in factors (2-8, default 4)")
    table_and_data(p)


def _loops(args: argparse.Namespace) -> str:
    from ..web import build_web, feedback_loops

    theory = _theory(args)
    rows = [lp.as_record() for lp in feedback_loops(build_web(theory), args.max_length, theory)]
    if args.format == "table":
        return render(rows, "table", ["name", "loop", "polarity", "cmocs"], {"cmocs": 40, "name": 24}) + (
            f"\n\n{len(rows)} loop(s) of at most {args.max_length} factors. Reinforcing: an even number of "
            "negative links (a virtuous or vicious circle); balancing: odd; contested: a link is stated with both signs.")
    return render(rows, args.format)


def _contested(args: argparse.Namespace) -> str:
    from ..web import build_web, contested_links

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


def _validate_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", nargs="?", metavar="DATAPACKAGE_DIR", help="directory with datapackage.json (default: the shipped one)")


def _validate(args: argparse.Namespace) -> str:
    from .._data import resolve_package_dir
    from ..validate import check

    base = check(args.path)
    return f"ok: {resolve_package_dir(base) / 'datapackage.json'} is valid (schema and cross-references)"


CMOCS = Command(
    "cmocs", "list the context-mechanism-outcome configurations, with their sources",
    "List CMOCs (Table 3 rows T3-NN and text CMOCs TX-NN) with links and reference numbers.",
    _cmocs_options, _cmocs)
FACTORS = Command(
    "factors", "list the factors (contexts, mechanisms, outcomes)",
    "List the controlled vocabulary of factors, their roles and definitions.",
    table_and_data, _factors)
PATHS = Command(
    "paths", "causal chains from a context to an outcome",
    "Every causal chain in the web from CONTEXT to OUTCOME, with the sign of each step.",
    _paths_options, _paths)
LOOPS = Command(
    "loops", "feedback loops in the causal web, reinforcing or balancing",
    "Every feedback loop, classified reinforcing/balancing from the link signs "
    "(contested when a link is stated with both signs); the review's named loops first.",
    _loops_options, _loops)
CONTESTED = Command(
    "contested", "links stated with opposite signs in different places",
    "Links the review states with opposite signs in different CMOCs, with both sources.",
    table_and_data, _contested)
VALIDATE = Command(
    "validate", "check a copy of the theory data package",
    "Check the data package against its schema and its cross-references; "
    "one line per problem, exit code 2 if any.",
    _validate_options, _validate)
