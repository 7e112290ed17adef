"""The one domain error of iockit, and the problems a data-package validation reports.

Errors are values until the edge: the core raises :class:`IockitError` carrying the field, the
offending value and what is allowed; only the CLI turns it into one line and exit code 2, and
only the widgets turn it into a message on screen.
"""

from __future__ import annotations

from dataclasses import dataclass


class IockitError(ValueError):
    """Bad input, named by field, value and what is allowed."""

    def __init__(self, field: str, value: object, allowed: str, hint: str = "") -> None:
        self.field = field
        self.value = value
        self.allowed = allowed
        self.hint = hint
        super().__init__(self.message)

    @property
    def message(self) -> str:
        text = f"{self.field}: {self.value!r} is not allowed; allowed: {self.allowed}"
        if self.hint:
            text += f" ({self.hint})"
        return text


@dataclass(frozen=True)
class Problem:
    """One problem found in a data package: which file, which row (1 = header), which field."""

    file: str
    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" row {self.row}"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"


class DataPackageError(IockitError):
    """A data package that does not validate; carries every problem found."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(
            "datapackage", path, "a package that passes `iockit validate`",
            f"{len(problems)} problem(s); first: {problems[0]}" if problems else "",
        )
