"""Dashboard state <-> link (iockit.teach.statelink) and `iockit link`."""

from __future__ import annotations

import sys
from urllib.parse import parse_qsl, urlsplit

import pytest

from iockit import contexts as ctxreg
from iockit.cli import main
from iockit.errors import IockitError
from iockit.sim.scenarios import load_scenario, names
from iockit.teach import addresses, statelink
from iockit.teach.addresses import MAX_LINK, link, link_warning
from iockit.teach.statelink import MAX_QUERY, State, from_query, to_query


def error_of(qs: str) -> IockitError:
    with pytest.raises(IockitError) as err:
        from_query(qs)
    assert "\n" not in err.value.message
    return err.value


# --- State ------------------------------------------------------------------------------------------

def test_state_defaults_are_the_registry_defaults():
    s = State()
    assert (s.scenario, s.months, s.seed, s.partners, s.partner_overrides, s.large) == (None, 36, 0, 2, [], False)
    assert s.contexts == ctxreg.defaults()
    i = s.inputs(runs=50)
    assert (dict(i.contexts), i.months, i.seed, i.partners, i.partner_overrides, dict(i.initial), i.runs) == (
        ctxreg.defaults(), 36, 0, 2, (), {}, 50)


def test_state_completes_and_checks_contexts():
    s = State(contexts={"ambition": 0.9})
    assert s.contexts == {**ctxreg.defaults(), "ambition": 0.9}
    with pytest.raises(IockitError) as err:
        State(contexts={"ambition": 1.2})
    assert err.value.field == "ambition"
    with pytest.raises(IockitError):
        State(months=0)
    with pytest.raises(IockitError):
        State(seed=-1)
    with pytest.raises(IockitError):
        State(partners=2, partner_overrides=[{}, {}, {"organisation_size": 0.5}])
    with pytest.raises(IockitError):
        State(partner_overrides=[{"ambition": 0.5}])  # not a partner-level context
    with pytest.raises(IockitError):
        State(scenario="../datasets/scenarios/voluntary_alliance")


def test_state_drops_trailing_empty_partner_sets():
    assert State(partner_overrides=[{"organisation_size": 1}, {}]).partner_overrides == [{"organisation_size": 1.0}]


@pytest.mark.parametrize("name", names())
def test_state_from_preset_simulates_like_the_preset(name):
    sc = load_scenario(name)
    s = State.from_scenario(sc, seed=4)
    assert s.scenario == name and s.seed == 4 and s.months == (sc.months or 36)
    assert s.inputs(runs=7) == sc.inputs(runs=7, seed=4)


def test_state_to_scenario_and_back():
    s = State(scenario="mandated_buddying", contexts={"ambition": 0.25}, months=60, seed=3, partners=3,
              partner_overrides=[{"organisation_size": 0.8}], initial={"trust": 0.4})
    sc = s.to_scenario("Our group", "What we tried.")
    assert sc.title == "Our group" and sc.description == "What we tried."
    assert sc.sources == load_scenario("mandated_buddying").sources
    assert State.from_scenario(sc, seed=3) == s
    # the YAML download loads again to the same state
    from iockit.sim.scenarios import parse_scenario_bytes

    assert State.from_scenario(parse_scenario_bytes(sc.to_yaml().encode(), "mandated_buddying"), seed=3) == s


def test_uploaded_scenario_is_not_taken_for_a_preset():
    sc = State(contexts={"pace": 0.1}).to_scenario("Mine", name="group_3")
    assert State.from_scenario(sc).scenario is None


# --- to_query -------------------------------------------------------------------------------------------

def test_default_state_is_an_empty_query():
    assert to_query(State()) == ""


def test_query_writes_only_differences_in_registry_order():
    s = State(scenario="voluntary_alliance", months=48,
              contexts={**State.from_scenario(load_scenario("voluntary_alliance")).contexts,
                        "ambition": 0.9, "entry_point": "policy_directive"})
    assert to_query(s) == "scenario=voluntary_alliance&months=48&entry_point=policy_directive&ambition=0.9"


def test_query_values_are_compact():
    q = to_query(State(contexts={"ambition": 0.9, "pace": 1, "mandated": 0.05}))
    assert dict(parse_qsl(q)) == {"mandated": "0.05", "ambition": "0.9", "pace": "1"}


def test_query_partner_overrides_are_one_based():
    q = to_query(State(partners=3, partner_overrides=[{}, {"organisation_size": 0.9}]))
    assert q == "partners=3&p2.organisation_size=0.9"


def test_query_can_undo_a_presets_partner_values():
    s = State(scenario="mandated_buddying", contexts=load_scenario("mandated_buddying").contexts, partners=2,
              partner_overrides=[{"organisation_size": 0.7}])
    q = to_query(s)
    assert dict(parse_qsl(q, keep_blank_values=True)) == {
        "scenario": "mandated_buddying", "p1.workforce_stability": "", "p2.workforce_stability": "",
        "p2.organisation_size": ""}
    assert from_query(q) == s


def test_leading_question_mark_is_optional():
    assert from_query("?ambition=0.9") == from_query("ambition=0.9") == State(contexts={"ambition": 0.9})


def test_round_trip_of_a_busy_state():
    s = State(scenario="integrated_care_partnership", contexts={"ambition": 0.123456789, "entry_point": "innovation"},
              months=240, seed=2**40, partners=6, partner_overrides=[{"flexibility": 0.0}, {}, {"organisation_size": 1}],
              large=True, initial={"faith": 0.75, "conflict": 0.0})
    assert from_query(to_query(s)) == s


# --- from_query errors -------------------------------------------------------------------------------------

def test_unknown_param_suggests():
    err = error_of("ambtion=0.9")
    assert err.value == "ambtion" and "ambition" in err.hint
    assert "context key" in err.allowed


def test_repeated_param():
    err = error_of("ambition=0.9&months=12&ambition=0.8")
    assert err.field == "ambition" and "once" in err.allowed and "0.9" in err.message


def test_repeated_param_spelt_differently():
    assert "once" in error_of("shared_vision=0.5&Shared%20vision=0.6").allowed


@pytest.mark.parametrize("qs, field", [
    ("ambition=1.5", "ambition"),            # out of range, never clamped
    ("ambition=-0.1", "ambition"),
    ("ambition=abc", "ambition"),
    ("ambition=", "ambition"),
    ("ambition=nan", "ambition"),
    ("ambition=inf", "ambition"),
    ("ambition=0_5", "ambition"),            # float() would take it; a link may not
    ("ambition=0x1", "ambition"),
    ("ambition=%200.5", "ambition"),
    ("entry_point=nowhere", "entry_point"),
    ("months=0", "months"),
    ("months=241", "months"),
    ("months=1.5", "months"),
    ("months=", "months"),
    ("months=" + "9" * 40, "months"),
    ("seed=-1", "seed"),
    ("seed=x", "seed"),
    ("partners=1", "partners"),
    ("partners=13", "partners"),
    ("large=yes", "large"),
    ("large=2", "large"),
    ("p3.organisation_size=0.5", "p3.organisation_size"),   # only 2 partners
    ("p1.organisation_size=2", "p1.organisation_size"),
    ("p0.organisation_size=0.5", "link parameter"),
    ("p13.organisation_size=0.5", "link parameter"),
    ("p1.ambition=0.5", "link parameter"),                     # not a partner-level context
    ("p1.organisation_sise=0.5", "p1.organisation_sise"),
    ("initial.trust=1.5", "initial.trust"),
    ("initial.hope=0.5", "initial.hope"),
])
def test_bad_values_name_param_value_and_allowed(qs, field):
    err = error_of(qs)
    assert err.field == field
    assert err.allowed
    assert repr(err.value)[:20].strip("'") in err.message


@pytest.mark.parametrize("value", ["../../etc/passwd", "/etc/passwd", "voluntary_alliance.yaml",
                                   "C:\\scenarios\\x", "~/x", "http://evil.example/x.yaml", "%2e%2e%2fx"])
def test_scenario_is_a_preset_name_never_a_path(value):
    err = error_of("scenario=" + value)
    assert err.field == "scenario"
    assert "preset name" in err.allowed and "voluntary_alliance" in err.allowed


def test_unknown_preset_suggests():
    err = error_of("scenario=voluntary_aliance")
    assert err.field == "scenario" and "voluntary_alliance" in err.message


def test_scenario_is_not_read_from_the_working_directory(tmp_path, monkeypatch):
    (tmp_path / "voluntary_alliance").write_text("title: hijacked\ncontexts:\n  ambition: 1\n")
    monkeypatch.chdir(tmp_path)
    assert from_query("scenario=voluntary_alliance") == State.from_scenario(statelink.load_preset("voluntary_alliance"))


def test_too_long_query_is_refused_before_parsing():
    err = error_of("ambition=0.5&" + "x" * MAX_QUERY)
    assert err.field == "link" and f"{MAX_QUERY:,}" in err.allowed
    assert len(err.message) < 300


def test_query_at_the_cap_is_parsed():
    qs = "ambition=0.5&months=" + "1" * (MAX_QUERY - len("ambition=0.5&months="))
    assert len(qs) == MAX_QUERY
    assert error_of(qs).field == "months"    # parsed (months is not a small whole number), not refused for length


def test_bad_percent_escape():
    assert error_of("ambition=%ff").field == "link"


def test_voila_params_are_ignored_and_nothing_else():
    qs = "voila-template=lab&voila-theme=dark&template=lab&theme=dark&token=abc&ambition=0.9"
    assert from_query(qs) == State(contexts={"ambition": 0.9})
    assert error_of("utm_source=mail").field == "link parameter"
    assert error_of("Token=abc").field == "link parameter"


def test_partners_change_drops_the_presets_partner_values_like_the_cli():
    s = from_query("scenario=integrated_care_partnership&partners=3")
    assert s.partners == 3 and s.partner_overrides == []
    assert from_query("scenario=integrated_care_partnership").partner_overrides[0] == {"organisation_size": 0.9}


def test_blank_partner_value_means_follow_the_shared_value():
    s = from_query("scenario=mandated_buddying&p2.organisation_size=&p2.workforce_stability=")
    assert s.partner_overrides == [{"organisation_size": 0.7, "workforce_stability": 0.7}]


def test_from_query_rejects_non_text():
    with pytest.raises(IockitError):
        from_query(b"ambition=0.9")  # type: ignore[arg-type]


# --- link and its warning -------------------------------------------------------------------------------------

def test_link_joins_base_and_query():
    url = link("http://127.0.0.1:8866/voila/render/01_trust_building_loop.ipynb", State(months=12))
    assert url == "http://127.0.0.1:8866/voila/render/01_trust_building_loop.ipynb?months=12"
    assert link("http://h/x.ipynb", State()) == "http://h/x.ipynb"


def test_link_keeps_voila_display_params_and_drops_token_and_old_state():
    url = link("http://h/x.ipynb?voila-theme=dark&token=secret&ambition=0.1#top", State(contexts={"pace": 0.2}))
    assert url == "http://h/x.ipynb?voila-theme=dark&pace=0.2"
    assert from_query(urlsplit(url).query) == State(contexts={"pace": 0.2})


@pytest.mark.parametrize("base", ["127.0.0.1:8866", "ftp://h/x", "javascript:alert(1)", "http://", "http://h/ x"])
def test_link_refuses_odd_bases(base):
    with pytest.raises(IockitError):
        link(base, State())


def test_link_warning_threshold():
    assert link_warning("h" * MAX_LINK) is None
    warning = link_warning("h" * (MAX_LINK + 1))
    assert warning is not None
    assert "browser" in warning and "email" in warning and "scenario file" in warning
    assert "\n" not in warning and "query" not in warning.lower()


def test_a_state_with_everything_changed_gets_a_warning_only_when_long():
    s = State(contexts={k: 0.123456789012345 for k, c in ctxreg.registry().items() if c.kind == "number"},
              partners=12, partner_overrides=[{k: 0.987654321012345 for k in ("organisation_size", "flexibility",
                                                                              "workforce_stability")}] * 12)
    url = link(addresses.dashboard_url("loop"), s)
    assert len(url) > MAX_LINK and link_warning(url)
    assert from_query(urlsplit(url).query) == s
    assert link_warning(link(addresses.dashboard_url("loop"), State(contexts={"ambition": 0.9}))) is None


def test_dashboard_notebooks():
    nb = addresses.DASHBOARD_NOTEBOOKS
    assert nb == {"loop": "01_trust_building_loop.ipynb", "synergy": "02_inertia_vs_synergy.ipynb"}
    from iockit.widgets.loop import TrustLoopDashboard
    from iockit.widgets.synergy import SynergyDashboard

    for cls in (TrustLoopDashboard, SynergyDashboard):       # the dashboards a link can open read their state
        assert cls.key in nb and hasattr(cls, "set_run")
    assert addresses.dashboard_url("synergy") == "http://127.0.0.1:8866/voila/render/02_inertia_vs_synergy.ipynb"
    with pytest.raises(IockitError) as err:
        addresses.notebook_path("loops")
    assert "loop" in err.value.hint


def test_statelink_does_not_import_ipywidgets():
    import subprocess

    code = "import sys, iockit.teach.statelink, iockit.teach.addresses, iockit.cli; sys.exit('ipywidgets' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# --- state_from_settings: a scenario, then settings one by one (what `iockit link` merges) -----------------------

def test_settings_start_from_a_preset_by_name():
    s = statelink.state_from_settings("voluntary_alliance", [("ambition", "0.9")], months=48)
    preset = State.from_scenario(statelink.load_preset("voluntary_alliance"))
    assert (s.scenario, s.months, s.contexts["ambition"]) == ("voluntary_alliance", 48, 0.9)
    assert s.contexts["shared_vision"] == preset.contexts["shared_vision"]


def test_settings_replace_a_scenario_files_values(tmp_path):
    f = tmp_path / "group.yaml"
    f.write_text("title: Group\ncontexts:\n  ambition: 0.8\n  pace: 0.3\nmonths: 24\n")
    s = statelink.state_from_settings(str(f), [("Pace", "0.1")], months=12, seed=3)
    assert s == State(contexts={"ambition": 0.8, "pace": 0.1}, months=12, seed=3)


def test_settings_without_a_scenario_are_the_defaults_plus_the_settings():
    assert statelink.state_from_settings() == State()
    assert statelink.state_from_settings(None, [("p2.organisation_size", "0.4")], partners=3) == State(
        partners=3, partner_overrides=[{}, {"organisation_size": 0.4}])


@pytest.mark.parametrize("settings, kw, field", [
    ([("ambition", "0.1"), ("Ambition", "0.2")], {}, "Ambition"),
    ([("months", "12")], {"months": 24}, "months"),
    ([("ambition", "2")], {}, "ambition"),
    ([], {"partners": 20}, "partners"),
])
def test_settings_are_checked_as_a_link_is(settings, kw, field):
    with pytest.raises(IockitError) as err:
        statelink.state_from_settings(None, settings, **kw)
    assert err.value.field == field


# --- iockit link --------------------------------------------------------------------------------------------------

def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_link_default(capsys):
    code, out, err = run(capsys, "link")
    assert (code, out, err) == (0, "http://127.0.0.1:8866/voila/render/01_trust_building_loop.ipynb\n", "")


def test_cli_link_with_settings_round_trips(capsys):
    code, out, err = run(capsys, "link", "--dashboard", "synergy", "--scenario", "voluntary_alliance", "--months", "48",
                         "--seed", "7", "--set", "ambition=0.9", "--set", "p1.organisation_size=0.2",
                         "--base", "https://example.org/app/")
    assert code == 0 and err == ""
    url = out.strip()
    assert url.startswith("https://example.org/app/voila/render/02_inertia_vs_synergy.ipynb?scenario=voluntary_alliance&")
    s = from_query(urlsplit(url).query)
    assert (s.scenario, s.months, s.seed, s.contexts["ambition"]) == ("voluntary_alliance", 48, 7, 0.9)
    assert s.partner_overrides == [{"organisation_size": 0.2}]


def test_cli_link_from_a_scenario_file_writes_its_values(capsys, tmp_path):
    f = tmp_path / "group.yaml"
    f.write_text("title: Group\ncontexts:\n  ambition: 0.8\nmonths: 24\n")
    code, out, _ = run(capsys, "link", "--scenario", str(f), "--set", "pace=0.1")
    assert code == 0
    assert from_query(urlsplit(out.strip()).query) == State(contexts={"ambition": 0.8, "pace": 0.1}, months=24)


def test_cli_link_only_to_dashboards_that_read_links(capsys):
    code, _, err = run(capsys, "link", "--dashboard", "compare")
    assert code == 2 and "loop, synergy" in err


@pytest.mark.parametrize("argv, field", [
    (["--set", "ambition=2"], "ambition"),
    (["--set", "ambtion=0.5"], "link parameter"),
    (["--set", "ambition"], "--set"),
    (["--set", "ambition=0.1", "--set", "ambition=0.2"], "ambition"),
    (["--scenario", "nope"], "scenario"),
    (["--months", "0"], "months"),
    (["--partners", "20"], "partners"),
    (["--dashboard", "loops"], "dashboard"),
    (["--base", "ftp://x"], "base"),
])
def test_cli_link_errors_are_one_line_exit_2(capsys, argv, field):
    code, out, err = run(capsys, "link", *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"iockit: error: {field}: ")


def test_cli_link_usage_error_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["link", "--months", "many"])
    assert exc.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_cli_link_warns_on_stderr_when_too_long(capsys):
    sets = [f"--set={k}=0.123456789012345" for k, c in ctxreg.registry().items() if c.kind == "number"]
    sets += [f"--set=p{i}.{k}=0.987654321012345" for i in range(1, 13) for k in ("organisation_size", "flexibility",
                                                                                     "workforce_stability")]
    code, out, err = run(capsys, "link", "--partners", "12", *sets)
    assert code == 0 and len(out.strip()) > MAX_LINK
    assert err.startswith("iockit: warning: This link is very long") and err.count("\n") == 1


def test_cli_link_help(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["link", "--help"])
    assert exc.value.code == 0
    assert "usage: iockit link" in capsys.readouterr().out
