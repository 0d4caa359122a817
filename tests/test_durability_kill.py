"""The worker and the web process are SIGKILLed at random points of many uploads; after
restarts, every accepted file is exactly one complete, indexed document and nothing else is
visible. Uploads carry idempotency keys, so a retried upload makes no second document."""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest
import urllib3

from sohoa.settings import load_settings
from sohoa.wiring import services
from tests.support.api_client import ApiClient, add_user, start_server
from tests.support.render import save_scan
from tests.web_fixtures import free_port

pytestmark = pytest.mark.slow
PLACES = [
    "Biên Hòa",
    "Long Khánh",
    "Trảng Bom",
    "Nhơn Trạch",
    "Vĩnh Cửu",
    "Định Quán",
    "Xuân Lộc",
    "Cẩm Mỹ",
    "Thống Nhất",
    "Tân Phú",
]
DOSSIER = "000.00.12.H19-261127-0042"
SEED = int(os.environ.get("SOHOA_KILL_SEED", "20261127"))


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


class Service:
    """``sohoa serve`` with its worker child, killable and restartable."""

    def __init__(self, data: Path) -> None:
        self.data, self.port = data, free_port()
        self.proc = start_server(data, self.port)

    def kill(self) -> None:
        for pid in _children(self.proc.pid):  # the worker first, then the web process
            os.kill(pid, signal.SIGKILL)
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        time.sleep(0.2)

    def restart(self) -> None:
        self.proc = start_server(self.data, self.port)

    def stop(self) -> None:
        for pid in _children(self.proc.pid):
            os.kill(pid, signal.SIGTERM)
        self.proc.terminate()
        self.proc.wait(30)


def _client(port: int) -> ApiClient:
    client = ApiClient(f"http://127.0.0.1:{port}", timeout=20)
    client.sign_in("tn.kill", "mat-khau-rat-dai-1")
    return client


def _upload_until_answered(svc: Service, path: Path, key: str) -> dict:
    """Retry with the same key until the server answers (it may have been killed meanwhile)."""
    for _ in range(10):
        try:
            status, body = _client(svc.port).upload(DOSSIER, path, key)
            assert status == 202, body
            return body["files"][0]
        except (urllib3.exceptions.HTTPError, RuntimeError, OSError):
            if svc.proc.poll() is not None:
                svc.restart()
            time.sleep(0.5)
    raise AssertionError(f"no answer for {path.name}")


def test_kills_at_random_points_leave_exactly_one_document_per_accepted_file(tmp_path):
    rng = random.Random(SEED)
    data = tmp_path / "data"
    svc = services(load_settings(data))
    svc.catalogue.ensure_dossier(
        DOSSIER, applicant_id="075203001234", department="TP", procedure_code="1.000894.000.00.00.H19"
    )
    add_user(data, "tn.kill", "intake", "TP", "mat-khau-rat-dai-1")
    files = [
        save_scan([f"Đơn đề nghị của công dân tại {p}"], tmp_path / f"don-{i}.png", dpi=200, seed=i)
        for i, p in enumerate(PLACES)
    ]
    server = Service(data)
    answers = {}
    try:
        for i, path in enumerate(files):
            key = f"upload-{i}"
            answers[path.name] = _upload_until_answered(server, path, key)
            if rng.random() < 0.5:  # somewhere in the OCR, store or index of what was just sent
                time.sleep(rng.uniform(0.0, 3.0))
                server.kill()
                server.restart()
                # The client never saw whether its last upload landed: it retries with the same key.
                again = _upload_until_answered(server, path, key)
                assert again["document_id"] == answers[path.name]["document_id"]
        _wait_for_jobs(data)
        _check_archive(data, files, answers)
    finally:
        server.stop()


def _wait_for_jobs(data: Path, timeout: float = 300) -> None:
    svc = services(load_settings(data))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        counts = svc.jobs.counts()
        if not counts.get("queued") and not counts.get("running"):
            return
        time.sleep(0.5)
    raise AssertionError(f"jobs still open: {svc.jobs.counts()}")


def _check_archive(data: Path, files: list[Path], answers: dict) -> None:
    from archive.search_index import SearchQuery

    svc = services(load_settings(data))
    accepted = {a["document_id"] for a in answers.values() if a["status"] == "accepted"}
    assert len(accepted) == len(files), answers
    manifests = {d.id for d in svc.repository.iter_documents()}
    assert manifests == accepted, "exactly the accepted documents, nothing else"
    assert svc.jobs.counts() == {"done": len(files)}
    for place in PLACES:
        hits = svc.index.search(SearchQuery(text=f'"{place}"', limit=20)).hits
        assert len({h.document_id for h in hits}) == 1, place
        assert len(hits) == 1, f"{place}: one page, indexed once"
    for folder in ("incoming", "work"):
        assert not list((data / "spool" / folder).iterdir()), folder
