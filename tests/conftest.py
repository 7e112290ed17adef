from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT / "datasets"


def _seeds() -> Path | None:
    for cand in (os.environ.get("IOCKIT_SEEDS"), ROOT.parent / "shared" / "seeds", ROOT / "shared" / "seeds"):
        if cand and (Path(cand) / "realist_review_syst_rev_2021_fulltext.txt").is_file():
            return Path(cand)
    return None


SEEDS = _seeds()


@pytest.fixture(scope="session")
def theory():
    from iockit.theory import load_theory

    return load_theory()


@pytest.fixture(scope="session")
def web(theory):
    from iockit.web import build_web

    return build_web(theory)


@pytest.fixture(scope="session")
def fulltext() -> list[str]:
    if SEEDS is None:
        pytest.skip("seed texts not found (set IOCKIT_SEEDS or check out shared/ beside the repo)")
    return (SEEDS / "realist_review_syst_rev_2021_fulltext.txt").read_text(encoding="utf-8").split("\n")


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped data package, to break in tests."""
    dst = tmp_path / "pkg"
    shutil.copytree(DATASETS, dst, ignore=shutil.ignore_patterns("scenarios"))
    return dst
