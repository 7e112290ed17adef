"""Classify: is a statement from the review a context, a mechanism or an outcome? The statements are
the cells of the review's CMOCs; the feedback quotes what the review's Methods say each part is."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ...errors import IockitError
from ...lookup import check_name
from ...theory import CMOC, load_theory
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


def classify_items(cmoc_ids: Iterable[str]) -> list[ClassifyItem]:
    """The context, mechanism and outcome cells of these CMOCs, as statements to classify (mixed order)."""
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


def _same_words_elsewhere(statement: str, cmoc_id: str) -> list[tuple[CMOC, str]]:
    words = statement.strip().lower()
    return [(c, role) for c in load_theory().cmocs.values() for role in ROLES
            if c.id != cmoc_id and getattr(c, role).strip().lower() == words]


def check_classify(item_id: str, answer: str) -> Feedback:
    """Is the statement of ``item_id`` the ``answer`` (context, mechanism or outcome) of its CMOC?"""
    item = _classify_item(item_id)
    role = check_name("answer", answer, ROLES, "lessons")
    c = _cmoc(item.cmoc)
    others = _same_words_elsewhere(item.statement, c.id)
    other_roles = [(o, r) for o, r in others if r != item.role]
    details = [cmoc_line(c)]
    if role == item.role:
        msg = (f"Right: \u201c{item.statement}\u201d is the {item.role} in {c.id}. In the review's Methods, "
               f"{ROLE_MEANING[item.role]}.")
    else:
        msg = (f"Not quite: in {c.id} \u201c{item.statement}\u201d is the {item.role}, not the {role}. "
               f"In the review's Methods, {ROLE_MEANING[item.role]}.")
    if other_roles:
        o, r = other_roles[0]
        details.append(f"The same words are the {r} of {o.id}: CMOCs chain, so what is an outcome or mechanism "
                       f"in one configuration can be the context of the next; {LEVEL_OF_ANALYSIS}.")
    return Feedback(role == item.role, msg, tuple(details), (c.id, *(o.id for o, _ in other_roles[:1])))
