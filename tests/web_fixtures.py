"""Shared fixtures of the web, API and browser tests: a data directory with documents that went
through the real pipeline (real Tesseract OCR), in two departments.

Loaded with ``pytest_plugins = ["tests.web_fixtures"]`` so the data directory is made once per
session; the test modules also import its helpers first, so assertion rewriting is off here
(PYTEST_DONT_REWRITE): the asserts below carry their own messages."""

from __future__ import annotations

import re
import socket
from dataclasses import dataclass
from pathlib import Path

import pytest

from ingest.intake import IntakeRequest, run_or_wait, submit_files
from ingest.jobs import Job
from search_ui.accounts import Accounts
from sohoa.settings import load_settings
from sohoa.wiring import Services, services
from tests.support.render import save_scan

PASSWORD = "mat-khau-rat-dai-1"
# (login, role, department): a reviewer in each of two departments, intake, records, admin.
OFFICIALS = [
    ("bt.tp", "reviewer", "TP"),
    ("bt.xd", "reviewer", "XD"),
    ("tn.tp", "intake", "TP"),
    ("lt", "records", ""),
    ("qt", "admin", ""),
    ("tn.khoa", "intake", "TP"),
]
CITIZEN = "001203004567"
OTHER_CITIZEN = "079188001234"

DOC_TP = [
    "ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI",
    "GIẤY CHỨNG NHẬN ĐĂNG KÝ KẾT HÔN",
    "Số: 215/GCN-UBND",
    "Hồ sơ đăng ký kết hôn của công dân đã được tiếp nhận.",
    "Bộ phận tiếp nhận và trả kết quả có trách nhiệm số hóa hồ sơ ngay sau khi tiếp nhận.",
]
DOC_XD = [
    "SỞ XÂY DỰNG TỈNH ĐỒNG NAI",
    "GIẤY PHÉP XÂY DỰNG",
    "Số: 88/GPXD-SXD",
    "Cấp giấy phép xây dựng nhà ở riêng lẻ tại phường Tân Phong, thành phố Biên Hòa.",
    "Diện tích xây dựng tầng một là 120 mét vuông theo bản vẽ được phê duyệt.",
]


@dataclass
class WebData:
    services: Services
    tp_doc: str  # a document of department TP (justice)
    xd_doc: str  # a document of department XD (construction)


def ingest_scan(
    svc: Services,
    lines: list[str],
    path: Path,
    *,
    dossier: str,
    applicant: str,
    department: str,
    role: str = "result",
    seed: int = 0,
) -> str:
    """Render a scan, take it through the real pipeline in this process; the document id."""
    save_scan(lines, path, dpi=300, seed=seed)
    req = IntakeRequest(
        dossier_code=dossier,
        applicant_id=applicant,
        department=department,
        role=role,
        procedure_code="1.000894.000.00.00.H19",
        actor="fixture",
    )
    submitted = submit_files(svc.ingest, req, [path])
    jobs = [j for j in submitted if isinstance(j, Job)]
    assert jobs, submitted
    run_or_wait(svc.ingest, svc.worker_lock(), jobs)
    job = svc.jobs.get(jobs[0].id)
    assert job.state == "done", (job.state, job.message)
    return job.doc_id


@pytest.fixture(scope="session")
def web_data(tmp_path_factory) -> WebData:
    root = tmp_path_factory.mktemp("web")
    svc = services(load_settings(root / "data"))
    tp = ingest_scan(
        svc,
        DOC_TP,
        root / "tp.png",
        dossier="000.00.12.H19-260101-0001",
        applicant=CITIZEN,
        department="TP",
        seed=1,
    )
    xd = ingest_scan(
        svc,
        DOC_XD,
        root / "xd.png",
        dossier="000.00.12.H19-260101-0002",
        applicant=OTHER_CITIZEN,
        department="XD",
        seed=2,
    )
    svc.index.close()  # the tests' web app only reads, as the web process does
    add_officials(svc)
    return WebData(services=svc, tp_doc=tp, xd_doc=xd)


def add_officials(svc: Services) -> None:
    accounts = Accounts(svc.settings.state_db)
    for login, role, department in OFFICIALS:
        accounts.add(login, PASSWORD, role, department, name=f"Cán bộ {login}")


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def login(client, user: str, password: str = PASSWORD, purpose: str | None = "processing"):
    """Sign in through the login form (with its CSRF token); optionally set the reading purpose."""
    token = csrf_of(client.get("/login").get_data(as_text=True))
    resp = client.post("/login", data={"login": user, "password": password, "csrf_token": token})
    if purpose and resp.status_code == 302:
        page = client.get("/purpose").get_data(as_text=True)
        client.post("/purpose", data={"purpose": purpose, "csrf_token": csrf_of(page)})
    return resp


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


MARRIAGE = "1.000894.000.00.00.H19 — Đăng ký kết hôn"


def open_dossier_by_form(client, **fields: str) -> str:
    """Open a dossier through the intake form (marriage registration at the counter for
    ``CITIZEN``, ``fields`` over those) and return its code."""
    page = client.get("/intake").get_data(as_text=True)
    data = {"procedure": MARRIAGE, "applicant_id": CITIZEN, "channel": "counter", "csrf_token": csrf_of(page)}
    resp = client.post("/intake/dossiers", data={**data, **fields})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    return resp.headers["Location"].rsplit("/", 1)[1]
