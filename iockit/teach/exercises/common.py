"""What every exercise kind shares: the :class:`Feedback` value, a CMOC told in one line, the CMOC
lookup that turns a bad id into an :class:`~iockit.errors.IockitError`, a fixed shuffle, the signs
a learner may give, and the reader of the teaching YAML files beside this package."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...errors import IockitError
from ...theory import CMOC, load_theory

ROLES = ("context", "mechanism", "outcome")
SIGNS = {"+": 1, "-": -1, "raises": 1, "lowers": -1, 1: 1, -1: -1}
TEACH_DIR = Path(__file__).resolve().parent.parent
CMOC_ID_HELP = "a CMOC id: T3-NN (a row of Table 3) or TX-NN (stated in the text); see `iockit cmocs`"


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: ``correct`` (None when there is no right answer, as in ``contest``),
    a one-paragraph ``message`` in plain words, supporting ``details`` (CMOC rows, quotes), the CMOC
    ids it rests on, and ``alternatives``: other rows of the review by which a wrong answer to this
    item would be right (a factor plays other roles in other rows)."""

    correct: bool | None
    message: str
    details: tuple[str, ...] = ()
    cmocs: tuple[str, ...] = ()
    alternatives: tuple[str, ...] = ()

    @property
    def verdict(self) -> str:
        if self.correct is False and self.alternatives:
            return "right for another row"
        return {True: "correct", False: "not yet", None: "noted"}[self.correct]

    def text(self) -> str:
        return " ".join([self.message, *self.details])


def cmoc_line(c: CMOC) -> str:
    """'T3-26 (Table 3, row 26 (Trust)): Significant conflict (context) → ... [47, 69]'."""
    return (f"{c.id}, {c.provenance}: {c.context} (context) \u2192 {c.mechanism} (mechanism) \u2192 "
            f"{c.outcome} (outcome) {c.cites()}")


def sign_word(sign: int) -> str:
    return "raises" if sign > 0 else "lowers"


def chain_words(labels: Sequence[str], signs: Sequence[int]) -> str:
    """A chain of links in words, e.g. 'Formalisation (legal agreements) raises Trust, which lowers
    Risk tolerance' (no arrows or +/- that a reader, or a spreadsheet, could misread)."""
    text = labels[0]
    for n, (label, sign) in enumerate(zip(labels[1:], signs, strict=True)):
        text += f"{', which' if n else ''} {sign_word(sign)} {label}"
    return text


def _cmoc(ident: str, field_name: str = "cmoc") -> CMOC:
    cmocs = load_theory().cmocs
    key = ident.strip().upper()
    if key not in cmocs:
        raise IockitError(field_name, ident, CMOC_ID_HELP)
    return cmocs[key]


def _order(seed: str, items: Sequence[Any]) -> list[Any]:
    """A fixed shuffle (the same every time for the same item), so lessons and answer keys agree."""
    return sorted(items, key=lambda x: hashlib.sha256(f"{seed}|{x}".encode()).hexdigest())


def _sign(value: object, field_name: str) -> int:
    if value not in SIGNS:
        raise IockitError(field_name, value, "'+' (raises) or '-' (lowers)")
    return SIGNS[value]  # type: ignore[index]


@functools.lru_cache(maxsize=8)
def read_teaching_yaml(name: str) -> Any:
    """A YAML file shipped in ``iockit/teach/`` (``poe.yaml``, ``cases.yaml``, ...), parsed safely."""
    import yaml

    return yaml.safe_load((TEACH_DIR / name).read_text(encoding="utf-8"))
