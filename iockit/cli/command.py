"""What every command module shares: the table row that declares a command, and the common options."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass

from .._format import FORMATS


@dataclass(frozen=True)
class Command:
    """One row of the command table: ``iockit NAME`` with its help, its options and what it runs.

    ``run`` takes the parsed arguments and returns the text to print; bad input raises
    :class:`~iockit.errors.IockitError`, which :func:`iockit.cli.main` turns into one line and exit code 2.
    """

    name: str
    help: str
    description: str
    options: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], str]


class CommandFailed(Exception):
    """The command ran and its verdict is "failed" (``iockit fidelity``): the text is printed, exit code 1."""


def format_option(p: argparse.ArgumentParser, help_text: str = "output format (default: table)") -> None:
    p.add_argument("--format", choices=FORMATS, default="table", help=help_text)


def data_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", metavar="DATAPACKAGE_DIR", default=None,
                   help="use another copy of the theory data package (default: the one shipped)")


def table_and_data(p: argparse.ArgumentParser) -> None:
    """``--format`` then ``--data``: the options of a command that only reads the theory."""
    format_option(p)
    data_option(p)
