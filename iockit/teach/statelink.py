"""The dashboard-state link codec: a dashboard's state <-> the query string of a link, checked both ways.

A link carries only what differs from its starting point: ``?scenario=voluntary_alliance&months=48&
ambition=0.9`` opens the preset, then sets months and one context. Parameter names are ``scenario``
(a preset name, never a path), ``months``, ``seed``, ``partners``, ``large`` (0 or 1), one per context
key (``iockit contexts``), ``initial.KEY`` (trust, faith, confidence or conflict at month 0) and
``pN.KEY`` for partner N's own value of a partner-level context (1-based). An empty ``pN.KEY=`` or
``initial.KEY=`` means "not set" (partner N follows the shared value), so a link can also undo a
preset's per-partner values.

Reading a link is strict, like every input of iockit: a bad value, a repeated or unknown parameter
raises :class:`~iockit.errors.IockitError` naming the parameter, the value and what is allowed; nothing
is clamped. Only Voila's own parameters are ignored (:data:`IGNORED`). Core only: no ipywidgets.

:func:`state_from_settings` merges a starting scenario with settings given one by one (``iockit link``);
the dashboards' addresses and the full link are in :mod:`iockit.teach.addresses`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode

from .. import contexts as ctxreg
from .._numbers import DECIMAL
from ..errors import IockitError
from ..lookup import check_name, normalise_key
from ..sim.inputs import (
    INITIAL,
    LIMITS,
    Inputs,
    check_contexts,
    check_count,
    check_initial,
    check_overrides,
    check_seed,
)
from ..sim.scenarios import Scenario, load_preset, load_scenario, names
from ..theory import load_theory

MAX_QUERY = 8000    # characters: a longer query string is refused outright
DEFAULT_MONTHS = 36
DEFAULT_SEED = 0
DEFAULT_PARTNERS = 2

#: Voila's own query parameters: ignored when reading a link. ``token`` is a login secret: it is
#: ignored when reading and dropped when :func:`iockit.teach.addresses.link` builds a link.
IGNORED = ("voila-template", "voila-theme", "template", "theme", "token")

_FIXED = ("scenario", "months", "seed", "partners", "large")
_PARTNER_PARAM = re.compile(r"p([0-9]{1,3})\.(.+)")
_INITIAL_PARAM = re.compile(r"initial\.(.+)")
_WHOLE = re.compile(r"[0-9]{1,30}")
_PRESET_NAME = re.compile(r"[A-Za-z0-9_ -]{1,80}")
_ALLOWED_PARAMS = ("scenario, months, seed, partners, large, a context key (see `iockit contexts`), "
                   "initial.KEY or pN.KEY for partner N")


def _short(value: object, limit: int = 60) -> object:
    """A value as it goes into an error message: long text cut, so the message stays readable."""
    if isinstance(value, str) and len(value) > limit:
        return value[:limit] + "..."
    return value


def _partner_keys() -> list[str]:
    return [k for k, c in ctxreg.registry().items() if c.partner_level]


def check_scenario_name(value: object, field: str = "scenario") -> str:
    """A preset name (``iockit scenarios``), normalised; never a file name or a path."""
    allowed = "a preset name: one of " + ", ".join(names())
    if not isinstance(value, str) or not _PRESET_NAME.fullmatch(value):
        pathlike = isinstance(value, str) and any(c in value for c in "/\\.:~%")
        raise IockitError(field, _short(value), allowed, "a preset name only, never a file or a path" if pathlike else "")
    return check_name(field, value, names(), "scenarios")


@dataclass
class State:
    """What a context dashboard shows: the preset it started from, every context, the run settings.

    Checked and normalised on creation by the checks of :mod:`iockit.sim.inputs` (the rules of every
    way into the simulator; an invalid state raises :class:`IockitError`): ``contexts`` is completed
    with the defaults; partner overrides get canonical keys and float values, and trailing empty
    override sets are dropped (they change nothing). :meth:`inputs` is the state as a simulation's
    checked inputs.
    """

    scenario: str | None = None
    contexts: dict[str, float | str] = field(default_factory=ctxreg.defaults)
    months: int = DEFAULT_MONTHS
    seed: int = DEFAULT_SEED
    partners: int = DEFAULT_PARTNERS
    partner_overrides: list[dict[str, float]] = field(default_factory=list)
    large: bool = False
    initial: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.scenario is not None:
            self.scenario = check_scenario_name(self.scenario)
        theory = load_theory()
        self.contexts = {**ctxreg.defaults(theory), **check_contexts(self.contexts, theory)}
        self.months = check_count("months", self.months)
        self.seed = check_seed(self.seed)
        self.partners = check_count("partners", self.partners)
        if not isinstance(self.large, bool):
            raise IockitError("large", self.large, "True or False")
        self.partner_overrides = [dict(o) for o in check_overrides(self.partner_overrides, self.partners, theory)]
        self.initial = check_initial(self.initial)

    def inputs(self, runs: int = 200) -> Inputs:
        """This state as a simulation's checked inputs, for :func:`iockit.sim.model.run` (``runs`` is the
        dashboard's own choice: a link does not carry it)."""
        return Inputs(self.contexts, self.partners, tuple(self.partner_overrides), self.initial, self.months, runs,
                      self.seed)

    def to_scenario(self, title: str = "", description: str = "", name: str | None = None) -> Scenario:
        """This state as a scenario (for a YAML download): every context written out, so the file means
        the same even if the defaults change; sources are the preset's, if any. Checked by parsing it
        back, so the file always loads again."""
        from ..sim.scenarios import parse_scenario

        preset = _preset(self.scenario) if self.scenario else None
        sc = Scenario(name or self.scenario or "scenario", title or (preset.title if preset else "My scenario"),
                      description, preset.sources if preset else (), dict(self.contexts), self.partners,
                      self.months, tuple(dict(o) for o in self.partner_overrides), dict(self.initial))
        return parse_scenario(sc.to_yaml(), sc.name)

    @classmethod
    def from_scenario(cls, scenario: Scenario, months: int | None = None, seed: int = DEFAULT_SEED,
                      large: bool = False) -> State:
        """The state a scenario sets up. ``scenario`` is kept as the starting point only if the scenario's
        name is a preset's; ``months`` defaults to the scenario's, else 36."""
        if months is None:
            months = scenario.months if scenario.months is not None else DEFAULT_MONTHS
        return cls(scenario=scenario.name if scenario.name in names() else None, contexts=dict(scenario.contexts),
                   months=months, seed=seed, partners=scenario.partners,
                   partner_overrides=[dict(o) for o in scenario.partner_overrides], large=large,
                   initial=dict(scenario.initial))


@lru_cache(maxsize=16)
def _preset(name: str) -> Scenario:
    return load_preset(name)


def _baseline(scenario: str | None) -> State:
    """Where a link starts: the preset's state, or the defaults."""
    return State.from_scenario(_preset(scenario)) if scenario else State()


def _start_overrides(base: State, partners: int) -> list[dict[str, float]]:
    """The preset's per-partner values a link starts from. As in ``iockit simulate --scenario S
    --partners N``: if the link changes the number of partners and they no longer match it, they are
    dropped."""
    if partners != base.partners and base.partner_overrides and len(base.partner_overrides) != partners:
        return []
    return [dict(o) for o in base.partner_overrides]


def format_value(value: float | str) -> str:
    """A value as a link writes it: shortest exact form (``0.9``, ``1``, ``0.30000000000000004``)."""
    if isinstance(value, str):
        return value
    number = float(value)
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return repr(number)


def to_query(state: State) -> str:
    """The query string (no leading ``?``) that opens ``state``: only what differs from the preset (if
    any) or the defaults, in a fixed order (scenario, run settings, contexts in registry order, initial
    states, partner values)."""
    if not isinstance(state, State):
        raise IockitError("state", type(state).__name__, "an iockit.teach.statelink.State")
    state = State(**{f: getattr(state, f) for f in State.__dataclass_fields__})  # checked, normalised copy
    base = _baseline(state.scenario)
    pairs: list[tuple[str, str]] = []
    if state.scenario:
        pairs.append(("scenario", state.scenario))
    for name in ("months", "seed", "partners"):
        if getattr(state, name) != getattr(base, name):
            pairs.append((name, str(getattr(state, name))))
    if state.large:
        pairs.append(("large", "1"))
    for key, value in state.contexts.items():
        if value != base.contexts[key]:
            pairs.append((key, format_value(value)))
    for key in INITIAL:
        mine, theirs = state.initial.get(key), base.initial.get(key)
        if mine != theirs:
            pairs.append((f"initial.{key}", "" if mine is None else format_value(mine)))
    start = _start_overrides(base, state.partners)
    level = _partner_keys()
    for i in range(max(len(state.partner_overrides), len(start))):
        mine_set = state.partner_overrides[i] if i < len(state.partner_overrides) else {}
        their_set = start[i] if i < len(start) else {}
        for key in level:
            mine, theirs = mine_set.get(key), their_set.get(key)
            if mine != theirs:
                pairs.append((f"p{i + 1}.{key}", "" if mine is None else format_value(mine)))
    return urlencode(pairs)


def _param(raw: str) -> str:
    """A parameter name, canonical (``Shared vision`` -> ``shared_vision``), or an error with suggestions."""
    if raw in _FIXED:
        return raw
    m = _PARTNER_PARAM.fullmatch(raw)
    if m:
        number = int(m.group(1))
        hi = LIMITS["partners"][1]
        if not 1 <= number <= hi:
            raise IockitError("link parameter", raw, f"pN.KEY with N from 1 to {hi} (partners are numbered from 1)")
        ctx = ctxreg.check_key(m.group(2), raw)
        if not ctx.partner_level:
            raise IockitError("link parameter", raw, "pN.KEY with KEY a partner-level context: "
                              + ", ".join(_partner_keys()))
        return f"p{number}.{ctx.key}"
    m = _INITIAL_PARAM.fullmatch(raw)
    if m:
        return "initial." + check_name(raw, m.group(1), INITIAL, "contexts")
    valid = [*_FIXED, *ctxreg.registry()]
    try:
        return check_name("link parameter", raw, valid, "contexts")
    except IockitError as exc:
        raise IockitError("link parameter", _short(raw), _ALLOWED_PARAMS, exc.hint) from None


def _whole(param: str, text: str, allowed: str) -> int:
    if not _WHOLE.fullmatch(text):
        raise IockitError(param, _short(text), allowed)
    return int(text)


def _number(param: str, text: str, allowed: str) -> float:
    if not DECIMAL.fullmatch(text) or len(text) > 120:
        raise IockitError(param, _short(text), allowed)
    return float(text)


def _read_pairs(qs: object) -> dict[str, tuple[str, str]]:
    """A link's parameters: canonical name -> (name as written, value), Voila's own left out; a
    parameter given twice (also under another spelling) is refused."""
    if not isinstance(qs, str):
        raise IockitError("link", type(qs).__name__, "a query string (text)")
    if len(qs) > MAX_QUERY:
        raise IockitError("link", f"{len(qs):,} characters", f"a query string of at most {MAX_QUERY:,} characters",
                          "save the settings as a scenario file instead")
    if qs.startswith("?"):
        qs = qs[1:]
    try:
        pairs = parse_qsl(qs, keep_blank_values=True, strict_parsing=False, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise IockitError("link", _short(qs), "a query string of UTF-8 text (a %-escape is not text)") from None
    given: dict[str, tuple[str, str]] = {}
    for raw, value in pairs:
        if raw in IGNORED:
            continue
        name = _param(raw)
        if name in given:
            raise IockitError(raw, _short(value), "each setting once in a link",
                              f"{name} is already set to {given[name][1]!r}")
        given[name] = (raw, value)
    return given


def _count(given: dict[str, tuple[str, str]], name: str, start: int) -> int:
    """``months`` or ``partners`` from a link, else ``start``."""
    if name not in given:
        return start
    raw, text = given[name]
    return check_count(name, _whole(raw, text, "a whole number from {} to {}".format(*LIMITS[name])))


def _run_settings(given: dict[str, tuple[str, str]], base: State) -> tuple[int, int, int, bool]:
    """Months, seed, partners and large type: the link's, else the starting point's (large: off)."""
    months = _count(given, "months", base.months)
    seed = base.seed
    if "seed" in given:
        raw, text = given["seed"]
        seed = _whole(raw, text, "a whole number >= 0")
    partners = _count(given, "partners", base.partners)
    large = False
    if "large" in given:
        raw, text = given["large"]
        if text not in ("0", "1"):
            raise IockitError(raw, _short(text), "0 (normal type) or 1 (large type, for projection)")
        large = text == "1"
    return months, seed, partners, large


def _set_initial(initial: dict[str, float], name: str, raw: str, text: str) -> None:
    """``initial.KEY=VALUE`` sets a state at month 0; a blank value unsets it."""
    key = name.split(".", 1)[1]
    if text == "":
        initial.pop(key, None)
    else:
        initial[key] = _number(raw, text, "a number from 0 to 1")
        check_initial({key: initial[key]})


def _set_partner(overrides: list[dict[str, float]], partners: int, name: str, raw: str, text: str) -> None:
    """``pN.KEY=VALUE`` sets partner N's own value; a blank value makes it follow the shared one."""
    number, key = name[1:].split(".", 1)
    index = int(number) - 1
    if text == "":  # nothing to unset beyond the sets there are (a partner past the count has none)
        if index < len(overrides):
            overrides[index].pop(key, None)
        return
    if index >= partners:
        raise IockitError(raw, _short(text), f"a partner from p1 to p{partners} (the link has {partners} partners)")
    while len(overrides) <= index:
        overrides.append({})
    overrides[index][key] = float(ctxreg.registry()[key].check(text, raw))


def from_query(qs: str) -> State:
    """The state a link's query string (with or without the leading ``?``) describes. Strict: see the
    module docstring."""
    given = _read_pairs(qs)
    scenario = check_scenario_name(given["scenario"][1]) if "scenario" in given else None
    base = _baseline(scenario)
    months, seed, partners, large = _run_settings(given, base)
    reg = ctxreg.registry()
    contexts = dict(base.contexts)
    initial = dict(base.initial)
    overrides = _start_overrides(base, partners)
    for name, (raw, text) in given.items():
        if name in _FIXED:
            continue
        if name.startswith("initial."):
            _set_initial(initial, name, raw, text)
        elif _PARTNER_PARAM.fullmatch(name):
            _set_partner(overrides, partners, name, raw, text)
        else:
            contexts[name] = reg[name].check(text, raw)
    return State(scenario=scenario, contexts=contexts, months=months, seed=seed, partners=partners,
                 partner_overrides=overrides, large=large, initial=initial)


def state_from_settings(scenario: str | None = None, settings: Iterable[tuple[str, str]] = (), *,
                        months: int | None = None, seed: int | None = None, partners: int | None = None) -> State:
    """The state a link opens when it starts from ``scenario`` and then applies the settings given
    (``iockit link``). ``scenario`` is a preset name, or a scenario file (``.yaml``, ``.yml`` or a path):
    a file cannot travel in a link, so its values are written in one by one. ``settings`` are
    (parameter, text) pairs named as in a link (a context key, ``pN.KEY``, ``initial.KEY``, ``large``).
    A setting given here replaces the scenario's for the same parameter; everything is checked as
    :func:`from_query` checks a link, so a setting given twice is refused."""
    given = [(k, str(v)) for k, v in (("months", months), ("seed", seed), ("partners", partners)) if v is not None]
    given += [(str(k), str(v)) for k, v in settings]
    mine = {normalise_key(k) for k, _ in given}
    start = [(k, v) for k, v in _scenario_settings(scenario) if normalise_key(k) not in mine]
    return from_query(urlencode(start + given))


def _scenario_settings(scenario: str | None) -> list[tuple[str, str]]:
    if not scenario:
        return []
    text = str(scenario)
    if text.endswith((".yaml", ".yml")) or "/" in text or "\\" in text:
        return parse_qsl(to_query(State.from_scenario(load_scenario(text))), keep_blank_values=True)
    return [("scenario", text)]
