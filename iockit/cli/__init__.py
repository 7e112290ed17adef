"""The ``iockit`` command: argument parsing and error formatting only; every command calls the API.

:mod:`.parser` builds the parser from the command table and turns bad input into one line on stderr
(exit code 2); the commands live by subject in :mod:`.queries` (the theory), :mod:`.simulation`
(the simulator) and :mod:`.teaching` (dashboards, links, lessons, answers), each declared as a
:class:`~.command.Command` row.
"""

from __future__ import annotations

from .parser import build_parser, main

__all__ = ["build_parser", "main"]
