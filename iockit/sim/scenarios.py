"""Scenario presets: safe YAML files (``datasets/scenarios/*.yaml``) with a description and the
review's reference numbers they draw on. Every key and value is checked; nothing is clamped.

Scenario files also arrive from learners (the dashboards' "load scenario" button, ``--scenario
FILE``), so they are read as untrusted input: a strict YAML loader refuses anchors and aliases (no
"billion laughs"), tags other than YAML's plain ones (no ``!!python/object``), keys that are not
text, repeated keys, deep nesting, not-a-number and infinite numbers, over-long text and over-long
files. Every refusal is one :class:`~iockit.errors.IockitError` naming the problem and its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._data import read_limited, resolve_package_dir
from .._numbers import DECIMAL
from ..errors import DataPackageError, IockitError
from ..lookup import check_name
from ..theory import load_theory
from .inputs import Inputs, check_contexts, check_count, check_initial, check_overrides

TOP_KEYS = ("title", "description", "sources", "partners", "months", "contexts", "partner_overrides", "initial")
MAX_BYTES = 64_000
MAX_LINES = 2000      # lines in a scenario file
MAX_TEXT = 2000       # characters in one text value (title, description, ...)
MAX_DEPTH = 6         # nesting levels: the schema needs 3 (top mapping > partner_overrides list > mapping)
MAX_DIGITS = 30       # digits in one whole number

_TAG = "tag:yaml.org,2002:"
_CORE_TAGS = frozenset(_TAG + t for t in ("str", "int", "float", "bool", "null", "seq", "map"))


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

    def inputs(self, months: int | None = None, runs: int = 200, seed: int = 0, **changes: Any) -> Inputs:
        """The scenario as checked simulation inputs (``months`` defaults to the scenario's, else 36)."""
        months = months if months is not None else (self.months if self.months is not None else 36)
        base = Inputs(dict(self.contexts), self.partners, tuple(self.partner_overrides), dict(self.initial),
                      months, runs, seed)
        return base.replace(**changes) if changes else base

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


def load_preset(name: str) -> Scenario:
    """A shipped preset, by name only (never a path, never a file in the working directory)."""
    if not isinstance(name, str):
        raise IockitError("scenario", name, "a preset name (see `iockit scenarios`)")
    key = check_name("scenario", name, names(), "scenarios")
    path = scenario_dir() / f"{key}.yaml"
    return parse_scenario_bytes(path.read_bytes(), key)


def load_scenario(name_or_path: str | Path) -> Scenario:
    """A preset by name, or a YAML file by path."""
    text_name = str(name_or_path)
    allowed = "a preset name (see `iockit scenarios`) or an existing .yaml file"
    if not text_name.strip():
        raise IockitError("scenario", text_name, allowed)
    path = Path(text_name)
    if not (text_name.endswith((".yaml", ".yml")) or _is_file(path)):
        key = check_name("scenario", text_name, names(), "scenarios")
        path = scenario_dir() / f"{key}.yaml"
    try:
        raw = read_limited(path, MAX_BYTES)  # the size is checked before reading; devices and folders refused
    except DataPackageError as exc:
        raise IockitError("scenario", text_name[:200], f"{allowed} under {MAX_BYTES // 1000} kB",
                          exc.problems[0].message) from None
    return parse_scenario_bytes(raw, path.stem)


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long for the file system, a NUL byte
        return False


def parse_scenario_bytes(data: bytes, name: str = "scenario") -> Scenario:
    """A scenario from the bytes of an uploaded file: size check, strict UTF-8 decoding, then
    :func:`parse_scenario`."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise IockitError("scenario", name, "the bytes of a YAML file")
    data = bytes(data)
    if len(data) > MAX_BYTES:
        raise IockitError("scenario", name, f"a file under {MAX_BYTES // 1000} kB (this one has {len(data):,} bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IockitError("scenario", name, "a text file in UTF-8, as saved by the dashboard's download button "
                          f"(byte {exc.start + 1} is not text: is this a Word, PDF or image file?)") from None
    return parse_scenario(text, name)


class _Refused(Exception):
    """The strict loader's refusal: what is allowed, and where the file breaks it."""

    def __init__(self, allowed: str, mark: Any = None) -> None:
        self.allowed = allowed
        self.where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        super().__init__(allowed + self.where)


def _refuse_event(event: Any, depth: int) -> None:
    """Refuse an anchor, an alias, a tag other than YAML's plain ones, or nesting deeper than :data:`MAX_DEPTH`."""
    import yaml

    if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
        raise _Refused("plain YAML without anchors or aliases (& and *)", event.start_mark)
    tag = getattr(event, "tag", None)
    if tag is not None and tag not in _CORE_TAGS:
        raise _Refused(f"plain YAML without tags (found the tag {tag.replace(_TAG, '!!')!r})", event.start_mark)
    if depth >= MAX_DEPTH:
        raise _Refused(f"at most {MAX_DEPTH} levels of nesting", event.start_mark)


def _refuse_keys(node: Any) -> None:
    """Refuse a mapping key that is not text, or a key given twice."""
    seen: set[str] = set()
    for key_node, _ in node.value:
        if key_node.tag != _TAG + "str":
            raise _Refused("keys that are text (found a key of type "
                           f"{key_node.tag.replace(_TAG, '')})", key_node.start_mark)
        if key_node.value in seen:
            raise _Refused(f"each key once (the key {key_node.value!r} is repeated)", key_node.start_mark)
        seen.add(key_node.value)


def _text(loader: Any, node: Any) -> str:
    value = loader.construct_scalar(node)
    if len(value) > MAX_TEXT:
        raise _Refused(f"text of at most {MAX_TEXT} characters (found {len(value):,})", node.start_mark)
    return value


def _whole(loader: Any, node: Any) -> int:
    value = loader.construct_scalar(node)
    if not re.fullmatch(r"[-+]?[0-9]+", value):
        raise _Refused(f"whole numbers written in decimal digits (found {value[:40]!r})", node.start_mark)
    if len(value.lstrip("+-")) > MAX_DIGITS:
        raise _Refused(f"whole numbers of at most {MAX_DIGITS} digits", node.start_mark)
    return int(value, 10)


def _number(loader: Any, node: Any) -> float:
    value = loader.construct_scalar(node)
    if not DECIMAL.fullmatch(value) or len(value) > 4 * MAX_DIGITS:
        raise _Refused(f"finite decimal numbers (found {value[:40]!r})", node.start_mark)
    result = float(value)
    if result in (float("inf"), float("-inf")):
        raise _Refused(f"finite decimal numbers (found {value[:40]!r})", node.start_mark)
    return result


_CONSTRUCTORS = ((_TAG + "str", _text), (_TAG + "int", _whole), (_TAG + "float", _number))
#: YAML 1.2's core implicit types: (tag, pattern, first characters). .nan and .inf resolve to float so
#: that the constructor can refuse them by name.
_RESOLVERS = (
    (_TAG + "bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")),
    (_TAG + "null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]),
    (_TAG + "int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789")),
    (_TAG + "float",
     re.compile(r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
     list("-+0123456789.")),
)


def _strict_loader() -> type:
    """A :class:`yaml.SafeLoader` subclass that reads plain data only (see the module docstring).

    Implicit types are YAML 1.2's core ones (true/false, null, decimal whole and decimal numbers);
    YAML 1.1's extras (yes/no, dates, 0x and sexagesimal numbers, ``<<`` merges) stay text.
    """
    import yaml

    class StrictLoader(yaml.SafeLoader):
        yaml_implicit_resolvers: dict = {}  # noqa: RUF012 -- PyYAML's class-level registry, filled below
        _depth = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            _refuse_event(self.peek_event(), self._depth)
            self._depth += 1
            try:
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            _refuse_keys(node)
            return super().construct_mapping(node, deep)

    for tag, constructor in _CONSTRUCTORS:
        StrictLoader.add_constructor(tag, constructor)
    for tag, pattern, first in _RESOLVERS:
        StrictLoader.add_implicit_resolver(tag, pattern, first)
    return StrictLoader


_LOADER: type | None = None


def _load_yaml(text: str, name: str) -> Any:
    import yaml

    global _LOADER
    if _LOADER is None:
        _LOADER = _strict_loader()
    try:
        return yaml.load(text, Loader=_LOADER)  # a SafeLoader subclass, stricter still
    except _Refused as exc:
        raise IockitError("scenario", name, exc.allowed + f" (refused{exc.where})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = " ".join(str(getattr(exc, "problem", None) or "cannot be parsed").split())
        if "another document" in problem:  # PyYAML's words: "but found another document"
            problem = "holds more than one document (a line '---' starts a second one)"
        raise IockitError("scenario", name, f"valid YAML, one document (the reader stopped{where}: {problem})") from None
    except RecursionError:
        raise IockitError("scenario", name, f"at most {MAX_DEPTH} levels of nesting") from None


def _check_text(text: object, name: str) -> None:
    """The text of a scenario file: text, under :data:`MAX_BYTES` and :data:`MAX_LINES`."""
    if not isinstance(text, str):
        raise IockitError("scenario", name, "YAML text")
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_BYTES:
        raise IockitError("scenario", name, f"a file under {MAX_BYTES // 1000} kB (this one has {size:,} bytes)")
    lines = len(text.splitlines())
    if lines > MAX_LINES:
        raise IockitError("scenario", name, f"a file of at most {MAX_LINES} lines (this one has {lines:,})")


def _check_top_keys(data: object, name: str) -> None:
    """A mapping whose keys are :data:`TOP_KEYS` spelt exactly (another spelling would be ignored: refused)."""
    if not isinstance(data, dict):
        raise IockitError("scenario", name, "a YAML mapping with keys " + ", ".join(TOP_KEYS))
    for key in data:
        if key not in TOP_KEYS:
            # check_name forgives case and spaces, but a key spelt otherwise would be ignored: refuse it
            fixed = check_name("scenario key", str(key), TOP_KEYS, "scenario keys")
            raise IockitError("scenario key", key, "one of " + ", ".join(TOP_KEYS), f"did you mean {fixed}?")


def _shapes(data: dict) -> tuple[dict, list]:
    """The file's contexts (a mapping) and partner overrides (a list of mappings), empty if not given."""
    contexts = data.get("contexts")
    contexts = {} if contexts is None else contexts
    if not isinstance(contexts, dict):
        raise IockitError("contexts", contexts, "a mapping of context keys to values")
    overrides = data.get("partner_overrides")
    overrides = [] if overrides is None else overrides
    if not isinstance(overrides, list) or not all(isinstance(o, dict) for o in overrides):
        raise IockitError("partner_overrides", overrides, "a list of mappings, one per partner")
    return contexts, overrides


def _sources_and_texts(data: dict) -> tuple[int, ...]:
    """The reference numbers the file cites (1-98), with its title and description checked to be text."""
    sources = data.get("sources")
    sources = [] if sources is None else sources
    if not isinstance(sources, list) or not all(isinstance(s, int) and not isinstance(s, bool) and 1 <= s <= 98 for s in sources):
        raise IockitError("sources", sources, "a list of the review's reference numbers (1-98)")
    for text_key in ("title", "description"):
        if not isinstance(data.get(text_key, ""), str):
            raise IockitError(text_key, data[text_key], "text")
    return tuple(sources)


def parse_scenario(text: str, name: str = "scenario") -> Scenario:
    """A scenario from YAML text, every key and value checked (see the module docstring)."""
    _check_text(text, name)
    data = _load_yaml(text, name)
    _check_top_keys(data, name)
    contexts, overrides = _shapes(data)
    months = data.get("months")
    theory = load_theory()
    # the one check of every way in: an Inputs value (numbers as plain decimals, each context once)
    checked = check_contexts(contexts, theory)
    partners = check_count("partners", data.get("partners", 2))
    checked_overrides = check_overrides(overrides, partners, theory)
    if months is not None:
        months = check_count("months", months)
    initial = data.get("initial")
    initial = check_initial({} if initial is None else initial)
    sources = _sources_and_texts(data)
    return Scenario(name, data.get("title", name), data.get("description", ""), sources, checked,
                    partners, months, tuple(checked_overrides), initial)
