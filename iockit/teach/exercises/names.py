"""Factors in a learner's words: a factor is found by its label ('Mandated collaboration'), by the
words of its label ('Formalisation', 'legal agreements'), by its key, or by the words the review uses
for it in a CMOC cell that names that factor alone ('Reduced trust', 'Overambition'); case and spacing
do not matter. A name that is not found gets the closest labels as suggestions."""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass

from ...theory import load_theory
from .common import ROLES

MAX_NAME = 60
_ALLOWED = re.compile(r"^[\w\s'’().,/&-]+$")


def _plain(text: str) -> str:
    return " ".join(str(text).lower().replace("\u2019", "'").replace("_", " ").split()).strip(" .;,")


@functools.lru_cache(maxsize=1)
def factor_names() -> dict[str, str]:
    """Every name a factor is known by (lower case) -> its key. Labels and keys come first; a cell's
    words are a name only when every cell with those words names the same single factor."""
    theory = load_theory()
    names: dict[str, str] = {}
    for key, f in theory.factors.items():
        inner = re.findall(r"\(([^)]*)\)", f.label)
        outer = re.sub(r"\s*\([^)]*\)", "", f.label)
        for name in (f.label, key, outer, *inner):
            names.setdefault(_plain(name), key)
    cells: dict[str, set[str]] = {}
    for c in theory.cmocs.values():
        for role in ROLES:
            factors = getattr(c, f"{role}_factors")
            cells.setdefault(_plain(getattr(c, role)), set()).update(factors if len(factors) == 1 else {"", "?"})
    for words, keys in cells.items():
        if len(keys) == 1 and words:
            names.setdefault(words, next(iter(keys)))
    return names


@dataclass(frozen=True)
class NameMatch:
    """What a learner typed, read: the factor's key (None for a new factor), the name to show, and the
    closest labels in the review when nothing matched."""

    key: str | None
    shown: str
    suggestions: tuple[str, ...] = ()


def find_factor(text: str) -> NameMatch:
    """The factor a learner named, by label, key or the review's words (case-insensitive)."""
    theory = load_theory()
    words = _plain(text)
    key = factor_names().get(words)
    if key is not None:
        return NameMatch(key, theory.factors[key].label)
    close = difflib.get_close_matches(words, list(factor_names()), n=6, cutoff=0.6)
    labels = tuple(dict.fromkeys(theory.factors[factor_names()[n]].label for n in close))[:3]
    return NameMatch(None, " ".join(str(text).split()), labels)


def name_problem(text: str, role: str) -> str | None:
    """A plain sentence for a name that cannot be used (empty, too long, odd characters), else None."""
    words = " ".join(str(text).split())
    if not words:
        return f"Name {'an' if role[0] in 'aeiou' else 'a'} {role}: choose a factor from the list, or type your own in a few words."
    if len(words) > MAX_NAME or not _ALLOWED.match(words) or not any(ch.isalnum() for ch in words):
        return (f"Give the {role} a short name in words (up to {MAX_NAME} letters, digits and spaces), for "
                "example \u201cJoint training\u201d.")
    return None
