"""``iockit dashboard``'s server, launch script and page template, without a browser (issue 13 items 1, 11, 12).

The browser tests (tests/browser/test_class_ready.py) check the same server end to end; these pin the parts
that can be checked in a second: the command line, the warm-up order, the stop, the launch script's stamp.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import ClassVar

import pytest

from iockit import _voila_app
from iockit.serve import (
    PREHEAT_ORDER,
    TEMPLATE,
    TEMPLATE_ROOT,
    notebooks_dir,
    server_processes,
    stop_server,
    voila_command,
)

ROOT = Path(__file__).resolve().parents[2]


def _run_async(coro):
    """asyncio.run in a thread of its own: Playwright's sync API (the browser tests, earlier in the same
    pytest process) leaves an event loop running in the main thread, where asyncio.run refuses to start."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def test_the_server_keeps_xsrf_protection_on_and_uses_the_offline_template():
    cmd = voila_command(8899)
    assert cmd[1:3] == ["-m", "iockit._voila_app"]
    assert not any("xsrf" in part.lower() for part in cmd)
    assert f"--VoilaConfiguration.template={TEMPLATE}" in cmd
    assert any(part.startswith("--VoilaExecutor.iopub_timeout=") and int(part.split("=")[1]) >= 30 for part in cmd)


def test_the_template_extends_voilas_lab_template_and_drops_only_the_cdn_links():
    folder = TEMPLATE_ROOT / "voila" / "templates" / TEMPLATE
    assert json.loads((folder / "conf.json").read_text())["base_template"] == "lab"
    text = (folder / "index.html.j2").read_text()
    assert "extends 'lab/index.html.j2'" in text and "if 'cdn.jsdelivr.net' not in line" in text
    assert "http" not in re.sub(r"\{#.*?#\}", "", text, flags=re.S)   # the template itself names no host


def test_every_notebook_is_preheated_once_the_lecture_plans_pages_first():
    notebooks = sorted(p.relative_to(notebooks_dir()).as_posix() for p in notebooks_dir().rglob("*.ipynb")
                       if ".ipynb_checkpoints" not in p.parts)
    assert sorted(PREHEAT_ORDER) == notebooks
    plan = (ROOT / "docs" / "teaching" / "lecture-60.md").read_text()
    before = plan.split("## Before the lecture")[1].split("\n## ")[0]
    opened = []
    for lesson, dashboard in re.findall(r"lessons/(\d\d_\w+)\.ipynb|dashboard (0\d)", before):
        page = f"lessons/{lesson}.ipynb" if lesson else next(n for n in notebooks if n.startswith(dashboard + "_"))
        if page not in opened:
            opened.append(page)
    assert len(opened) >= 5
    assert PREHEAT_ORDER[: len(opened) + 1] == ["index.ipynb", *opened]


# --- the warm-up: one notebook at a time, in order, pausing for a learner's page -------------------------------

@pytest.fixture(autouse=True)
def _fake_protocol(monkeypatch):
    """A fake kernel is warm once it has logged ("warm", its id)."""
    monkeypatch.setattr(_voila_app, "waits_for_its_page", lambda kernel_id: ("warm", kernel_id) in FakePools.trace)


class FakePools:
    """Voila's preheating kernel manager, reduced to what the warm-up uses: a pool per notebook whose items
    become ready (the kernel waits for its page) a little after they are started."""

    notebooks: ClassVar[list[str]] = ["lessons/06_lifecycle.ipynb", "04_cmoc_browser.ipynb", "index.ipynb",
                                      "01_trust_building_loop.ipynb"]
    trace: ClassVar[list[tuple[str, str]]] = []

    def __init__(self, **kwargs):
        self._pools: dict[str, list] = {}
        self.log = logging.getLogger("test")
        self.events = FakePools.trace = []
        for nb in self.notebooks:
            self.fill_if_needed(delay=0, notebook_name=nb)

    def fill_if_needed(self, delay=None, notebook_name=None, extra_kernel_env_variables=None, **kwargs):
        self.events.append(("start", notebook_name))
        self._pools.setdefault(notebook_name, []).append(asyncio.ensure_future(self._kernel(notebook_name)))

    async def _kernel(self, name: str) -> dict:
        await asyncio.sleep(0.05)
        render = asyncio.get_event_loop().create_future()   # a dashboard's render waits for its page

        async def ready() -> None:
            await asyncio.sleep(0.05)
            self.events.append(("warm", name))
        task = asyncio.ensure_future(ready())
        return {"task": render, "renderer": None, "kernel_id": name, "ready": task}

    async def get_rendered_notebook(self, notebook_name: str, **kwargs):
        return notebook_name

    async def start_kernel(self, **kwargs):
        return "fresh"

    async def shutdown_all(self, *args, **kwargs):
        return None


def test_kernels_warm_one_at_a_time_in_the_lecture_plans_order(monkeypatch):
    monkeypatch.setattr(_voila_app, "QUIET_SECONDS", 0.3)

    async def scenario():
        manager = _voila_app.staggered(FakePools)()
        while len([e for e in manager.events if e[0] == "warm"]) < len(FakePools.notebooks):
            await asyncio.sleep(0.02)
        return manager.events

    events = _run_async(scenario())
    order = sorted(FakePools.notebooks, key=PREHEAT_ORDER.index)
    assert [name for kind, name in events if kind == "start"] == order
    # one at a time: each kernel is warm before the next starts
    assert events == [(kind, name) for name in order for kind in ("start", "warm")]


def test_warming_waits_while_a_page_is_being_opened(monkeypatch):
    monkeypatch.setattr(_voila_app, "QUIET_SECONDS", 0.5)

    async def scenario():
        manager = _voila_app.staggered(FakePools)()
        await manager.start_kernel()          # a learner opens a page with no warm kernel yet
        opened = time.monotonic()
        while not any(kind == "start" for kind, _ in manager.events):
            await asyncio.sleep(0.02)
        return time.monotonic() - opened

    assert _run_async(scenario()) >= 0.45


def test_a_failed_preheat_is_dropped_so_the_page_starts_its_own_kernel():
    async def scenario():
        manager = _voila_app.staggered(FakePools)()
        failed = asyncio.get_event_loop().create_future()
        failed.set_exception(RuntimeError("Address already in use"))
        manager._pools["index.ipynb"] = [failed]
        return manager.get_pool_size("index.ipynb"), list(manager._pools["index.ipynb"])

    assert _run_async(scenario()) == (0, [])


# --- stopping: nothing is left behind --------------------------------------------------------------------------

SERVER = """
import signal, subprocess, sys, time
kernel = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)", "iockit-test-kernel"],
                          start_new_session=True)   # as jupyter_client starts kernels
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))  # a server that exits without stopping its kernel
print(kernel.pid, flush=True)
time.sleep(120)
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_stop_server_leaves_no_kernel_running():
    server = subprocess.Popen([sys.executable, "-c", SERVER], stdout=subprocess.PIPE, text=True)
    kernel = int(server.stdout.readline())
    assert kernel in server_processes(server.pid)
    assert stop_server(server, timeout=10) == 0
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _running(kernel):
        time.sleep(0.1)
    assert not _running(kernel)


def _running(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "zombie" not in status.read_text()


# --- scripts/launch installs only when something it installs from has changed ---------------------------------

FAKE_PYTHON = """#!/bin/sh
echo "python $*" >> "$(dirname "$0")/../../calls.log"
"""
FAKE_IOCKIT = """#!/bin/sh
echo "iockit $*" >> "$(dirname "$0")/../../calls.log"
"""


def _launch(repo: Path) -> list[str]:
    log = repo / "calls.log"
    log.unlink(missing_ok=True)
    subprocess.run(["bash", str(repo / "scripts" / "launch"), "lessons"], check=True, capture_output=True, timeout=60)
    return log.read_text().splitlines()


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_launch_reinstalls_only_when_pyproject_or_the_version_changed(tmp_path):
    repo = tmp_path / "kit"
    (repo / "scripts").mkdir(parents=True)
    (repo / "iockit").mkdir()
    shutil.copy(ROOT / "scripts" / "launch", repo / "scripts" / "launch")
    shutil.copy(ROOT / "pyproject.toml", repo / "pyproject.toml")
    (repo / "iockit" / "__init__.py").write_text('__version__ = "0.1.0"\n')
    bin_dir = repo / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name, body in (("python", FAKE_PYTHON), ("iockit", FAKE_IOCKIT)):
        (bin_dir / name).write_text(body)
        os.chmod(bin_dir / name, 0o755)

    first = _launch(repo)
    assert any("pip install" in c and "-e .[dashboard]" in c for c in first) and first[-1] == "iockit lessons"
    assert _launch(repo) == ["iockit lessons"]                      # nothing changed: straight to iockit
    (repo / "iockit" / "__init__.py").write_text('__version__ = "0.2.0"\n')
    assert any("pip install" in c for c in _launch(repo))           # a new version installs again
    assert _launch(repo) == ["iockit lessons"]
    with (repo / "pyproject.toml").open("a") as f:
        f.write("\n# a new dependency\n")
    assert any("pip install" in c for c in _launch(repo))           # so does a changed pyproject.toml


def test_signals_are_restored_after_the_server_stops():
    from iockit.serve import _signals_interrupt

    before = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    with _signals_interrupt():
        assert signal.getsignal(signal.SIGTERM) is not before[signal.SIGTERM]
    assert {s: signal.getsignal(s) for s in before} == before


FAKE_VOILA = """
import signal, socket, subprocess, sys, time
kernel = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)", "iockit-test-kernel"],
                          start_new_session=True)
print("KERNEL", kernel.pid, flush=True)
print("[IockitVoila] WARNING | Notebook index.ipynb is not trusted", flush=True)
print("[IockitVoila] ERROR | a kernel died", flush=True)
server = socket.socket()
server.bind(("127.0.0.1", int(sys.argv[1])))
server.listen()
def stop(*_):                       # as Voila: shut the kernel down, then exit
    print("Traceback (most recent call last):", file=sys.stderr, flush=True)  # a kernel stopped mid-start
    print("zmq.error.ZMQError: Socket operation on non-socket", file=sys.stderr, flush=True)
    kernel.terminate()
    kernel.wait()
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, signal.SIG_IGN)   # Voila runs in its own session: Ctrl-C never reaches it
time.sleep(120)
"""

DASHBOARD = """
import sys
import iockit.serve as serve
serve.voila_command = lambda port, host="127.0.0.1", pool_size=1: [sys.executable, "-c", FAKE, str(port)]
print("STOPPED", serve.dashboard(int(sys.argv[1]), open_browser=False, log_path=sys.argv[2]), flush=True)
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=["SIGINT", "SIGTERM", "SIGHUP"])
def test_a_signal_to_iockit_dashboard_stops_voila_and_its_kernels(sig, tmp_path):
    from iockit.serve import free_port, port_is_free, wait_until_up

    port = free_port()
    script = DASHBOARD.replace("FAKE", repr(FAKE_VOILA))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    log = tmp_path / "server.log"
    proc = subprocess.Popen([sys.executable, "-c", script, str(port), str(log)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert wait_until_up(port, timeout=30)
        everything = server_processes(proc.pid)
        assert len(everything) == 2   # the server and its kernel
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "STOPPED 0" in out
    # the terminal shows what went wrong while serving, not the noise of kernels stopped mid-start; the log keeps all
    assert "a kernel died" in err and "not trusted" not in err + out and "Traceback" not in err + out
    kept = log.read_text()
    assert "not trusted" in kept and "a kernel died" in kept and "ZMQError" in kept
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(_running(pid) for pid in everything):
        time.sleep(0.1)
    assert [pid for pid in everything if _running(pid)] == []
    assert port_is_free(port)
