"""The ``iockit`` command's plumbing: the parser built from the command table, and error formatting.

Bad input gets one line on stderr naming the field, the value and what is allowed, and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from .. import __version__
from ..errors import DataPackageError, IockitError
from . import analysis, queries, simulation, teaching
from .command import Command, CommandFailed

#: Every command, in the order ``iockit --help`` lists them.
COMMANDS: tuple[Command, ...] = (
    queries.CMOCS, queries.FACTORS, queries.PATHS, queries.LOOPS, queries.CONTESTED,
    simulation.SIMULATE, simulation.SWEEP, simulation.EXPLAIN, simulation.CONTEXTS, simulation.SCENARIOS, simulation.FIDELITY,
    analysis.SENSITIVITY,
    teaching.DASHBOARD, teaching.LINK, teaching.LESSONS, teaching.ANSWERS, teaching.HANDOUT,
    queries.VALIDATE,
)


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line naming what is allowed, exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"iockit: error: {message} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="iockit",
        description="iockit: explore the realist theory of inter-organisational collaboration in "
        "healthcare (Aunger et al., Systematic Reviews 2021;10:82).",
    )
    parser.add_argument("--version", action="version", version=f"iockit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for command in COMMANDS:
        p = sub.add_parser(command.name, help=command.help, description=command.description)
        command.options(p)
        p.set_defaults(run=command.run)
    return parser


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
    except CommandFailed as exc:
        print(exc)
        return 1
    except BrokenPipeError:  # `iockit cmocs | head`
        return 0
    return 0
