"""Scenario files are untrusted input (uploads, --scenario FILE): malformed and hostile files give one
clear IockitError, never a hang, a traceback, code execution or a silently ignored value."""

from __future__ import annotations

import time

import pytest
import yaml

from iockit.errors import IockitError
from iockit.sim.scenarios import (
    MAX_BYTES,
    MAX_DEPTH,
    MAX_LINES,
    MAX_TEXT,
    load_preset,
    load_scenario,
    names,
    parse_scenario,
    parse_scenario_bytes,
)

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
contexts: *h
"""


def refused(text: str | bytes, *words: str) -> IockitError:
    start = time.perf_counter()
    with pytest.raises(IockitError) as err:
        if isinstance(text, bytes):
            parse_scenario_bytes(text, "upload")
        else:
            parse_scenario(text, "upload")
    assert time.perf_counter() - start < 2, "a hostile file must be refused quickly"
    message = err.value.message
    assert "\n" not in message and len(message) < 400, message
    for word in words:
        assert word in message, message
    return err.value


@pytest.fixture(scope="module")
def presets_before():
    return {n: load_scenario(n) for n in names()}


@pytest.mark.parametrize("text, words", [
    (BILLION_LAUGHS, ("anchors or aliases", "line 1")),
    ("title: &t Hello\ndescription: *t\n", ("anchors or aliases",)),
    ("contexts:\n  ambition: &x 0.5\n", ("anchors or aliases", "line 2")),
    ("base: &b {ambition: 0.2}\ncontexts:\n  <<: *b\n", ("anchors or aliases",)),
    ("contexts: !!python/object/apply:os.system ['echo hacked']", ("tag", "python/object/apply:os.system")),
    ("title: !!python/object:builtins.object {}\n", ("tag", "python/object")),
    ("title: !!python/name:os.system\n", ("tag",)),
    ("title: !custom hello\n", ("tag", "!custom")),
    ("title: !!binary aGVsbG8=\n", ("tag", "binary")),
    ("contexts: !!set {ambition}\n", ("tag", "set")),
    ("contexts: !!omap [{ambition: 0.3}]\n", ("tag", "omap")),
    ("contexts: " + "[" * 200 + "]" * 200 + "\n", ("levels of nesting",)),
    ("contexts: " + "[" * 20000, ("levels of nesting",)),                     # unclosed, very deep
    ("contexts:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 40)), ("levels of nesting",)),
    ("contexts:\n  ambition: .nan\n", ("finite", ".nan", "line 2")),
    ("contexts:\n  ambition: .inf\n", ("finite", ".inf")),
    ("initial:\n  trust: -.Inf\n", ("finite",)),
    ("contexts:\n  ambition: 1.0e999\n", ("finite",)),
    ("contexts:\n  ambition: !!float nan\n", ("finite",)),
    ("1: one\n", ("keys that are text", "int")),
    ("contexts:\n  0.5: ambition\n", ("keys that are text", "float")),
    ("~: nothing\n", ("keys that are text", "null")),
    ("true: yes\n", ("keys that are text", "bool")),
    ("? [a, b]\n: c\n", ("keys that are text", "seq")),
    ("partners: 2\npartners: 12\n", ("each key once", "'partners'", "line 2")),
    ("contexts:\n  ambition: 0.1\n  ambition: 0.9\n", ("each key once", "'ambition'")),
    ("description: " + "x" * (MAX_TEXT + 1) + "\n", ("at most 2000 characters",)),
    ("title: hi\n" + "#\n" * (MAX_LINES + 1), ("at most 2000 lines",)),
    ("title: " + "x" * (MAX_BYTES + 10) + "\n", ("64 kB",)),
    ("months: " + "9" * 5000 + "\n", ("at most 30 digits",)),
    ("months: 0x10\n", ("months",)),
    ("months: !!int 0x10\n", ("decimal digits",)),
    ("contexts: [1, 2", ("valid YAML", "line 1")),
    ("title: a\n---\ntitle: b\n", ("valid YAML",)),
    ("title: \"\x00\"\n", ("valid YAML",)),
])
def test_hostile_yaml_is_refused_with_a_named_problem(text, words):
    refused(text, *words)


@pytest.mark.parametrize("text, field, value", [
    ("contexts:\n  ambition: true\n", "ambition", True),    # a boolean is not a number
    ("contexts:\n  ambition: false\n", "ambition", False),
    ("partners: true\n", "partners", True),
    ("months: false\n", "months", False),
    ("initial:\n  trust: true\n", "initial.trust", True),
    ("sources: [true]\n", "sources", [True]),
    ("contexts:\n  ambition: '0_5'\n", "ambition", "0_5"),   # float() would read 5
    ("contexts:\n  ambition: ' 0.5'\n", "ambition", " 0.5"),
    ("contexts:\n  ambition: 'nan'\n", "ambition", "nan"),
    ("partner_overrides:\n  - organisation_size: true\n", "p1.organisation_size", True),
    ("partner_overrides:\n  - organisation_size: 0.2\n    Organisation size: 0.9\n", "p1.organisation_size", "Organisation size"),
    ("contexts:\n  shared_vision: 0.2\n  Shared vision: 0.9\n", "shared_vision", "Shared vision"),
    ("contexts: 0\n", "contexts", 0),                                  # not silently read as "no contexts"
    ("contexts: ''\n", "contexts", ""),
    ("partner_overrides: false\n", "partner_overrides", False),
    ("initial: 0\n", "initial", 0),
    ("sources: 0\n", "sources", 0),
    ("title: [a, b]\n", "title", ["a", "b"]),
    ("description: 12\n", "description", 12),
])
def test_wrong_types_name_the_field_and_value(text, field, value):
    err = refused(text)
    assert (err.field, err.value) == (field, value)


@pytest.mark.parametrize("text", ["- a\n- b\n", "just text\n", "42\n", "", "~\n", "[]\n"])
def test_top_level_must_be_a_mapping(text):
    err = refused(text, "a YAML mapping with keys")
    assert err.field == "scenario"


@pytest.mark.parametrize("key", ["colour", "Months", "CONTEXTS", "partner overrides", "<<"])
def test_unknown_or_misspelt_top_keys_are_refused_not_ignored(key):
    err = refused(f"{key}: 12\n", "title, description")
    assert err.field == "scenario key" and err.value == key


def test_misspelt_top_key_suggests():
    assert refused("Months: 12\n").hint == "did you mean months?"


def test_unknown_context_key():
    err = refused("contexts:\n  ambitoin: 0.5\n", "ambition")
    assert err.field == "context"


@pytest.mark.parametrize("data, words", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ("UTF-8", "byte 1")),
    (b"title: caf\xe9\n", ("UTF-8", "byte 11")),                       # Latin-1, not UTF-8
    (b"PK\x03\x04" + bytes(range(256)), ("UTF-8",)),                   # a .docx/.zip
    (b"\xff\xfet\x00i\x00", ("UTF-8",)),                                # UTF-16
    (b"x" * (MAX_BYTES + 1), ("64 kB",)),
])
def test_binary_and_oversized_uploads(data, words):
    refused(data, *words)


def test_load_scenario_refuses_undecodable_files(tmp_path):
    f = tmp_path / "latin1.yaml"
    f.write_bytes(b"title: caf\xe9\n")
    with pytest.raises(IockitError) as err:
        load_scenario(f)
    assert "UTF-8" in err.value.message


def test_load_scenario_refuses_huge_files(tmp_path):
    f = tmp_path / "huge.yaml"
    f.write_bytes(b"#" * (MAX_BYTES + 1))
    with pytest.raises(IockitError) as err:
        load_scenario(f)
    assert "64 kB" in err.value.message


def test_good_uploads_still_load():
    text = "title: Caf\u00e9 group\ncontexts:\n  ambition: 0.9\n  pace: '0.5'\n  mandated: 1\nmonths: 24\n"
    sc = parse_scenario_bytes(text.encode("utf-8"), "cafe")
    assert sc.title == "Café group" and sc.months == 24
    assert sc.contexts == {"ambition": 0.9, "pace": 0.5, "mandated": 1.0}
    assert parse_scenario_bytes(b"\xef\xbb\xbf" + text.encode(), "bom") .contexts == sc.contexts   # BOM from Notepad
    # YAML 1.1 oddities are plain text, not dates or octal numbers
    assert parse_scenario("title: 2021-01-01\ndescription: yes\n").title == "2021-01-01"
    assert parse_scenario("months: 010\n").months == 10
    assert parse_scenario("contexts:\n  ambition: 5e-1\n").contexts == {"ambition": 0.5}


def test_nesting_the_schema_needs_is_allowed():
    assert MAX_DEPTH >= 3
    sc = parse_scenario("partners: 3\npartner_overrides:\n  - {organisation_size: 0.9}\n  - {}\n  - flexibility: 0.1\n")
    assert sc.partner_overrides == ({"organisation_size": 0.9}, {}, {"flexibility": 0.1})


def test_presets_unchanged_after_hostile_input(presets_before):
    for text in (BILLION_LAUGHS, "contexts: !!python/object/apply:os.system ['echo hi']", "1: 2\n"):
        with pytest.raises(IockitError):
            parse_scenario(text)
    for name, before in presets_before.items():
        again = load_scenario(name)
        assert again == before == load_preset(name)
        assert parse_scenario(again.to_yaml(), name) == again


def test_presets_read_the_same_with_the_plain_safe_loader():
    """The strict loader reads every shipped preset exactly as yaml.safe_load does."""
    from iockit.sim.scenarios import scenario_dir

    for name in names():
        text = (scenario_dir() / f"{name}.yaml").read_text(encoding="utf-8")
        sc = load_preset(name)
        plain = yaml.safe_load(text)
        assert sc.contexts == plain["contexts"] and sc.partners == plain["partners"]
        assert sc.description == plain["description"] and list(sc.sources) == plain["sources"]
        assert [dict(o) for o in sc.partner_overrides] == plain.get("partner_overrides", [])


def test_load_preset_is_names_only(tmp_path, monkeypatch):
    (tmp_path / "voluntary_alliance").write_text("title: hijacked\n")
    monkeypatch.chdir(tmp_path)
    assert load_preset("voluntary_alliance").title != "hijacked"
    for bad in ("../voluntary_alliance", str(tmp_path / "voluntary_alliance"), "voluntary_alliance.yaml"):
        with pytest.raises(IockitError):
            load_preset(bad)
