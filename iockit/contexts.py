"""The context registry: the simulator's inputs, a thin view over the loaded theory
(``datasets/contexts.csv`` and ``context_groups.csv``, read by :func:`iockit.theory.load_theory`).

One source for the CLI (``iockit contexts``, ``--set``), the dashboard sliders and the docs: key,
label, group, range, default, the words for each end, and whether a partner can override it. Every
function takes an optional ``theory`` (another copy of the data package, ``--data DIR``).
"""

from __future__ import annotations

from .errors import IockitError
from .lookup import check_name
from .records import Context, Group
from .theory import Theory, load_theory

__all__ = ["Context", "Group", "check_key", "choices", "context_records", "defaults", "groups",
           "parse_assignment", "registry"]


def _theory(theory: Theory | None) -> Theory:
    return theory if theory is not None else load_theory()


def registry(theory: Theory | None = None) -> dict[str, Context]:
    """Every context, keyed, in registry order."""
    return dict(_theory(theory).contexts)


def groups(theory: Theory | None = None) -> tuple[Group, ...]:
    return _theory(theory).context_groups


def choices(key: str, theory: Theory | None = None) -> tuple[str, ...]:
    ctx = _theory(theory).contexts.get(key)
    return ctx.choices if ctx else ()


def defaults(theory: Theory | None = None) -> dict[str, float | str]:
    return {k: c.default for k, c in _theory(theory).contexts.items()}


def check_key(key: str, field: str = "context", theory: Theory | None = None) -> Context:
    reg = _theory(theory).contexts
    return reg[check_name(field, key, reg, "contexts")]


def parse_assignment(text: str) -> tuple[str, str]:
    """``'shared_vision=0.8'`` -> ``('shared_vision', '0.8')`` (the CLI's ``--set``)."""
    if "=" not in text:
        raise IockitError("--set", text, "KEY=VALUE, for example shared_vision=0.8 (see `iockit contexts`)")
    key, value = text.split("=", 1)
    return key.strip(), value.strip()


def context_records(theory: Theory | None = None) -> list[dict[str, object]]:
    """Every context with its range, default and the CMOC ids it drives (the CMOCs the model encodes
    that name it as a context, or whose fidelity check moves it)."""
    theory = _theory(theory)
    encoded = {cid: e for cid, e in theory.encoding.items() if e.encoded}
    out = []
    for key, ctx in theory.contexts.items():
        ids = [cid for cid, cm in theory.cmocs.items() if cid in encoded
               and (key in cm.context_factors or encoded[cid].check_context == key)]
        out.append({"key": key, "label": ctx.label, "group": ctx.group, "allowed": ctx.allowed,
                    "default": ctx.default, "partner_level": ctx.partner_level,
                    "description": ctx.description, "references": list(ctx.references), "cmocs": ids})
    return out
