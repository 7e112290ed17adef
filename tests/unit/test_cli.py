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
    assert code == 0 and len(rows) == 85
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
