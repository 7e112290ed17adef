"""The Voila server behind ``iockit dashboard``; it runs in its own process: ``python -m iockit._voila_app``.

Standalone Voila 0.5 with three changes a class needs (``iockit.serve`` imports nothing from here):

- **The page sets the ``_xsrf`` cookie.** Voila's page-close beacon echoes that cookie to shut its kernel
  down, but standalone Voila never sets it, so the beacon fails the XSRF check and the kernel leaks
  (voila#1458). Here the page handler sets it (tornado does so when a handler reads ``xsrf_token``), so the
  check stays on and a closed page gives its kernel back at once.
- **Preheated kernels warm one at a time, in the lecture plan's order**, pausing while a learner's page is
  being opened, instead of all at once (16 kernels starting together on 2 cores left pages blank for
  minutes and lost kernels to "Address already in use"). A page whose kernel is not warm yet gets a fresh
  kernel at once rather than waiting in the queue.
- **Voila stops itself when ``iockit dashboard`` is gone**, however it ended, so no server is left holding
  the port.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

from .serve import PREHEAT_ORDER, TEMPLATE_ROOT

QUIET_SECONDS = 5.0      # warm nothing until this long after a page was requested
PARENT_CHECK_MS = 2000   # how often Voila looks whether iockit dashboard is still there
WARM_TIMEOUT_SECONDS = 120.0  # a kernel not warm by then is left to finish on its own; the queue moves on


def _rank(notebook: str) -> int:
    name = Path(notebook).as_posix()
    return PREHEAT_ORDER.index(name) if name in PREHEAT_ORDER else len(PREHEAT_ORDER)


def waits_for_its_page(kernel_id: str) -> bool:
    """The kernel has asked for its page's request (Voila 0.5's preheat protocol), so it is as warm as it gets."""
    from voila.request_info_handler import RequestInfoSocketHandler

    return kernel_id in RequestInfoSocketHandler._waiters


def _event_loop() -> asyncio.AbstractEventLoop:
    try:  # as Voila's own pool does: the server's loop is set but not yet running when pools are first filled
        return asyncio.get_event_loop()
    except RuntimeError:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        return loop


class StaggeredWarmUp:
    """Mixed in before Voila's preheating kernel manager: its pools are filled one notebook at a time."""

    def __init__(self, **kwargs):
        self._queue: list[tuple[str, dict]] = []   # notebooks waiting for a warm kernel, best first
        self._worker: asyncio.Task | None = None
        self._last_request = 0.0
        self._warming = False
        super().__init__(**kwargs)

    def fill_if_needed(self, delay=None, notebook_name=None, extra_kernel_env_variables=None, **kwargs):
        if self._warming or notebook_name is None:
            return super().fill_if_needed(0, notebook_name, extra_kernel_env_variables or {}, **kwargs)
        if all(name != notebook_name for name, _ in self._queue):
            self._queue.append((notebook_name, kwargs))
            self._queue.sort(key=lambda item: _rank(item[0]))
        if self._worker is None or self._worker.done():
            self._worker = _event_loop().create_task(self._warm_all())
        return None

    async def _warm_all(self) -> None:
        while self._queue:
            while time.monotonic() - self._last_request < QUIET_SECONDS:
                await asyncio.sleep(0.5)
            name, kwargs = self._queue.pop(0)
            self._warming = True
            try:
                super().fill_if_needed(0, name, {}, **kwargs)
            finally:
                self._warming = False
            for item in list(self._pools.get(name, [])):
                await self._rendered(name, item)

    async def _rendered(self, name: str, item: asyncio.Future) -> None:
        """Wait until the kernel behind ``item`` has run its notebook as far as it can before a page asks for
        it (a dashboard waits there for the page's link); if it failed, drop it from the pool."""
        try:
            content = await asyncio.shield(item)
            render, kernel_id = content["task"], content["kernel_id"]
            deadline = time.monotonic() + WARM_TIMEOUT_SECONDS
            while not render.done() and not waits_for_its_page(kernel_id):
                if time.monotonic() > deadline:
                    return
                await asyncio.sleep(0.25)
            if render.done():
                render.result()
        except Exception:
            self.log.warning("iockit: could not warm a kernel for %s; its page starts one when opened", name)
            pool = self._pools.get(name, [])
            if item in pool:
                pool.remove(item)

    def get_pool_size(self, notebook_name: str) -> int:
        pool = self._pools.get(notebook_name, [])
        pool[:] = [f for f in pool if not (f.done() and (f.cancelled() or f.exception() is not None))]
        return len(pool)

    async def get_rendered_notebook(self, *args, **kwargs):
        self._last_request = time.monotonic()
        return await super().get_rendered_notebook(*args, **kwargs)

    async def start_kernel(self, *args, **kwargs):
        # only a page's own (not preheated) kernel comes here: warming calls the base class directly
        self._last_request = time.monotonic()
        return await super().start_kernel(*args, **kwargs)

    async def shutdown_all(self, *args, **kwargs):
        self._queue.clear()
        if self._worker is not None:
            self._worker.cancel()
        return await super().shutdown_all(*args, **kwargs)


def staggered(base: type) -> type:
    """``base`` (Voila's preheating kernel manager) warming its pools one notebook at a time."""
    return type("StaggeredKernelManager", (StaggeredWarmUp, base), {})


def _page_handler(handler: type) -> type:
    """Voila's page handler, setting the _xsrf cookie that the page-close beacon echoes."""
    import tornado.web

    class PageHandler(handler):
        @tornado.web.authenticated
        async def get(self, path=None):
            self.xsrf_token  # noqa: B018  (reading it makes tornado set the cookie)
            await super().get(path=path)

    return PageHandler


def app_class() -> type:
    """Voila's application with the page handler, kernel manager and parent watch described above."""
    import voila.app as voila_app
    from voila.tornado.handler import TornadoVoilaHandler

    page_handler = _page_handler(TornadoVoilaHandler)

    class IockitVoila(voila_app.Voila):
        def init_settings(self):
            factory = voila_app.voila_kernel_manager_factory

            def staggered_factory(base, preheat, *args, **kwargs):
                made = factory(base, preheat, *args, **kwargs)
                return staggered(made) if preheat else made

            voila_app.voila_kernel_manager_factory = staggered_factory
            try:
                return super().init_settings()
            finally:
                voila_app.voila_kernel_manager_factory = factory

        def init_handlers(self):
            return [(h[0], page_handler, *h[2:]) if h[1] is TornadoVoilaHandler else h for h in super().init_handlers()]

        def listen(self):
            _stop_when_orphaned(self)
            super().listen()

    return IockitVoila


def _stop_when_orphaned(app) -> None:
    """Stop Voila's loop (it then shuts its kernels down) once the process that started it has gone."""
    import tornado.ioloop

    parent = os.getppid()

    def parent_gone() -> None:
        if os.getppid() != parent:
            app.log.info("iockit dashboard has stopped; stopping Voila and its kernels")
            tornado.ioloop.IOLoop.current().stop()

    tornado.ioloop.PeriodicCallback(parent_gone, PARENT_CHECK_MS).start()


def main(argv: list[str] | None = None) -> None:
    # Voila finds templates on the Jupyter data path: put iockit's (no font CDN) first
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(TEMPLATE_ROOT), os.environ.get("JUPYTER_PATH")]))
    app_class().launch_instance(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
