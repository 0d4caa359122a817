"""Acceptance rules: content sniffing, names, idempotency keys, nothing kept on refusal."""

from __future__ import annotations

import pytest

from ingest.pipeline import accept, clean_name
from ingest.refusal import Refusal
from ingest.sniff import sniff

PARAMS = {"role": "component", "applicant_id": "075203001234"}


@pytest.mark.parametrize(
    "head, kind",
    [
        (b"%PDF-1.7\n", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 8, "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\0" * 8, "image/jpeg"),
        (b"II*\x00" + b"\0" * 8, "image/tiff"),
        (b"MM\x00*" + b"\0" * 8, "image/tiff"),
    ],
)
def test_type_comes_from_content_not_name(tmp_path, head, kind):
    path = tmp_path / "misnamed.docx"
    path.write_bytes(head)
    assert sniff(path, max_bytes=1000).content_type == kind


@pytest.mark.parametrize(
    "content, code",
    [
        (b"", "empty_file"),
        (b"PK\x03\x04 a zip named .pdf", "unsupported_type"),
        (b"%PDF-" + b"x" * 2000, "file_too_large"),
    ],
)
def test_refusals_have_stable_codes_and_vietnamese_messages(tmp_path, content, code):
    path = tmp_path / "scan.pdf"
    path.write_bytes(content)
    with pytest.raises(Refusal) as err:
        sniff(path, max_bytes=1000)
    assert err.value.reason_code == code
    assert any(ch in err.value.message for ch in "ệốớạảểỗ"), "message in Vietnamese"


def test_names_are_normalised_and_stripped():
    assert clean_name("../../etc/pa\u202esswd") == "passwd"
    assert clean_name("Quye\u0302\u0301t định\x07.pdf") == "Quyết định.pdf"
    assert clean_name("C:\\scans\\trang 1.png") == "trang 1.png"


def test_idempotency_key_returns_the_same_job(svc, scans):
    first = accept(svc.ingest, scans["land_jpg"], dossier_code="HS-IK", params=PARAMS, idempotency_key="k-1")
    again = accept(svc.ingest, scans["land_jpg"], dossier_code="HS-IK", params=PARAMS, idempotency_key="k-1")
    assert again.id == first.id and again.doc_id == first.doc_id
    assert len(list((svc.ingest.spool_dir / "incoming").iterdir())) == 1, "the retry kept no second copy"


def test_refused_duplicate_leaves_nothing_in_the_spool(svc, scans):
    accept(svc.ingest, scans["land_jpg"], dossier_code="HS-D", params=PARAMS)
    with pytest.raises(Refusal) as err:
        accept(svc.ingest, scans["land_jpg"], dossier_code="HS-D", params=PARAMS)
    assert err.value.reason_code == "duplicate" and err.value.document_id == "HS-D.001"
    assert len(list((svc.ingest.spool_dir / "incoming").iterdir())) == 1
