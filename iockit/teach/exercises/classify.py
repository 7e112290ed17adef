"""Classify: is a statement from the review a context, a mechanism or an outcome? The statements are
the cells of the review's CMOCs; the feedback quotes what the review's Methods say each part is."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ...errors import IockitError
from ...lookup import check_name
from ...theory import load_theory
from .common import ROLES, Feedback, _cmoc, _order, cmoc_line

# The review's Methods section, verbatim (seed lines 28): what each part of a CMOC is.
ROLE_MEANING = {
    "context": ("contexts refer to the situations into which interventions are introduced that affect the "
                "operation of the intervention mechanisms [25]"),
    "mechanism": ("Mechanisms, in realist terms, are the interactions between programme resources and the changes "
                  "in reasoning by programme actors that occur as a result — both of which can be mechanisms in "
                  "their own right [27]"),
    "outcome": ("Generative causation implies that mechanisms generate outcomes and that these mechanisms are "
                "context-sensitive [26]"),
}
# The review's Conflict section, verbatim: the same thing can play different parts.
LEVEL_OF_ANALYSIS = ("the review notes that \u201cconflict can be both a context and a mechanism depending on the "
                     "element of analysis\u201d (section Inter-organisational conflict)")


@dataclass(frozen=True)
class ClassifyItem:
    id: str          # "<CMOC id>/context"
    cmoc: str
    role: str
    statement: str

    def source(self) -> str:
        """Where the statement is taken from, as shown with the item: 'T3-18 (Table 3, row 18 (Trust))'."""
        return f"{self.cmoc} ({_cmoc(self.cmoc).provenance})"


def classify_items(cmoc_ids: Iterable[str]) -> list[ClassifyItem]:
    """The context, mechanism and outcome cells of these CMOCs, as statements to classify (mixed order).
    Each item names its CMOC: the role asked is the role the words play in that row."""
    items = []
    for ident in cmoc_ids:
        c = _cmoc(ident)
        items += [ClassifyItem(f"{c.id}/{role}", c.id, role, getattr(c, role)) for role in ROLES]
    return _order("classify", items)


def _classify_item(item_id: str) -> ClassifyItem:
    cmoc_id, _, role = item_id.partition("/")
    c = _cmoc(cmoc_id, "item")
    if role not in ROLES:
        raise IockitError("item", item_id, "an item id like T3-NN/context (CMOC id / context, mechanism or outcome)")
    return ClassifyItem(item_id, c.id, role, getattr(c, role))


def _meaning(role: str) -> str:
    text = ROLE_MEANING[role]
    return text[0].upper() + text[1:]


def _words(text: str) -> str:
    return " ".join(text.lower().replace("\u2019", "'").split()).strip(" .;,")


def other_roles(statement: str, cmoc_id: str) -> dict[str, tuple[str, ...]]:
    """Every other role the same words play in the review: role -> the CMOC ids where they play it."""
    words = _words(statement)
    found: dict[str, list[str]] = {}
    for c in load_theory().cmocs.values():
        for role in ROLES:
            if c.id != cmoc_id and _words(getattr(c, role)) == words:
                found.setdefault(role, []).append(c.id)
    return {role: tuple(found[role]) for role in ROLES if role in found}


def _elsewhere(roles: dict[str, tuple[str, ...]]) -> str:
    parts = [f"the {role} of {', '.join(ids)}" for role, ids in roles.items()]
    return "; ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]


def check_classify(item_id: str, answer: str) -> Feedback:
    """Is the statement of ``item_id`` the ``answer`` (context, mechanism or outcome) of its CMOC? The
    feedback names every other role the same words play in the review, with the CMOC ids: an answer
    that is right for another row is told so (``alternatives``), though the item asks about its own row."""
    item = _classify_item(item_id)
    role = check_name("answer", answer, ROLES, "lessons")
    c = _cmoc(item.cmoc)
    roles = other_roles(item.statement, c.id)
    details = [cmoc_line(c)]
    also = roles.get(role, ()) if role != item.role else ()
    if role == item.role:
        msg = (f"Right: \u201c{item.statement}\u201d is the {item.role} in {c.id}. In the review's Methods: "
               f"{_meaning(item.role)}.")
    elif also:
        msg = (f"Right for {', '.join(also)}, where \u201c{item.statement}\u201d is the {role}; but this item asks "
               f"about {c.id}, where the same words are the {item.role}, not the {role}. In the review's Methods: "
               f"{_meaning(item.role)}.")
    else:
        msg = (f"Not quite: in {c.id} \u201c{item.statement}\u201d is the {item.role}, not the {role}. "
               f"In the review's Methods: {_meaning(item.role)}.")
    if roles:
        details.append(f"In the review the same words are also {_elsewhere(roles)}: CMOCs chain, so what is an "
                       f"outcome or mechanism in one configuration can be the context of the next; {LEVEL_OF_ANALYSIS}.")
    ids = (c.id, *dict.fromkeys(i for ids in roles.values() for i in ids))
    return Feedback(role == item.role, msg, tuple(details), ids, also)
