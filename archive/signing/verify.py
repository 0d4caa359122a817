"""Verification of a signed PDF against the configured trust roots, offline when the file carries
its own validation data (B-LT, B-LTA).

A signature with a trusted time-stamp is judged at the time-stamp's moment (the certificate had
to be valid and unrevoked then; that is what lets a copy outlive the certificate); one without is
judged now. Problems name what is wrong with a stable code and a Vietnamese message.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.errors import NoDSSFoundError
from pyhanko_certvalidator import ValidationContext

from archive.signing.config import SigningError
from archive.signing.sign import DOC_ID_RE
from archive.signing.stamp import iso_vn
from archive.signing.trust import load_roots

log = logging.getLogger(__name__)

MESSAGES = {
    "not_signed": "Tệp không có chữ ký số.",
    "unreadable": "Không đọc được tệp PDF (tệp hỏng hoặc không phải PDF).",
    "corrupt_signature": "Từ điển chữ ký số bị hỏng, không kiểm tra được.",
    "tampered": "Nội dung đã bị thay đổi sau khi ký (mã băm không khớp).",
    "not_whole_file": "Chữ ký không bao trùm toàn bộ tệp: có nội dung được thêm sau khi ký.",
    "untrusted": "Chứng thư ký không thuộc cơ quan chứng thực được tin cậy (người ký lạ).",
    "revoked": "Chứng thư số của người ký đã bị thu hồi.",
    "expired_no_timestamp": "Chứng thư số đã hết hạn và chữ ký không có dấu thời gian.",
    "expired": "Chứng thư số không còn hiệu lực tại thời điểm kiểm tra.",
    "not_for_signing": "Chứng thư số không có mục đích ký số.",
    "timestamp_invalid": "Dấu thời gian không hợp lệ hoặc không được tin cậy.",
    "invalid": "Chữ ký số không hợp lệ.",
}
WARNINGS = {
    "no_timestamp": "Chữ ký không có dấu thời gian (mức B-B): chỉ kiểm chứng được khi chứng thư còn hiệu lực.",
    "no_revocation_data": "Tệp không kèm dữ liệu thu hồi chứng thư: chưa kiểm tra được tình trạng thu hồi ngoại tuyến.",
}


@dataclass
class Verification:
    """The outcome of ``sohoa verify`` for one file (its first regular signature leads)."""

    valid: bool = False
    intact: bool = False
    signer: str = ""
    signed_at: str = ""
    timestamp: str = ""
    level: str = ""
    document_id: str = ""
    signatures: int = 0
    problems: list[dict[str, str]] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)

    def problem(self, code: str, detail: str = "") -> None:
        entry = {"code": code, "message": MESSAGES[code]}
        if detail:
            entry["detail"] = detail[:300]
        if entry not in self.problems:
            self.problems.append(entry)

    def warn(self, code: str) -> None:
        entry = {"code": code, "message": WARNINGS[code]}
        if entry not in self.warnings:
            self.warnings.append(entry)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _context(roots: list, dss: DocumentSecurityStore | None, moment: datetime | None, fetch: bool):
    kwargs: dict[str, Any] = {
        "trust_roots": roots,
        "allow_fetching": fetch,
        "revocation_mode": "soft-fail",
        "retroactive_revinfo": True,  # revocation data from the signing time answers for then
    }
    if moment is not None:
        kwargs["moment"] = moment
    return dss.as_validation_context(kwargs) if dss is not None else ValidationContext(**kwargs)


def _read_dss(reader: PdfFileReader) -> DocumentSecurityStore | None:
    try:
        return DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        return None


def _subject(cert) -> str:
    return cert.subject.native.get("common_name") or cert.subject.human_friendly


def _trust_problem(status, out: Verification) -> None:
    indic = status.trust_problem_indic
    if status.revoked or indic in (AdESIndeterminate.REVOKED_NO_POE, AdESIndeterminate.REVOKED_CA_NO_POE):
        out.problem("revoked")
    elif indic in (AdESIndeterminate.OUT_OF_BOUNDS_NO_POE, AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED):
        out.problem("expired_no_timestamp" if status.timestamp_validity is None else "expired")
    elif indic == AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND:
        out.problem("untrusted", _subject(status.signing_cert))
    elif indic is not None:
        out.problem("invalid", indic.name)


def _judge_signature(sig, roots, dss, fetch: bool, out: Verification) -> None:
    """Validate one regular signature (first at its time-stamp's moment when it has one)."""
    moment = None
    first = validate_pdf_signature(sig, _context(roots, dss, None, fetch), _context(roots, dss, None, fetch))
    ts = first.timestamp_validity
    if ts is not None and ts.valid and ts.trusted:
        moment = ts.timestamp
        status = validate_pdf_signature(
            sig, _context(roots, dss, moment, fetch), _context(roots, dss, None, fetch)
        )
    else:
        status = first
    if not out.signer:
        out.signer = _subject(status.signing_cert)
        out.signed_at = iso_vn(status.signer_reported_dt) if status.signer_reported_dt else ""
        out.timestamp = iso_vn(ts.timestamp) if ts is not None else ""
        match = DOC_ID_RE.search(str(sig.sig_object.get("/Reason", "")))
        out.document_id = match.group(1) if match else ""
    if not status.intact or not status.valid:
        out.problem("tampered" if not status.intact else "invalid")
        return
    if ts is not None and not (ts.valid and ts.trusted):
        out.problem("timestamp_invalid")
    if not status.trusted:
        _trust_problem(status, out)
    if status.modification_level is not None and status.modification_level > ModificationLevel.LTA_UPDATES:
        out.problem("not_whole_file", status.modification_level.name)
    if ts is None:
        out.warn("no_timestamp")


def _level(reader: PdfFileReader, out: Verification, dss) -> str:
    if out.problems and not out.signer:
        return ""
    if reader.embedded_timestamp_signatures:
        return "B-LTA"
    if dss is not None:
        return "B-LT"
    return "B-T" if out.timestamp else "B-B"


def verify_pdf(
    path: str | Path, trust_roots: tuple[str, ...] | list[str], *, fetch: bool = False
) -> Verification:
    """Check every signature and document time-stamp of the PDF at ``path``."""
    out = Verification()
    roots = load_roots(trust_roots)
    with open(path, "rb") as fh:
        try:
            reader = PdfFileReader(fh, strict=False)
            reader.root  # noqa: B018 - a file that is no PDF fails here
        except Exception as exc:  # a PDF too broken to parse
            log.info("unreadable PDF %s: %s", path, exc)
            out.problem("unreadable", f"{type(exc).__name__}: {exc}")
            return out
        try:
            _verify_reader(reader, roots, fetch, out)
        except SigningError:
            raise
        except Exception as exc:  # whatever a damaged signature dictionary or CMS blob raises
            log.info("corrupt signature in %s: %s", path, exc)
            out.problem("corrupt_signature", f"{type(exc).__name__}: {exc}")
            out.intact = False
    out.valid = bool(out.signatures) and not out.problems
    return out


def _verify_reader(reader: PdfFileReader, roots: list, fetch: bool, out: Verification) -> None:
    sigs = reader.embedded_regular_signatures
    out.signatures = len(sigs)
    if not sigs:
        out.problem("not_signed")
        return
    dss = _read_dss(reader)
    fetch = fetch and dss is None  # a copy with its own validation data is checked offline
    for sig in sigs:
        _judge_signature(sig, roots, dss, fetch, out)
    for tst in reader.embedded_timestamp_signatures:
        status = validate_pdf_timestamp(tst, _context(roots, dss, None, False))
        if not status.intact or not status.valid:
            out.problem("tampered")
        elif not status.trusted:
            out.problem("timestamp_invalid")
    out.intact = not any(p["code"] in ("tampered", "corrupt_signature") for p in out.problems)
    if dss is None and not out.problems and not fetch:
        out.warn("no_revocation_data")
    out.level = _level(reader, out, dss)
