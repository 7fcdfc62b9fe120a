"""gunicorn's threaded worker, made to take its share of new connections rather than all it can.

Only gunicorn imports this (``worker_class`` in gunicorn.conf.py); nothing in the app does.

gunicorn's ``gthread`` workers all wait on the one listening socket and each accepts
whatever it is woken for, up to ``worker_connections`` (1,000). When many connections
arrive at once, the workers that happen to get the CPU first take most of them and keep
them for as long as the clients keep them alive: 32 kept-alive clients were seen spread
16, 2, 1, 12, 1 over five workers, so the clients of two workers queued behind each other
while three workers idled, and the 99th percentile of latency grew with the queue.

:class:`SharingThreadWorker` paces itself instead: once it holds as many connections as
it has threads, it leaves the listening socket alone for a short pause after each
accept, so that a worker with room takes the next one. Nothing is refused and no
connection is closed (a hard cap on connections per worker made clients time out while
a worker restarted, and closing connections to move them cost every request a new one):
at worst a new connection waits in the listen queue for one pause.
"""

from __future__ import annotations

import time

from gunicorn.workers.gthread import ThreadWorker

#: Seconds a worker that holds a connection per thread waits before it accepts another.
ACCEPT_PAUSE = 0.005


class SharingThreadWorker(ThreadWorker):
    """``gthread``, pausing its accepts while it already holds a connection per thread."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.accept_paused_until = 0.0

    def accept(self, listener):
        super().accept(listener)
        if self.nr_conns >= self.cfg.threads and self.cfg.workers > 1:
            self.accept_paused_until = time.monotonic() + ACCEPT_PAUSE
            self.set_accept_enabled(False)

    def set_accept_enabled(self, enabled):
        # gunicorn's loop turns accepting back on whenever the worker has room for more:
        # not until the pause is over.
        if enabled and time.monotonic() < self.accept_paused_until:
            return
        super().set_accept_enabled(enabled)

    def wait_for_and_dispatch_events(self, timeout):
        # Wake up when the pause ends even if nothing else happens meanwhile, so a new
        # connection never waits for longer than the pause on this worker's account.
        pause_left = self.accept_paused_until - time.monotonic()
        if not self._accepting and pause_left > 0:
            timeout = min(timeout, pause_left)
        super().wait_for_and_dispatch_events(timeout)
