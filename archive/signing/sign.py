"""PAdES signing of an archival PDF/A as an incremental update: the PDF/A bytes stay an unchanged
prefix of the signed copy.

Levels: B-B (no time-stamp authority), B-T (RFC 3161 signature time-stamp), B-LT (plus the
certificates, CRLs and OCSP responses in the document's DSS, so the copy validates offline) and
B-LTA (plus a document time-stamp, renewed by ``renew_timestamp`` before its certificate expires).
``level = "auto"`` takes B-LTA when a TSA is configured, else B-B.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.general import SigningError as PyHankoSigningError
from pyhanko_certvalidator import ValidationContext

from archive.signing.config import SigningConfig, SigningError
from archive.signing.keys import open_signer
from archive.signing.stamp import build_stamp, iso_vn, vn_time
from archive.signing.trust import load_roots

LEVELS = ("B-B", "B-T", "B-LT", "B-LTA")
FIELD_NAME = "SoHoa-BanSaoDienTu"
DOC_ID_RE = re.compile(r"tài liệu (\S+?)(?:;|$)")


@dataclass
class SignedCopy:
    """The outcome of signing: the JSON of ``sohoa certify``."""

    document_id: str
    file: str
    signer: str
    signed_at: str  # ISO 8601, +07:00
    level: str
    sha256: str
    size: int
    seconds: float

    def to_dict(self) -> dict:
        return asdict(self)


class _FixedTimeSigner(signers.PdfSigner):
    """A PdfSigner whose signing time (CMS signing-time and the stamp) is the one we chose, so the
    stamp shows exactly the time the signature carries."""

    def __init__(self, *args, signing_time: datetime, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._signing_time = signing_time

    def init_signing_session(self, pdf_out, existing_fields_only=False):
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self._signing_time
        return session


def choose_level(config: SigningConfig, level: str = "") -> str:
    """The level to sign at (``level``, else the setting); one that needs a TSA without one is refused."""
    level = level or config.level or "auto"
    if level == "auto":
        return "B-LTA" if config.tsa_url else "B-B"
    if level not in LEVELS:
        raise SigningError("bad_level", f"Mức chữ ký không hợp lệ: {level} (một trong {', '.join(LEVELS)})")
    if level != "B-B" and not config.tsa_url:
        raise SigningError(
            "signing_not_configured", f"Mức {level} cần máy chủ dấu thời gian: thiếu [signing] tsa_url"
        )
    return level


def reason_text(document_id: str, actor: str = "") -> str:
    """The signature's reason: the document and, when an officer confirmed it, their login."""
    text = f"Bản sao điện tử từ bản gốc giấy, tài liệu {document_id}"
    return text + (f"; cán bộ xác nhận: {actor}" if actor else "")


def _page_box(path: Path) -> tuple[float, ...]:
    with open(path, "rb") as fh:
        page = PdfFileReader(fh).root["/Pages"]
        while "/Kids" in page:
            page = page["/Kids"][0].get_object()
        return tuple(float(v) for v in page["/MediaBox"])


def _pdf_signer(
    config: SigningConfig, signer: signers.Signer, level: str, reason: str, when: datetime, page_box: tuple
):
    stamp = build_stamp(config, when, page_box)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        reason=reason,
        location=config.agency,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        embed_validation_info=level in ("B-LT", "B-LTA"),
        use_pades_lta=level == "B-LTA",
        validation_context=_signing_context(config) if level in ("B-LT", "B-LTA") else None,
        signer_key_usage={"digital_signature"},
    )
    pdf_signer = _FixedTimeSigner(
        meta,
        signer=signer,
        timestamper=timestamps.HTTPTimeStamper(config.tsa_url) if level != "B-B" else None,
        stamp_style=stamp.style,
        new_field_spec=fields.SigFieldSpec(sig_field_name=FIELD_NAME, on_page=0, box=stamp.box),
        signing_time=when,
    )
    return pdf_signer, stamp


def _signing_context(config: SigningConfig) -> ValidationContext:
    """Trust roots and online fetching of CRLs/OCSP, to embed them (B-LT and up)."""
    return ValidationContext(trust_roots=load_roots(config.trust_roots), allow_fetching=True)


def sign_pdf(
    source: Path, out: Path, config: SigningConfig, *, document_id: str, actor: str = "", level: str = ""
) -> SignedCopy:
    """Sign the PDF/A at ``source`` into ``out`` (incremental update, visible stamp on page 1).
    ``out`` is written whole or not at all."""
    level = choose_level(config, level)
    started = time.monotonic()
    when = vn_time(datetime.now(UTC))
    tmp = out.with_name(out.name + ".part")
    with open_signer(config) as signer:
        reason = reason_text(document_id, actor)
        pdf_signer, stamp = _pdf_signer(config, signer, level, reason, when, _page_box(source))
        try:
            with open(source, "rb") as inf, open(tmp, "wb") as outf:
                writer = IncrementalPdfFileWriter(inf, strict=False)
                pdf_signer.sign_pdf(writer, output=outf, appearance_text_params={"stamp": stamp.text})
        except (PyHankoSigningError, OSError, ValueError) as exc:
            tmp.unlink(missing_ok=True)
            raise _signing_failure(exc) from exc
        except Exception:
            tmp.unlink(missing_ok=True)
            raise
        cert = signer.signing_cert
    tmp.replace(out)
    data = out.read_bytes()
    return SignedCopy(
        document_id=document_id,
        file=str(out),
        signer=cert.subject.native.get("common_name", cert.subject.human_friendly) if cert else "",
        signed_at=iso_vn(when),
        level=level,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        seconds=round(time.monotonic() - started, 3),
    )


def _signing_failure(exc: Exception) -> SigningError:
    text = str(exc)
    lowered = text.lower()
    if "timestamp" in lowered or "time stamp" in lowered or "tsa" in lowered:
        return SigningError("tsa_unavailable", f"Không lấy được dấu thời gian từ máy chủ TSA: {text[:200]}")
    if "revoked" in lowered:
        return SigningError("certificate_revoked", f"Chứng thư số của cơ quan đã bị thu hồi: {text[:200]}")
    if "expired" in lowered:
        return SigningError("certificate_expired", f"Chứng thư số của cơ quan đã hết hạn: {text[:200]}")
    return SigningError("signing_failed", f"Ký số không thành công: {text[:300]}")


def renew_timestamp(path: Path, out: Path, config: SigningConfig) -> None:
    """Add a document time-stamp over the whole signed copy (and the validation data of the last
    one), keeping the B-LTA chain alive; ``out`` is written whole or not at all."""
    if not config.tsa_url:
        raise SigningError("signing_not_configured", "Gia hạn dấu thời gian cần [signing] tsa_url")
    stamper = signers.PdfTimeStamper(timestamps.HTTPTimeStamper(config.tsa_url))
    tmp = out.with_name(out.name + ".part")
    try:
        with open(path, "rb") as inf, open(tmp, "wb") as outf:
            stamper.update_archival_timestamp_chain(
                PdfFileReader(inf, strict=False), _signing_context(config), in_place=False, output=outf
            )
    except Exception as exc:
        tmp.unlink(missing_ok=True)
        raise _signing_failure(exc) from exc
    tmp.replace(out)
