"""Dynamic XFA forms (content only in the form data) are refused with a reason that asks for the
filled form printed or exported; static ones are PDFs like others, their scripts active content."""

from __future__ import annotations

import pytest

from ingest.inspection import inspect_pdf as _inspect_pdf
from ingest.pdf_safety import PdfRefused
from tests.support import oddities as odd


@pytest.mark.parametrize(
    "data", [odd.xfa_form(dynamic=True), odd.xfa_form(dynamic=False, needs_rendering=True)]
)
def test_dynamic_xfa_is_refused_with_print_or_export(tmp_path, data):
    src = tmp_path / "form.pdf"
    src.write_bytes(data)
    with pytest.raises(PdfRefused) as err:
        _inspect_pdf(str(src), 10**8)
    assert err.value.code == "form_without_content"
    assert "in biểu mẫu" in err.value.message and "xuất" in err.value.message


def test_static_xfa_is_a_pdf_and_its_scripts_are_active_content(tmp_path):
    plain, scripted = tmp_path / "plain.pdf", tmp_path / "scripted.pdf"
    plain.write_bytes(odd.xfa_form(dynamic=False))
    scripted.write_bytes(odd.xfa_form(dynamic=False, script=True))
    assert _inspect_pdf(str(plain), 10**8) == []
    assert _inspect_pdf(str(scripted), 10**8) == ["xfa_script"]
