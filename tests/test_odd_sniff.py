"""A PDF cut off in transfer is damage, not a polyglot: quarantine is for a second format only."""

from __future__ import annotations

import os

import pytest

from ingest.refusal import Refusal
from ingest.sniff import sniff
from tests.support import oddities as odd

SCAN = odd.scan_pdf(["Trang một", "Trang hai", "Trang ba"])


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("linearized-cut.pdf", odd.cut(odd.linearized(SCAN), 0.6)),
        ("update-cut.pdf", SCAN + b"\n9 0 obj\n<< /Length 9000 >>\nstream\n" + os.urandom(4000)),
        ("cut.pdf", odd.cut(SCAN, 0.5)),
    ],
)
def test_pdf_cut_in_transfer_is_a_pdf(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    assert sniff(path, max_bytes=10**8).content_type == "application/pdf"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("pdf-zip.pdf", SCAN + b"PK\x03\x04" + b"\1" * 4000),
        ("pdf-ole.pdf", SCAN + b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
        ("pdf-junk.pdf", SCAN + os.urandom(8000)),
        ("html-pdf.pdf", b"<html><body>x</body></html>\n" + SCAN),
    ],
)
def test_a_second_format_is_still_quarantined(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(Refusal) as err:
        sniff(path, max_bytes=10**8)
    assert (err.value.status, err.value.reason_code) == ("quarantined", "polyglot")
