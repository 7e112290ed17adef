"""Scenario presets: safe YAML files (``datasets/scenarios/*.yaml``) with a description and the
review's reference numbers they draw on. Every key and value is checked; nothing is clamped."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._data import resolve_package_dir
from ..errors import IockitError
from ..lookup import check_name
from .model import check_count, check_initial

TOP_KEYS = ("title", "description", "sources", "partners", "months", "contexts", "partner_overrides", "initial")
MAX_BYTES = 64_000


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    description: str
    sources: tuple[int, ...]
    contexts: dict[str, Any]
    partners: int = 2
    months: int | None = None
    partner_overrides: tuple[dict[str, Any], ...] = ()
    initial: dict[str, float] = field(default_factory=dict)

    def simulate_kwargs(self) -> dict[str, Any]:
        kw: dict[str, Any] = {"contexts": dict(self.contexts), "partners": self.partners}
        if self.partner_overrides:
            kw["partner_overrides"] = [dict(p) for p in self.partner_overrides]
        if self.initial:
            kw["initial"] = dict(self.initial)
        if self.months is not None:
            kw["months"] = self.months
        return kw

    def to_yaml(self) -> str:
        import yaml

        data: dict[str, Any] = {"title": self.title, "description": self.description,
                                "sources": list(self.sources), "partners": self.partners}
        if self.months is not None:
            data["months"] = self.months
        data["contexts"] = dict(self.contexts)
        if self.partner_overrides:
            data["partner_overrides"] = [dict(p) for p in self.partner_overrides]
        if self.initial:
            data["initial"] = dict(self.initial)
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def scenario_dir() -> Path:
    return resolve_package_dir(None) / "scenarios"


def names() -> list[str]:
    return sorted(p.stem for p in scenario_dir().glob("*.yaml"))


def load_scenario(name_or_path: str | Path) -> Scenario:
    """A preset by name, or a YAML file by path."""
    text_name = str(name_or_path)
    path = Path(text_name)
    if not (text_name.endswith((".yaml", ".yml")) or path.is_file()):
        key = check_name("scenario", text_name, names(), "scenarios")
        path = scenario_dir() / f"{key}.yaml"
    if not path.is_file():
        raise IockitError("scenario", text_name, "a preset name (see `iockit scenarios`) or an existing .yaml file")
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        raise IockitError("scenario", text_name, f"a file under {MAX_BYTES // 1000} kB")
    return parse_scenario(raw.decode("utf-8", errors="replace"), path.stem)


def parse_scenario(text: str, name: str = "scenario") -> Scenario:
    import yaml

    from .. import contexts as ctxreg
    from .model import _partner_contexts

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "cannot be parsed"
        raise IockitError("scenario", name, f"valid YAML (it {problem}{where})") from None
    if not isinstance(data, dict):
        raise IockitError("scenario", name, "a YAML mapping with keys " + ", ".join(TOP_KEYS))
    for key in data:
        if key not in TOP_KEYS:
            check_name("scenario key", str(key), TOP_KEYS, "scenario keys")
    contexts = data.get("contexts") or {}
    if not isinstance(contexts, dict):
        raise IockitError("contexts", contexts, "a mapping of context keys to values")
    checked = {}
    for key, value in contexts.items():
        ctx = ctxreg.check_key(str(key), "contexts")
        checked[ctx.key] = ctx.check(value, f"contexts.{ctx.key}")
    partners = check_count("partners", data.get("partners", 2))
    months = data.get("months")
    if months is not None:
        months = check_count("months", months)
    overrides = data.get("partner_overrides") or []
    if not isinstance(overrides, list) or not all(isinstance(o, dict) for o in overrides):
        raise IockitError("partner_overrides", overrides, "a list of mappings, one per partner")
    _partner_contexts(ctxreg.resolve(checked), partners, overrides)  # checks keys, values, count
    initial = check_initial(data.get("initial") or {})
    sources = data.get("sources") or []
    if not isinstance(sources, list) or not all(isinstance(s, int) and not isinstance(s, bool) and 1 <= s <= 98 for s in sources):
        raise IockitError("sources", sources, "a list of the review's reference numbers (1-98)")
    for text_key in ("title", "description"):
        if not isinstance(data.get(text_key, ""), str):
            raise IockitError(text_key, data[text_key], "text")
    return Scenario(name, data.get("title", name), data.get("description", ""), tuple(sources), checked,
                    partners, months, tuple(dict(o) for o in overrides), initial)
