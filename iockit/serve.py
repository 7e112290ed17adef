"""``iockit dashboard``: serve the dashboards with Voila (standalone), bound to 127.0.0.1.

Preheated kernels make a dashboard open fast; idle kernels are culled so a long workshop does not
exhaust memory. Imports nothing from Jupyter: Voila runs in a subprocess.
"""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import time
import webbrowser
from pathlib import Path

from ._data import shipped_dir
from .errors import IockitError

CULL_IDLE_SECONDS = 3600   # a dashboard idle for an hour gives its kernel back
CULL_INTERVAL_SECONDS = 300


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
    """The Voila command line that serves every dashboard notebook."""
    return [sys.executable, "-m", "voila", str(notebooks_dir()), f"--port={port}", "--no-browser",
            f"--Voila.ip={host}", "--VoilaConfiguration.preheat_kernel=True",
            f"--VoilaConfiguration.default_pool_size={pool_size}",
            "--VoilaConfiguration.show_tracebacks=False",
            f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_SECONDS}",
            f"--MappingKernelManager.cull_interval={CULL_INTERVAL_SECONDS}",
            "--MappingKernelManager.cull_connected=False",
            # Voila 0.5 shuts a kernel down when its page closes, but that request fails the XSRF check
            # (voila#1458) and the kernel leaks (~105 MB) until culled. The server binds to 127.0.0.1 only,
            # so we switch the check off rather than leak memory through a long workshop.
            "--Voila.tornado_settings=disable_check_xsrf=True"]


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


def dashboard(port: int | None = None, open_browser: bool = True, pool_size: int = 1) -> int:
    """Serve the dashboards until interrupted; returns Voila's exit code."""
    if importlib.util.find_spec("voila") is None:
        raise IockitError("dashboard", "voila", "an installation with the dashboards: pip install 'iockit[dashboard]'")
    if port is None:
        port = 8866 if port_is_free(8866) else free_port()
    elif not 1024 <= port <= 65535:
        raise IockitError("--port", port, "a port number from 1024 to 65535")
    elif not port_is_free(port):
        raise IockitError("--port", port, "a free port (this one is in use; leave --port out to pick one)")
    proc = subprocess.Popen(voila_command(port, pool_size=pool_size))
    try:
        if wait_until_up(port, proc=proc):
            url = index_url(port)
            print(f"iockit dashboards: {url}  (Ctrl-C to stop)", flush=True)
            if open_browser:
                webbrowser.open(url)
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        try:
            return proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            return 0
