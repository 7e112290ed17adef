"""Careless and hostile data packages and paths get one line naming the file and exit code 2, never a
traceback, and nothing is read without bound (issue 15, the loader's share)."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "iockit.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=60)


@pytest.fixture()
def pkg(tmp_path: Path) -> Path:
    copy = tmp_path / "pkg"
    shutil.copytree(ROOT / "datasets", copy)
    return copy


def _refused(proc: subprocess.CompletedProcess, *words: str) -> None:
    assert proc.returncode == 2, proc.stdout[-500:] + proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    for w in words:
        assert w in proc.stderr


CORRUPTIONS = {
    "missing": lambda p: (p / "references.csv").unlink(),
    "directory": lambda p: ((p / "references.csv").unlink(), (p / "references.csv").mkdir()),
    "latin1": lambda p: (p / "studies.csv").write_bytes((p / "studies.csv").read_bytes() + b"x,\xe9\n"),
    "device": lambda p: ((p / "studies.csv").unlink(), os.symlink("/dev/zero", p / "studies.csv")),
    "missing column": lambda p: (p / "factors.csv").write_text(
        "\n".join(line.split(",", 1)[1] for line in (p / "factors.csv").read_text(encoding="utf-8").splitlines()),
        encoding="utf-8"),
}
WHERE = {"missing": "references.csv", "directory": "references.csv", "latin1": "studies.csv",
         "device": "studies.csv", "missing column": "factors.csv"}


@pytest.mark.parametrize("kind", sorted(CORRUPTIONS))
@pytest.mark.parametrize("command", [["cmocs"], ["paths", "shared_vision", "dissolution"], ["simulate", "--runs", "2"]])
def test_a_broken_package_is_one_line_naming_the_file(pkg, kind, command):
    CORRUPTIONS[kind](pkg)
    _refused(cli(*command, "--data", str(pkg)), WHERE[kind])


def test_a_spreadsheet_bom_is_read_as_the_spreadsheet_meant(pkg):
    for name in ("cmocs.csv", "contexts.csv", "factors.csv"):
        path = pkg / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    shipped = cli("cmocs", "--format", "csv")
    with_bom = cli("cmocs", "--format", "csv", "--data", str(pkg))
    assert with_bom.returncode == 0 and with_bom.stdout == shipped.stdout
    assert cli("simulate", "--runs", "2", "--data", str(pkg)).returncode == 0


@pytest.mark.parametrize("args", [
    ["simulate", "--scenario", "a" * 256], ["explain", "--scenario", "b" * 300 + ".yaml"],
    ["cmocs", "--data", "c" * 300], ["simulate", "--scenario", ""], ["simulate", "--scenario", "/tmp"],
])
def test_odd_paths_are_refused_in_one_line(args):
    _refused(cli(*args))


def test_a_huge_scenario_file_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.yaml"
    with big.open("wb") as fh:
        fh.truncate(1_500_000_000)  # sparse: costs no disk
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = cli("simulate", "--scenario", str(big))
    _refused(proc, "64 kB")
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert max(before, peak_kb) < 400_000  # far below the 1.5 GB a full read would take


def _descriptor(pkg: Path) -> dict:
    import json

    return json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))


def _write_descriptor(pkg: Path, data: object) -> None:
    import json

    (pkg / "datapackage.json").write_text(json.dumps(data), encoding="utf-8")


def _first_resource(pkg: Path, change) -> None:
    d = _descriptor(pkg)
    d["resources"][0] = change(d["resources"][0])
    _write_descriptor(pkg, d)


VALIDATE_BREAKAGES = {
    "latin-1 csv": (lambda p: (p / "studies.csv").write_bytes((p / "studies.csv").read_bytes() + b"x,\xe9\n"),
                    "studies.csv"),
    "latin-1 descriptor": (lambda p: (p / "datapackage.json").write_bytes(
        (p / "datapackage.json").read_bytes().replace(b'"title"', b'"t\xeftle"', 1)), "datapackage.json"),
    "descriptor is a list": (lambda p: _write_descriptor(p, []), "resources"),
    "no resources": (lambda p: _write_descriptor(p, {**_descriptor(p), "resources": []}), "resources"),
    "resource without name": (lambda p: _first_resource(p, lambda r: {k: v for k, v in r.items() if k != "name"}),
                              "resources[0].name"),
    "resource is text": (lambda p: _first_resource(p, lambda r: "cmocs"), "resources[0].name"),
    "path outside": (lambda p: _first_resource(p, lambda r: {**r, "path": "../../../../etc/passwd"}),
                     "resources[0].path"),
    "absolute path": (lambda p: _first_resource(p, lambda r: {**r, "path": "/etc/hostname"}), "resources[0].path"),
    "schema outside": (lambda p: _first_resource(p, lambda r: {**r, "schema": "../../etc/passwd"}),
                       "outside the package"),
    "device csv": (lambda p: ((p / "studies.csv").unlink(), os.symlink("/dev/zero", p / "studies.csv")),
                   "studies.csv"),
}


@pytest.mark.parametrize("kind", sorted(VALIDATE_BREAKAGES))
def test_validate_names_what_is_wrong_in_one_line_each(pkg, kind):
    breakage, words = VALIDATE_BREAKAGES[kind]
    breakage(pkg)
    _refused(cli("validate", str(pkg)), words)


def test_a_schema_kept_in_its_own_file_is_valid(pkg):
    import json

    d = _descriptor(pkg)
    studies = next(r for r in d["resources"] if r["name"] == "studies")
    (pkg / "studies.schema.json").write_text(json.dumps(studies["schema"]), encoding="utf-8")
    studies["schema"] = "studies.schema.json"
    _write_descriptor(pkg, d)
    proc = cli("validate", str(pkg))
    assert proc.returncode == 0, proc.stderr
    assert "is valid" in proc.stdout


def test_a_spreadsheet_bom_validates_as_frictionless_says(pkg):
    for name in ("cmocs.csv", "studies.csv"):
        (pkg / name).write_bytes(b"\xef\xbb\xbf" + (pkg / name).read_bytes())
    proc = cli("validate", str(pkg))
    assert proc.returncode == 0, proc.stderr[-2000:]


def test_scenario_names_are_never_wrapped_in_the_table():
    proc = cli("scenarios")
    assert proc.returncode == 0
    assert any(line.startswith("integrated_care_partnership ") for line in proc.stdout.splitlines())


def test_a_second_yaml_document_is_said_plainly():
    from iockit.errors import IockitError
    from iockit.sim.scenarios import parse_scenario

    with pytest.raises(IockitError) as err:
        parse_scenario("contexts:\n  ambition: 0.5\n---\ncontexts: {}\n")
    assert "more than one document" in err.value.message and "(it " not in err.value.message
