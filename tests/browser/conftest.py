"""A real Voila server (iockit's own command line for it) and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from pageprobe import BENIGN, close, refuse_outside  # the messages a healthy Voila page prints

from iockit.serve import free_port, voila_command, wait_until_up

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.browser


def _serve(env_extra: dict[str, str]):
    port = free_port()
    env = {**os.environ, **env_extra}
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / f"voila-{port}.log"
    log = log_path.open("w")
    proc = subprocess.Popen(voila_command(port, pool_size=0), stdout=log, stderr=subprocess.STDOUT, env=env)
    if not wait_until_up(port, proc=proc, timeout=120):
        proc.kill()
        log.close()
        raise RuntimeError("voila did not start: " + log_path.read_text()[-2000:])
    return proc, port, log


def _stop(proc, log) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="session")
def voila():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run the README's test command (bash scripts/test)")
    proc, port, log = _serve({})
    yield f"http://127.0.0.1:{port}"
    _stop(proc, log)


@pytest.fixture(scope="session")
def voila_no_diagram():
    proc, port, log = _serve({"IOCKIT_NO_CYTOSCAPE": "1"})
    yield f"http://127.0.0.1:{port}"
    _stop(proc, log)


@pytest.fixture(scope="session")
def browser_context():
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(tempfile.mkdtemp(prefix="iockit-chromium-"), executable_path=CHROMIUM,
                                                   headless=True, args=FLAGS, viewport={"width": 1400, "height": 1000})
        ctx.outside_requests = []   # nothing may leave the machine: each page refuses and records such requests
        yield ctx
        ctx.close()


class Page:
    """A dashboard page that records every console message and page error."""

    def __init__(self, ctx, url: str, ready: str = ".iockit h2") -> None:
        self.page = ctx.new_page()
        refuse_outside(self.page, ctx.outside_requests)
        self._outside_before = len(ctx.outside_requests)
        self.problems: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.goto(url, wait_until="domcontentloaded")
        self.page.wait_for_selector(ready, timeout=120_000)
        self.page.wait_for_timeout(1500)

    def _console(self, msg) -> None:
        if msg.type in ("error", "warning") and not any(b in msg.text for b in BENIGN):
            self.problems.append(f"console {msg.type}: {msg.text[:300]}")

    def assert_healthy(self) -> None:
        outside = self.page.context.outside_requests[self._outside_before:]
        assert outside == [], f"requests that left 127.0.0.1: {outside}"
        body = self.page.inner_text("body")
        for bad in ("Traceback", "Error displaying widget", "model not found", "There was an error when executing cell"):
            assert bad not in body, bad
        assert self.page.locator(".jupyter-widgets-error-widget").count() == 0, "a widget failed to render"
        assert self.problems == [], self.problems

    def screenshot(self, name: str) -> None:
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def close(self) -> None:
        close(self.page)


@pytest.fixture
def open_page(browser_context):
    pages = []

    def _open(url: str, ready: str = ".iockit h2") -> Page:
        p = Page(browser_context, url, ready)
        pages.append(p)
        return p

    yield _open
    for p in pages:
        p.close()
