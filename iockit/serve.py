"""``iockit dashboard``: serve the dashboards with Voila (standalone), bound to 127.0.0.1.

Voila runs in a subprocess (``iockit._voila_app``, Voila with the changes a class needs); this module
imports nothing from Jupyter. Kernels are preheated one page at a time in the lecture plan's order, a
closed page gives its kernel back at once (XSRF protection stays on), idle kernels are culled, and
stopping ``iockit dashboard`` (Ctrl-C, SIGTERM, SIGHUP) stops Voila and every kernel.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import webbrowser
from pathlib import Path
from typing import IO

from ._data import shipped_dir
from .errors import IockitError

CULL_IDLE_SECONDS = 3600   # a kernel with no page for an hour is stopped (a closed page stops its own at once)
CULL_INTERVAL_SECONDS = 300
IOPUB_TIMEOUT_SECONDS = 60  # Voila's default (4 s) drops a busy kernel's widget output: a blank page
STOP_TIMEOUT_SECONDS = 20.0
TEMPLATE = "iockit"        # Voila's lab template without the Font Awesome CDN links (Voila bundles the fonts)
TEMPLATE_ROOT = Path(__file__).resolve().parent / "_jupyter"

#: Pages in the order their kernels are preheated: the 60-minute lecture's pages in the order it opens them
#: (docs/teaching/lecture-60.md), then the other dashboards, the workshop view and the other lessons.
PREHEAT_ORDER = [
    "index.ipynb", "lessons/01_realist_basics.ipynb", "lessons/02_trust_loop.ipynb",
    "01_trust_building_loop.ipynb", "04_cmoc_browser.ipynb", "06_trust_to_confidence.ipynb",
    "02_inertia_vs_synergy.ipynb", "03_web_of_causality.ipynb", "05_compare_two_contexts.ipynb",
    "07_lifecycle_and_entry_points.ipynb", "08_which_contexts_matter.ipynb", "workshop.ipynb", "lessons/00_questionnaire.ipynb",
    "lessons/03_inertia_synergy.ipynb", "lessons/04_conflict_power_culture.ipynb",
    "lessons/05_mandated_confidence.ipynb", "lessons/06_lifecycle.ipynb",
]


def notebooks_dir() -> Path:
    return shipped_dir("notebooks", "index.ipynb")


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
        return True


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def voila_command(port: int, host: str = "127.0.0.1", pool_size: int = 1) -> list[str]:
    """The command line of the Voila server that serves every dashboard notebook."""
    return [sys.executable, "-m", "iockit._voila_app", str(notebooks_dir()), f"--port={port}", "--no-browser",
            f"--Voila.ip={host}", f"--VoilaConfiguration.template={TEMPLATE}",
            "--VoilaConfiguration.preheat_kernel=True",
            f"--VoilaConfiguration.default_pool_size={pool_size}",
            "--VoilaConfiguration.show_tracebacks=False",
            f"--VoilaExecutor.iopub_timeout={IOPUB_TIMEOUT_SECONDS}",
            f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_SECONDS}",
            f"--MappingKernelManager.cull_interval={CULL_INTERVAL_SECONDS}",
            "--MappingKernelManager.cull_connected=False"]


def index_url(port: int, host: str = "127.0.0.1") -> str:
    return f"http://{host}:{port}/voila/render/index.ipynb"


def wait_until_up(port: int, host: str = "127.0.0.1", timeout: float = 90.0, proc: subprocess.Popen | None = None) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            return False
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.settimeout(0.5)
            if s.connect_ex((host, port)) == 0:
                return True
        time.sleep(0.25)
    return False


def server_processes(pid: int) -> dict[int, str]:
    """Every process started by process ``pid`` (its kernels), with its command line; {} where /proc is absent."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    found: dict[int, str] = {}
    todo = list(children.get(pid, []))
    while todo:
        child = todo.pop()
        with contextlib.suppress(OSError):
            found[child] = (Path("/proc") / str(child) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            todo.extend(children.get(child, []))
    return found


def stop_server(proc: subprocess.Popen, timeout: float = STOP_TIMEOUT_SECONDS) -> int:
    """Stop Voila (it shuts its kernels down); kill it and any kernel still running after ``timeout``."""
    kernels = server_processes(proc.pid)
    proc.terminate()
    try:
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        code = proc.wait()
    for pid, cmdline in kernels.items():  # kernels run in sessions of their own and outlive a killed Voila
        if _cmdline(pid) == cmdline:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
    return code


def _cmdline(pid: int) -> str | None:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None


_STOP_SIGNALS = [getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)]


@contextlib.contextmanager
def _signals_interrupt():
    """SIGTERM and SIGHUP stop the server as Ctrl-C (SIGINT) does; the handlers are restored after."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return
    old = {sig: signal.getsignal(sig) for sig in _STOP_SIGNALS}
    for sig in _STOP_SIGNALS:
        if sig != signal.SIGINT:
            signal.signal(sig, interrupt)
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)


def _check_port(port: int | None) -> int:
    if port is None:
        return 8866 if port_is_free(8866) else free_port()
    if not 1024 <= port <= 65535:
        raise IockitError("--port", port, "a port number from 1024 to 65535")
    if not port_is_free(port):
        raise IockitError("--port", port, "a free port (this one is in use; leave --port out to pick one)")
    return port


def default_log_path(port: int) -> Path:
    return Path(tempfile.gettempdir()) / f"iockit-dashboard-{port}.log"


class LogRelay:
    """Voila's and its kernels' output: every line to the log file; to the terminal only the lines that say
    something went wrong (``ERROR``/``CRITICAL``) while the server runs. Once stopping has begun, nothing
    more reaches the terminal: kernels stopped mid-start print tracebacks that are noise to a lecturer
    (they stay in the log)."""

    def __init__(self, stream: IO[bytes], log_path: Path, terminal: IO[str] | None = None) -> None:
        self.stream, self.log_path, self.terminal = stream, log_path, terminal or sys.stderr
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._relay, name="iockit-log-relay", daemon=True)

    def start(self) -> LogRelay:
        self.thread.start()
        return self

    def _relay(self) -> None:
        with self.log_path.open("ab") as log:
            for line in iter(self.stream.readline, b""):
                log.write(line)
                log.flush()
                if not self.stopping.is_set() and _worth_showing(line):
                    print(line.decode("utf-8", "replace").rstrip(), file=self.terminal, flush=True)


def _worth_showing(line: bytes) -> bool:
    return b" ERROR " in line or b" CRITICAL " in line


def dashboard(port: int | None = None, open_browser: bool = True, pool_size: int = 1,
              log_path: str | Path | None = None) -> int:
    """Serve the dashboards until interrupted; returns Voila's exit code. Voila's log goes to ``log_path``
    (default: ``iockit-dashboard-PORT.log`` in the temporary directory); the terminal shows the address and
    what goes wrong."""
    if importlib.util.find_spec("voila") is None:
        raise IockitError("dashboard", "voila", "an installation with the dashboards: pip install 'iockit[dashboard]'")
    port = _check_port(port)
    log = _check_log(log_path, port)
    with _signals_interrupt():
        # its own session: a signal reaches Voila only through us, so it is stopped once, in order
        proc = subprocess.Popen(voila_command(port, pool_size=pool_size), start_new_session=True,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        relay = LogRelay(proc.stdout, log).start()  # type: ignore[arg-type]
        try:
            if wait_until_up(port, proc=proc):
                url = index_url(port)
                print(f"iockit dashboards: {url}  (Ctrl-C to stop; server log: {log})", flush=True)
                if open_browser:
                    webbrowser.open(url)
            return proc.wait()
        except KeyboardInterrupt:
            for sig in _STOP_SIGNALS:  # a second Ctrl-C must not cut the stop short
                signal.signal(sig, signal.SIG_IGN)
            relay.stopping.set()
            print("iockit dashboards: stopping ...", flush=True)
            return stop_server(proc)


def _check_log(log_path: str | Path | None, port: int) -> Path:
    path = Path(log_path) if log_path else default_log_path(port)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.open("ab").close()
    except OSError as exc:
        raise IockitError("--log", str(path), f"a file that can be written ({exc.strerror or exc})") from None
    return path
