"""Issue 21, the server that holds: ``sohoa serve`` runs a production WSGI server (waitress) with
read and header timeouts and no version banner; a body is never read before sign-in and route
limits are checked on the headers; every answer carrying a citizen's data is ``no-store``."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from search_ui.app import create_app
from tests.web_fixtures import free_port, login

pytest_plugins = ["tests.web_fixtures"]
READ_TIMEOUT = 2


class Untouchable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        raise AssertionError("the body was read")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("serve")
    settings = root / "settings.toml"
    settings.write_text(f"[web]\nread_timeout_seconds = {READ_TIMEOUT}\n", encoding="utf-8")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "sohoa.cli", "--data-dir", str(root / "d"), "--settings", str(settings)]
        + ["serve", "--no-worker", "--port", str(port)],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "SOHOA_ADMIN_PASSWORD": "Quan-tri-vien-Dong-Nai-2026"},
    )
    try:
        for _ in range(3):
            if "serving on" in proc.stderr.readline():
                break
        yield port
    finally:
        proc.terminate()
        assert proc.wait(30) == 0


def _raw(port: int, head: str) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(head.encode())
    return sock


def _answer(sock: socket.socket) -> str:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.decode("latin-1")


def _get(port: int, path: str = "/login"):
    return urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5)


def test_no_server_banner_and_no_store(server):
    resp = _get(server)
    assert resp.status == 200
    assert resp.headers.get("Server") is None, resp.headers.get("Server")
    assert resp.headers["Cache-Control"] == "no-store" and resp.headers["Pragma"] == "no-cache"


def test_an_anonymous_2gb_body_is_refused_at_once_unread(server):
    started = time.monotonic()
    sock = _raw(
        server,
        "POST /api/v1/dossiers/X/files HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 2147483648\r\n\r\n",
    )
    sock.sendall(b"--b\r\n")  # a slow sender: a few bytes, then nothing
    answer = _answer(sock)
    took = time.monotonic() - started
    assert answer.startswith("HTTP/1.1 413"), answer[:200]
    assert took < READ_TIMEOUT, took  # answered on the headers, not after waiting for the body
    sock.close()
    assert _get(server).status == 200, "the server keeps answering"


def test_slow_clients_hold_no_thread_and_are_dropped(server):
    """Many connections sending headers (or a body) too slowly: others are still served, and the
    slow ones are closed after the read timeout."""
    slow = [_raw(server, "GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ") for _ in range(20)]
    slow += [
        _raw(server, "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5000\r\n\r\nlogin=")
        for _ in range(5)
    ]
    for _ in range(3):
        assert _get(server).status == 200
    time.sleep(READ_TIMEOUT * 2 + 1.5)
    for sock in slow:
        sock.settimeout(5)
        assert _closed(sock), "the server closed the idle connection"
        sock.close()


def _closed(sock: socket.socket) -> bool:
    """True when the peer has closed (reading ends), False when it still waits for us."""
    try:
        while sock.recv(4096):
            pass
    except TimeoutError:
        return False
    except OSError:
        pass
    return True


@pytest.fixture()
def app(web_data):
    return create_app(web_data.services, config={"TESTING": True})


@pytest.mark.parametrize(
    "path", ["/api/v1/dossiers/X/files", "/intake/dossiers/X/files", "/intake/dossiers", "/admin/users"]
)
def test_sign_in_is_checked_before_the_body_is_read(app, path):
    client = app.test_client()
    resp = client.post(
        path,
        environ_overrides={
            "wsgi.input": Untouchable(),
            "CONTENT_LENGTH": "1000",
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
        },
    )
    assert resp.status_code == 401


def test_route_body_limits(app):
    client = app.test_client()
    login(client, "tn.tp")
    big = {
        "wsgi.input": Untouchable(),
        "CONTENT_LENGTH": str(2 << 20),
        "CONTENT_TYPE": "multipart/form-data; boundary=b",
    }
    small_route = client.post("/intake/dossiers", environ_overrides=big)
    assert small_route.status_code == 413, "everything but uploads takes small bodies"
    huge = {**big, "CONTENT_LENGTH": str(2 << 30)}
    upload = client.post("/api/v1/dossiers/X/files", environ_overrides=huge)
    assert upload.status_code == 413
    ok = client.post(
        "/api/v1/dossiers/X/files",
        data={"files": [(io.BytesIO(b"x" * (2 << 20)), "a.pdf")]},
        headers={"X-CSRF-Token": "wrong"},
    )
    assert ok.status_code == 400, "a 2 MiB upload passes the body limit (and meets the CSRF check)"


@pytest.mark.slow
def test_every_answer_with_a_citizens_data_is_no_store(app, web_data):
    client = app.test_client()
    login(client, "bt.tp")
    doc = web_data.tp_doc
    for url in (
        f"/documents/{doc}",
        f"/documents/{doc}/archival.pdf",
        f"/documents/{doc}/original",
        f"/documents/{doc}/pages/1.png",
        f"/api/v1/documents/{doc}?purpose=processing",
        "/search?q=ket+hon",
        "/api/v1/search?q=ket+hon",
        "/applicants/001203004567",
    ):
        resp = client.get(url, follow_redirects=True)  # an old ID bookmark redirects once
        assert resp.status_code == 200, url
        assert resp.headers["Cache-Control"] == "no-store", (url, resp.headers["Cache-Control"])
        assert resp.headers["Pragma"] == "no-cache", url
