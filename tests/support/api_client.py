"""A small client of sohoa's JSON API over real HTTP (tests and bench/load): session sign-in,
the CSRF header, multipart uploads with idempotency keys. Cookies are handled by hand because
the session cookie is marked Secure even on loopback, which http.cookiejar would not send."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import urllib3

ROOT = Path(__file__).resolve().parent.parent.parent


@dataclass
class ApiClient:
    base: str
    timeout: float = 30.0
    cookie: str = ""
    csrf: str = ""
    http: urllib3.PoolManager = field(default_factory=lambda: urllib3.PoolManager(retries=False))

    def _headers(self, extra: dict | None = None) -> dict:
        headers = {"X-CSRF-Token": self.csrf} if self.csrf else {}
        if self.cookie:
            headers["Cookie"] = f"sohoa_session={self.cookie}"
        return {**headers, **(extra or {})}

    def _keep_cookie(self, resp: urllib3.BaseHTTPResponse) -> None:
        for header in resp.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            if name.strip() == "sohoa_session":
                self.cookie = rest.split(";", 1)[0]

    def request(self, method: str, path: str, **kw) -> tuple[int, dict]:
        headers = self._headers(kw.pop("headers", None))
        resp = self.http.request(method, self.base + path, headers=headers, timeout=self.timeout, **kw)
        self._keep_cookie(resp)
        try:
            body = json.loads(resp.data or b"{}")
        except ValueError:
            body = {"raw": resp.data[:200].decode("utf-8", "replace")}
        return resp.status, body

    def sign_in(self, login: str, password: str) -> None:
        status, body = self.request(
            "POST",
            "/api/v1/session",
            body=json.dumps({"login": login, "password": password}),
            headers={"Content-Type": "application/json"},
        )
        if status != 200:
            raise RuntimeError(f"sign-in failed: {status} {body}")
        self.csrf = body["csrf_token"]

    def upload(self, dossier: str, path: Path, key: str | None = None) -> tuple[int, dict]:
        fields = {"files": (path.name, path.read_bytes(), "application/octet-stream"), "role": "component"}
        headers = {"Idempotency-Key": key} if key else {}
        return self.request("POST", f"/api/v1/dossiers/{dossier}/files", fields=fields, headers=headers)

    def search(self, q: str) -> tuple[int, dict]:
        return self.request("GET", "/api/v1/search", fields={"q": q})


def start_server(data_dir: Path, port: int, *, workers: bool = True) -> subprocess.Popen:
    """``sohoa serve`` as a subprocess, returned once it answers."""
    cmd = [sys.executable, "-m", "sohoa.cli", "--data-dir", str(data_dir), "serve", "--port", str(port)]
    if not workers:
        cmd.append("--no-worker")
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**__import__("os").environ, "OMP_THREAD_LIMIT": "1"},
    )
    http = urllib3.PoolManager(retries=False)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if http.request("GET", f"http://127.0.0.1:{port}/login", timeout=2).status == 200:
                return proc
        except urllib3.exceptions.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("sohoa serve did not answer within 60 s")


def add_user(data_dir: Path, login: str, role: str, department: str, password: str) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "sohoa.cli",
            "--data-dir",
            str(data_dir),
            "users",
            "add",
            login,
            "--role",
            role,
            "--department",
            department,
            "--password-stdin",
        ],
        input=password + "\n",
        text=True,
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
