"""A real HTTP server on loopback that serves pages chosen per test."""

from __future__ import annotations

import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARTICLE_HTML = """<!doctype html><html><head><title>Harbour Bridge Vote | The Test Courier</title>
<meta property="og:site_name" content="The Test Courier">
<meta property="article:published_time" content="2026-10-02T09:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/weather">Weather</a></nav>
<div class="cookie">We use cookies to improve your experience. Accept all</div>
<article><h1>Harbour Bridge Vote</h1>
<p>The city council voted on Tuesday to fund emergency repairs to the Harbour Bridge after a month of argument.</p>
<p>"We cannot keep patching a structure that carries forty thousand cars a day," said Mayor Ingrid Halvorsen, who has pushed for the repairs since the spring.</p>
<p>Councillor Tomas Brennick, who voted against the plan, said the engineering report was alarmist and that small businesses would pay.</p>
<p>"Nobody is against safety," Brennick said. "But the council has not shown its arithmetic to the people who will pay for it."</p>
</article><footer>Leave A Reply. Share. Copyright 2026</footer></body></html>"""


class Routes(dict):
    """path -> callable(handler) that writes the response."""


def html(body: str, status: int = 200, content_type: str = "text/html; charset=utf-8"):
    def respond(handler):
        data = body.encode("utf-8")
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)
    return respond


def redirect(location: str, status: int = 302):
    def respond(handler):
        handler.send_response(status)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
    return respond


def slow(seconds: float):
    def respond(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        handler.wfile.write(b"<html><body><p>start")
        handler.wfile.flush()
        time.sleep(seconds)
        handler.wfile.write(b"</p></body></html>")
    return respond


def big(size: int):
    def respond(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        chunk = b"<p>" + b"x" * 65530 + b"</p>"
        sent = 0
        try:
            while sent < size:
                handler.wfile.write(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
    return respond


def gzip_bomb(size: int):
    payload = gzip.compress(b"<p>" + b"a" * size + b"</p>", compresslevel=9)

    def respond(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Encoding", "gzip")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        try:
            handler.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass
    return respond


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        route = self.server.routes.get(self.path.split("?")[0])
        if route is None:
            html("<p>not found</p>", 404)(self)
        else:
            route(self)

    def log_message(self, *args):
        pass


class LocalServer:
    def __init__(self):
        self.routes = Routes()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.routes = self.routes
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
