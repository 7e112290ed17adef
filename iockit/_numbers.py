"""The one number rule for text a person typed (CLI ``--set``, scenario files, share links): plain
ASCII decimals only, as people write them: ``0.9``, ``1``, ``.5``, ``1e-3``; never ``0x1``, ``0.0_1``,
``nan``, ``inf`` or digits of other scripts."""

from __future__ import annotations

import re

from .errors import IockitError

DECIMAL = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


def parse_decimal(field: str, text: str, allowed: str) -> float:
    """``text`` as a float if it is a plain ASCII decimal, else one IockitError naming the field."""
    if not DECIMAL.fullmatch(text):
        raise IockitError(field, text, allowed)
    return float(text)
