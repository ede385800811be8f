"""One Chromium kept open for drawing figures as images (kaleido), shared by every caller.

Starting kaleido's Chromium costs seconds, a drawing well under one (measured here: about 4 s for an image
in a new browser, 0.3 s in a kept one). The browser lives on one background thread with its own event
loop; any thread may ask for an image and waits for its own answer, one image at a time, so two sessions
exporting at once never get each other's file. The browser is closed after IDLE_S unused and after any
failure. A kept browser that fails (it died while idle, say) is replaced and the image drawn again in the
new one; a new browser that fails, or an image that takes longer than TIMEOUT_S, raises to the caller
(the hung browser is killed). A dead or hung browser never leaves every later export hanging."""

from __future__ import annotations

import asyncio
import atexit
import base64
import concurrent.futures
import contextlib
import os
import signal
import tempfile
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

IDLE_S = 300.0  # a browser unused this long is closed: a server does not keep Chromium for nothing
TIMEOUT_S = 60.0  # one image, including a browser start on a busy machine
# The laid-out page's height in CSS pixels, once its fonts are in.
BOTTOM = "document.fonts.ready.then(() => Math.ceil(document.body.getBoundingClientRect().bottom))"


class ImageError(RuntimeError):
    """The browser did not draw the image (it failed, died or took longer than TIMEOUT_S)."""


class Drawer:
    """The kept browser. `draw` is safe to call from any thread."""

    def __init__(self, idle_s: float = IDLE_S, timeout_s: float = TIMEOUT_S) -> None:
        self.idle_s = idle_s
        self.timeout_s = timeout_s
        self.starts = 0  # browsers started so far (a test reads it to see the browser kept)
        self._kaleido: Any = None
        self._lock = asyncio.Lock()  # bound to the drawer's loop on first use
        self._idle: asyncio.TimerHandle | None = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="acumap-images", daemon=True)
        self._thread.start()

    def draw(self, fig: dict, opts: dict) -> bytes:
        """`fig`: a figure as a dict; `opts`: kaleido's format, width, height and scale."""
        return self._wait(lambda kaleido: kaleido.calc_fig(fig, opts=opts))

    def print_pdf(self, html: str, viewport: tuple[int, int], options: Callable[[int], dict]) -> bytes:
        """`html` laid out in a tab of `viewport` CSS pixels (print media), printed to PDF. `options(tall)`
        gives Chromium's print options (Page.printToPDF) once the page's height `tall` is known."""
        return self._wait(lambda kaleido: _print(kaleido, html, viewport, options))

    def _wait(self, work: Callable[[Any], Awaitable[bytes]]) -> bytes:
        future = asyncio.run_coroutine_threadsafe(self._run(work), self._loop)
        try:
            return future.result(self.timeout_s)
        except concurrent.futures.TimeoutError:
            # Killed from here: the loop may be waiting on the hung browser, and kaleido finishes its own
            # clean-up (on that browser) before a cancellation reaches us. Its calls then fail at once.
            self._kill(self._kaleido)
            future.cancel()
            raise ImageError(f"the image took longer than {self.timeout_s:.0f} s") from None

    def close(self) -> None:
        """Close the browser (if one is open); the drawer stays usable."""
        if self._loop.is_running():
            closing = asyncio.run_coroutine_threadsafe(self._close_now(), self._loop)
            with contextlib.suppress(concurrent.futures.TimeoutError):
                closing.result(self.timeout_s)  # past it, _close has killed the browser's processes

    @property
    def pid(self) -> int | None:
        """The open browser's process id, which is also its process group's; None when none is open."""
        process = getattr(self._kaleido, "subprocess", None)
        return process.pid if process is not None else None

    async def _run(self, work: Callable[[Any], Awaitable[bytes]]) -> bytes:
        async with self._lock:
            if self._idle is not None:
                self._idle.cancel()
            try:
                while True:
                    fresh = self._kaleido is None
                    try:
                        if fresh:
                            await self._open()
                        return await work(self._kaleido)
                    except Exception:
                        await self._close()  # a failed draw may have left the browser broken
                        if fresh:
                            raise
                        # A kept browser failed (it may have died while idle): once more in a new one.
            except asyncio.CancelledError:
                await self._close()  # the caller gave up (TIMEOUT_S): the browser may be hung
                raise
            finally:
                self._idle = self._loop.call_later(self.idle_s, self._close_when_idle)

    async def _open(self) -> None:
        from kaleido import Kaleido  # loaded only when an image is first asked for

        self._kaleido = Kaleido(n=1, timeout=self.timeout_s)  # kept before it opens: a failed start is closed too
        self.starts += 1
        await self._kaleido.open()

    async def _close(self) -> None:
        kaleido, self._kaleido = self._kaleido, None
        if kaleido is not None:
            try:
                await asyncio.wait_for(kaleido.close(), self.timeout_s)
            except Exception:  # noqa: BLE001 - a browser that will not close: end its processes
                self._kill(kaleido)

    @staticmethod
    def _kill(kaleido: Any) -> None:
        process = getattr(kaleido, "subprocess", None)  # the browser runs in a process group of its own
        if process is not None:
            with contextlib.suppress(OSError):
                os.killpg(process.pid, signal.SIGKILL)

    async def _close_now(self) -> None:
        async with self._lock:
            await self._close()

    def _close_when_idle(self) -> None:
        if not self._lock.locked():  # else the running draw sets a new timer as it ends
            self._loop.create_task(self._close_now())


_drawer: Drawer | None = None
_made = threading.Lock()


def drawer() -> Drawer:
    """The process's one drawer, made on first use; its browser is closed when the process exits."""
    global _drawer
    with _made:
        if _drawer is None:
            _drawer = Drawer()
            atexit.register(_drawer.close)
        return _drawer


async def _print(kaleido: Any, html: str, viewport: tuple[int, int], options: Callable[[int], dict]) -> bytes:
    """A tab of the kept browser of its own (kaleido's tabs keep their plotting page), closed after."""
    tab = await kaleido.create_tab("about:blank")
    try:
        with tempfile.TemporaryDirectory(prefix="acumap-print-") as folder:
            page = Path(folder) / "page.html"
            page.write_text(html, encoding="utf-8")
            await _call(tab, "Page.enable")
            await _call(tab, "Emulation.setDeviceMetricsOverride",
                        {"width": viewport[0], "height": viewport[1], "deviceScaleFactor": 1, "mobile": False})
            await _call(tab, "Emulation.setEmulatedMedia", {"media": "print"})
            loaded = tab.subscribe_once("Page.loadEventFired")
            await _call(tab, "Page.navigate", {"url": page.as_uri()})
            await loaded  # images included (the card's diagram is one)
            tall = await _call(tab, "Runtime.evaluate",
                               {"expression": BOTTOM, "awaitPromise": True, "returnByValue": True})
            printed = await _call(tab, "Page.printToPDF", options(int(tall["result"]["value"])))
            return base64.b64decode(printed["data"])
    finally:
        await kaleido.close_tab(tab.target_id)


async def _call(tab: Any, command: str, params: dict | None = None) -> dict:
    """One DevTools command on `tab`; its result, or an ImageError with Chromium's own message."""
    response = await tab.send_command(command, params=params)
    if "error" in response:
        raise ImageError(f"{command}: {response['error'].get('message', response['error'])}")
    return response.get("result", {})
