"""iockit: the realist theory of inter-organisational collaboration in healthcare, as data, a causal
web and a simulator (Aunger et al., Systematic Reviews 2021;10:82).

The public API is re-exported here and loaded lazily (PEP 562), so ``import iockit`` is fast and
never touches numpy, networkx, frictionless or any Jupyter widget library until they are used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "IockitError": "errors", "DataPackageError": "errors", "Problem": "errors",
    "load_theory": "theory", "Theory": "theory", "CMOC": "theory", "Factor": "theory", "Link": "theory",
    "build_web": "web", "chains": "web", "feedback_loops": "web", "contested_links": "web", "relations": "web",
    "validate": "validate", "check": "validate",
}

__all__ = [
    "CMOC", "DataPackageError", "Factor", "IockitError", "Link", "Problem", "Theory", "__version__",
    "build_web", "chains", "check", "contested_links", "feedback_loops", "load_theory", "relations",
    "validate",
]

if TYPE_CHECKING:  # for type checkers and IDEs only
    from .errors import DataPackageError, IockitError, Problem
    from .theory import CMOC, Factor, Link, Theory, load_theory
    from .validate import check, validate
    from .web import build_web, chains, contested_links, feedback_loops, relations


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'iockit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
