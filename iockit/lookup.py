"""Checking names a user typed against the vocabulary, with the closest valid names suggested."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from .errors import IockitError


class _HasFactors(Protocol):
    factors: Mapping[str, Any]


def normalise_key(text: str) -> str:
    """'Shared vision' -> 'shared_vision' (what people type into a terminal)."""
    return "_".join(text.strip().lower().replace("-", " ").split())


def suggest(value: str, valid: Iterable[str], n: int = 3) -> list[str]:
    """The closest valid names to ``value``."""
    return difflib.get_close_matches(normalise_key(value), list(valid), n=n, cutoff=0.5)


def check_name(field: str, value: str, valid: Iterable[str], what: str) -> str:
    """Return ``value`` normalised if valid; else raise naming the closest valid names."""
    valid = list(valid)
    key = normalise_key(value)
    if key in valid:
        return key
    close = suggest(value, valid)
    if len(valid) <= 8:
        raise IockitError(field, value, "one of " + ", ".join(valid), ("did you mean " + ", ".join(close) + "?") if close else "")
    hint = ("did you mean " + ", ".join(close) + "?") if close else f"see `iockit {what}`"
    raise IockitError(field, value, f"one of the {len(valid)} keys listed by `iockit {what}`", hint)


def check_factor(theory: _HasFactors, value: str, field: str = "factor") -> str:
    return check_name(field, value, theory.factors, "factors")
