from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from iockit import __version__
from iockit.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert __version__ in capsys.readouterr().out


@pytest.mark.parametrize("cmd", ["cmocs", "factors", "paths", "loops", "contested", "validate"])
def test_help_for_every_command(capsys, cmd):
    with pytest.raises(SystemExit) as exc:
        main([cmd, "--help"])
    assert exc.value.code == 0
    assert "usage: iockit " + cmd in capsys.readouterr().out


def test_cmocs_json_equals_library(capsys, theory):
    code, out, _ = run(capsys, "cmocs", "--factor", "trust", "--format", "json")
    assert code == 0
    assert json.loads(out) == [c.as_record() for c in theory.cmocs_for("trust")]


def test_cmocs_table_lists_every_trust_cmoc_with_sources(capsys, theory):
    code, out, _ = run(capsys, "cmocs", "--factor", "trust")
    assert code == 0
    for c in theory.cmocs_for("trust"):
        assert c.id in out
    assert "[67]" in out and "Table 3, row" in out


def test_cmocs_csv_parses(capsys, theory):
    code, out, _ = run(capsys, "cmocs", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 86
    assert rows[0]["id"] == "T3-01"


def test_loops_shows_trust_building_loop(capsys):
    code, out, _ = run(capsys, "loops")
    assert code == 0
    line = next(ln for ln in out.splitlines() if ln.startswith("The trust-building loop"))
    assert "reinforcing" in line


def test_contested_shows_both_sources(capsys):
    code, out, _ = run(capsys, "contested")
    assert code == 0
    assert "T3-07" in out and "TX-01" in out


def test_paths(capsys):
    code, out, _ = run(capsys, "paths", "prior_collaboration", "performance", "--format", "json")
    assert code == 0
    chains = json.loads(out)
    assert chains and all(c["chain"].startswith("prior_collaboration") for c in chains)


def test_unknown_factor_is_one_line_exit_2(capsys):
    code, out, err = run(capsys, "cmocs", "--factor", "trsut")
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert "factor" in err and "'trsut'" in err and "did you mean trust" in err


def test_unknown_path_factor(capsys):
    code, _, err = run(capsys, "paths", "shared_visoin", "trust")
    assert code == 2 and "CONTEXT" in err and "shared_vision" in err


def test_bad_max_length(capsys):
    code, _, err = run(capsys, "loops", "--max-length", "40")
    assert code == 2 and "max-length" in err and "2 to 8" in err


def test_bad_format_is_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["cmocs", "--format", "xml"])
    assert exc.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_validate_good_and_broken(capsys, package_copy):
    code, out, _ = run(capsys, "validate")
    assert code == 0 and "valid" in out
    path = package_copy / "references.csv"
    path.write_text(path.read_text().replace("\n5,", "\n5x,", 1))
    code, out, err = run(capsys, "validate", str(package_copy))
    assert code == 2
    lines = err.strip().splitlines()
    assert lines[0].startswith("iockit: references.csv row 6, field 'number'")
    assert lines[-1] == "iockit: 1 problem(s) found"


def test_console_script_has_no_traceback_on_bad_input():
    proc = subprocess.run([sys.executable, "-m", "iockit.cli", "validate", "/nonexistent"],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "DATAPACKAGE_DIR" in proc.stderr


def test_simulate_json_equals_library(capsys):
    from iockit.sim import simulate

    code, out, _ = run(capsys, "simulate", "--months", "6", "--runs", "30", "--seed", "3",
                       "--set", "shared_vision=0.8", "--format", "json")
    assert code == 0
    assert json.loads(out) == simulate({"shared_vision": "0.8"}, months=6, runs=30, seed=3).rows()


@pytest.mark.parametrize("name", ["voluntary_alliance", "mandated_buddying", "large_trust_merger",
                                  "integrated_care_partnership"])
def test_simulate_each_preset(capsys, name):
    code, out, _ = run(capsys, "simulate", "--scenario", name, "--runs", "20", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 36
    assert "trust" in rows[0] and "phase_maintenance" in rows[0]


def test_simulate_scenario_file_and_set_override(capsys, tmp_path):
    f = tmp_path / "mine.yaml"
    f.write_text("title: Mine\ncontexts:\n  shared_vision: 0.9\n")
    code, out, _ = run(capsys, "simulate", "--scenario", str(f), "--set", "pace=0.2", "--months", "2",
                       "--runs", "5", "--format", "json")
    assert code == 0 and len(json.loads(out)) == 2


@pytest.mark.parametrize("argv, words", [
    (["simulate", "--set", "shraed_vision=0.5"], ["'shraed_vision'", "shared_vision"]),
    (["simulate", "--set", "pace=2"], ["pace", "'2'", "0 (slow) to 1 (brisk)"]),
    (["simulate", "--set", "pace"], ["--set", "KEY=VALUE"]),
    (["simulate", "--scenario", "mandated_budy"], ["scenario", "mandated_buddying"]),
    (["simulate", "--months", "0"], ["months", "1 to 240"]),
    (["simulate", "--runs", "0"], ["runs"]),
    (["simulate", "--partners", "1"], ["partners", "2 to 12"]),
    (["simulate", "--set", "entry_point=merger"], ["entry_point", "policy_directive"]),
    (["fidelity", "--runs", "10"], ["runs", "at least 200"]),
])
def test_simulate_bad_input(capsys, argv, words):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    for w in words:
        assert w in err


def test_malformed_scenario_file(capsys, tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("contexts: [1, 2\n")
    code, _, err = run(capsys, "simulate", "--scenario", str(f))
    assert code == 2 and "valid YAML" in err and "line" in err


def test_explain_contexts_scenarios(capsys):
    code, out, _ = run(capsys, "explain", "--set", "ambition=0.95", "--seed", "3")
    assert code == 0 and out.startswith("Month 0:") and "[" in out
    code, out, _ = run(capsys, "contexts", "--format", "json")
    ctx = {c["key"]: c for c in json.loads(out)}
    assert len(ctx) == 28 and "T3-16" in ctx["shared_vision"]["cmocs"]
    code, out, _ = run(capsys, "scenarios")
    assert code == 0 and "mandated_buddying" in out


def test_fidelity_command(capsys):
    code, out, _ = run(capsys, "fidelity")
    assert code == 0
    assert "43 of 44 (98%)" in out and "FAIL" not in out


def test_dashboard_command_line_is_local_preheated_and_culled():
    from iockit.serve import notebooks_dir, voila_command

    cmd = voila_command(8899)
    assert str(notebooks_dir()) in cmd
    assert "--Voila.ip=127.0.0.1" in cmd and "--port=8899" in cmd
    assert "--VoilaConfiguration.preheat_kernel=True" in cmd
    assert any(c.startswith("--MappingKernelManager.cull_idle_timeout=") for c in cmd)


def test_dashboard_refuses_a_busy_or_bad_port(capsys):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        busy = s.getsockname()[1]
        code, _, err = run(capsys, "dashboard", "--port", str(busy), "--no-browser")
    assert code == 2 and "--port" in err and "in use" in err
    code, _, err = run(capsys, "dashboard", "--port", "80", "--no-browser")
    assert code == 2 and "1024 to 65535" in err
