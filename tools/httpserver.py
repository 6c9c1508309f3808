"""A tiny HTTP server on 127.0.0.1 for download tests: real sockets, nothing leaves the machine."""

from __future__ import annotations

import contextlib
import http.server
import socket
import threading
from collections import Counter

# How many GET requests each path received, over every server of this process (tests that
# count downloads clear it first).
REQUESTS: Counter[str] = Counter()


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[bytes, str]] = {}

    def do_GET(self):  # noqa: N802 (the standard library's name)
        REQUESTS[self.path] += 1
        body, behaviour = self.routes.get(self.path, (b"", "missing"))
        if behaviour == "missing":
            self.send_error(404)
            return
        if behaviour == "redirect-to-file":  # what a misconfigured mirror or proxy can answer
            self.send_response(302)
            self.send_header("Location", "file:///etc/hostname")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header(
            "Content-Length", "a lot" if behaviour == "garbage-length" else str(len(body))
        )
        self.end_headers()
        if behaviour == "stall":  # half the body, then nothing for a minute
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            import time

            time.sleep(60)
            return
        if behaviour == "interrupt":
            # Promise the whole body, send half of it, then drop the connection.
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(routes: dict[str, tuple[bytes, str]]):
    """Serve ``{path: (body, behaviour)}`` on a free port; yield the base URL. Behaviours: "ok",
    "missing" (404), "interrupt" (half the body, then the connection drops), "garbage-length"
    (a Content-Length that is not a number), "redirect-to-file" (302 to a file:// URL), "stall"
    (half the body, then a minute of silence)."""
    handler = type("Handler", (_Handler,), {"routes": routes})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def closed_port_url(path: str = "/file") -> str:
    """A URL on 127.0.0.1 where nothing listens: connections are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"
