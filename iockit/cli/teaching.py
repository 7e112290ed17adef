"""Commands for teaching: ``dashboard``, ``link``, ``lessons``, ``answers``, ``handout``."""

from __future__ import annotations

import argparse
import sys

from .._format import render
from ..errors import IockitError
from .command import Command, format_option


def _dashboard_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--port", type=int, default=None, metavar="P", help="port to serve on (default 8866, or a free one)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser; print the address")
    p.add_argument("--data", metavar="DATAPACKAGE_DIR", default=None,
                   help="serve the dashboards with another copy of the theory data package (default: the one shipped)")
    p.add_argument("--log", metavar="FILE", default=None,
                   help="write the server's log to FILE (default: iockit-dashboard-PORT.log in the temporary directory)")


def _dashboard(args: argparse.Namespace) -> str:
    import os

    from ..serve import dashboard
    from ..theory import load_theory

    if args.data:
        load_theory(args.data)  # refuse a package that does not load, before serving anything
        os.environ["IOCKIT_DATA"] = os.path.abspath(args.data)  # the kernels inherit it
    code = dashboard(port=args.port, open_browser=not args.no_browser, log_path=args.log)
    return f"iockit dashboards stopped (Voila exit code {code})."


def _link_options(p: argparse.ArgumentParser) -> None:
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


def _link(args: argparse.Namespace) -> str:
    from ..contexts import parse_assignment
    from ..teach.addresses import DEFAULT_BASE, dashboard_url, link, link_warning
    from ..teach.statelink import state_from_settings

    state = state_from_settings(args.scenario, [parse_assignment(text) for text in args.set],
                                months=args.months, seed=args.seed, partners=args.partners)
    url = link(dashboard_url(args.dashboard, args.base or DEFAULT_BASE), state)
    warning = link_warning(url)
    if warning:
        print(f"iockit: warning: {warning}", file=sys.stderr)
    return url


def _lessons(args: argparse.Namespace) -> str:
    from ..teach.lessons import load_lessons

    rows = [{"order": ls.order, "key": ls.key, "title": ls.title,
             "notebook": f"lessons/{ls.order:02d}_{ls.key}.ipynb",
             "exercises": [e.kind for e in ls.exercises],
             "cmocs": list(dict.fromkeys(i for st in ls.steps for i in st.cmocs))} for ls in load_lessons()]
    if args.format == "table":
        return render(rows, "table", ["order", "key", "title", "notebook", "exercises"], {"title": 40})
    return render(rows, args.format)


def _answers_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", metavar="FILE", help="answer files (.csv) downloaded from the lessons")
    p.add_argument("--before-after", action="store_true",
                   help="questionnaire only: share right before and after the lessons, per question")
    format_option(p)


def _answers(args: argparse.Namespace) -> str:
    from ..teach.answers import before_after, read_files, summarise

    rows = read_files(args.files)
    if args.before_after:
        out = before_after(rows)
        if not out:
            raise IockitError("FILE", " ".join(args.files), "files with questionnaire answers (lesson 0)",
                              "none of these files holds questionnaire answers")
        return render(out, args.format)
    return render(summarise(rows), args.format)


def _handout_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("what", metavar="LESSON|figures",
                   help="a lesson (key or number, see `iockit lessons`) for its student worksheet, or 'figures' for "
                   "a one-page summary of the review's Fig. 3 and Fig. 4")
    p.add_argument("--format", choices=("markdown", "html"), default="markdown",
                   help="markdown (default) or a standalone HTML page that prints cleanly on A4")
    p.add_argument("--key", action="store_true", help="a worksheet with the lecturer's marking key filled in")


def _handout(args: argparse.Namespace) -> str:
    from ..teach.handouts import handout_text

    return handout_text(args.what, args.format, key=args.key).rstrip("\n")


DASHBOARD = Command(
    "dashboard", "open the dashboards in the browser (Voila, on 127.0.0.1)",
    "Serve the iockit dashboards with Voila on 127.0.0.1 and open the index in a browser. "
    "Kernels are preheated so a dashboard opens fast; a closed page's kernel stops at once, and one with no "
    "page for an hour is stopped. The server's log goes to a file (--log).",
    _dashboard_options, _dashboard)
LINK = Command(
    "link", "print a link that opens a dashboard with given settings",
    "Print the address of a dashboard (served by `iockit dashboard`) that opens with "
    "a preset, contexts, months and seed already set, to share with learners. Only what differs "
    "from the preset or the defaults goes into the link. A scenario FILE is written into the link "
    "value by value. Warns on stderr if the link is too long for some browsers and chat tools.",
    _link_options, _link)
LESSONS = Command(
    "lessons", "list the guided lessons and their exercises",
    "The guided lessons in order, with the notebook that runs each one as a "
    "dashboard (`iockit dashboard`), its exercises and the CMOCs it reveals.",
    format_option, _lessons)
ANSWERS = Command(
    "answers", "pool learners' answer files: who got what right, before and after",
    "Read answer files learners downloaded from the lessons (CSV) and summarise them "
    "per exercise item: learners, share right at the first try, share right in the end. With "
    "--before-after, compare the questionnaire answered before and after the lessons.",
    _answers_options, _answers)
HANDOUT = Command(
    "handout", "print a lesson's student worksheet, or a one-page summary of Fig. 3 and Fig. 4",
    "Write a printable handout generated from the data package and the lessons: the student "
    "worksheet of a lesson (its classify and CMOC-building sheets, predictions, discussion questions; "
    "--key adds the marking key), or 'figures', a one-page summary of the review's Fig. 3 and Fig. 4. "
    "Markdown, or HTML with --format html (save it and print from a browser).",
    _handout_options, _handout)
