"""factcheck.serving: a real gunicorn with the sharing worker spreads a burst of kept-alive
connections over its workers, and answers every one of them."""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")

# A WSGI app that says which process answered: enough to see where each connection went.
PID_APP = '''
import os, time

def app(environ, start_response):
    time.sleep(0.002)
    body = str(os.getpid()).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
'''


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(tmp_path: Path, worker_class: str, workers: int):
    (tmp_path / "pidapp.py").write_text(PID_APP)
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as out:  # (the server keeps its own copy of the file)
        server = subprocess.Popen(
            [str(GUNICORN), "--chdir", str(tmp_path), "--pythonpath", str(ROOT), "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--threads", "2", "--worker-class", worker_class,
             "--keep-alive", "30", "--log-level", "warning", "pidapp:app"],
            stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    seen: set[str] = set()
    # Every worker up (each answers some of many short connections) before the burst.
    while len(seen) < workers:
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            server.wait()
            pytest.fail(f"gunicorn did not start {workers} workers: {log.read_text()[-2000:]}")
        try:
            seen.add(_get(http.client.HTTPConnection("127.0.0.1", port, timeout=5), close=True))
        except OSError:
            time.sleep(0.1)
    return server, port


def _get(connection: http.client.HTTPConnection, *, close: bool = False) -> str:
    connection.request("GET", "/", headers={"Connection": "close"} if close else {})
    response = connection.getresponse()
    assert response.status == 200
    return response.read().decode()


@pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed in this environment")
def test_a_burst_of_kept_alive_connections_is_shared_by_every_worker(tmp_path):
    workers, clients = 4, 24
    server, port = _serve(tmp_path, "factcheck.serving.SharingThreadWorker", workers)
    try:
        # All connect at once (the kernel queues them until a worker accepts), then each asks.
        connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(clients)]
        for connection in connections:
            connection.connect()
        held = Counter(_get(connection) for connection in connections)
        # Kept alive: the next request on each connection goes to the same worker.
        again = [_get(connection) for connection in connections]
        for connection in connections:
            connection.close()
    finally:
        server.terminate()
        server.wait(timeout=30)

    assert sum(held.values()) == clients
    assert len(held) == workers, f"a worker took no connection: {sorted(held.values())}"
    # A worker takes one connection per thread at once, then one per pause: no worker
    # ends up with most of them (gthread itself was seen giving one worker all 32).
    assert max(held.values()) <= clients // 2, sorted(held.values())
    assert Counter(again) == held
