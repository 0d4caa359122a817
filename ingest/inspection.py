"""Inspection: what a file holds before any pixel is decoded (active content, inflated size, pages,
forms, pixel limits). It runs sandboxed twice over: at the counter within ``[limits]
inspect_seconds``, so the officer has an answer while the citizen waits; a file that needs longer is
accepted and handed to the worker, which inspects it within ``worker_inspect_seconds`` and refuses it
(``inspection_timeout``) past that.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pikepdf
from PIL import Image, UnidentifiedImageError

from ingest.context import Limits
from ingest.pdf_forms import xfa_has_script, xfa_kind
from ingest.pdf_safety import PdfRefused, active_content, check_decoded_size
from ingest.reasons import Reason, message_vi
from ingest.refusal import Refusal
from ingest.sandbox import SandboxError, SandboxLimits, run_in_sandbox
from ocr.errors import OcrError

log = logging.getLogger(__name__)
TARGET = "ingest.inspection.inspect_file"


def _check_form(pdf: pikepdf.Pdf, src: str) -> list[str]:
    """A dynamic XFA form is refused (its pages hold no content); a static one's scripts are
    active content."""
    kind = xfa_kind(pdf, Path(src).read_bytes())
    if kind == "dynamic":
        raise PdfRefused("form_without_content", message_vi("form_without_content"))
    return ["xfa_script"] if kind == "static" and xfa_has_script(pdf) else []


def inspect_pdf(src: str, max_decoded_bytes: int, max_pages: int = 0) -> list[str]:
    """Active content found (empty when inert); raises for encrypted, damaged, empty, bombs,
    too many pages, dynamic forms."""
    try:
        findings = active_content(src)
        if findings:
            return findings
        check_decoded_size(src, max_decoded_bytes)
        with pikepdf.open(src) as pdf:
            n = len(pdf.pages)
            if n == 0:
                raise OcrError("empty", "no pages")
            if max_pages and n > max_pages:
                raise OcrError("too_many_pages", f"{n} > {max_pages}")
            return _check_form(pdf, src)
    except pikepdf.PasswordError as exc:
        raise OcrError("encrypted", str(exc)) from exc
    except pikepdf.PdfError as exc:
        raise OcrError("damaged", str(exc)) from exc


def _inspect_image(src: str, max_pages: int, max_pixels: int) -> None:
    """The header only: size against the pixel limit, number of frames against the page limit."""
    from ocr.imagefile import count_frames

    try:
        with Image.open(src) as img:
            w, h = img.size
        n, _ = count_frames(Path(src), max_pages)
    except Image.DecompressionBombError as exc:
        raise OcrError("too_many_pixels", str(exc)) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise OcrError("damaged", str(exc)) from exc
    if w * h > max_pixels:
        raise OcrError("too_many_pixels", f"{w}x{h} > {max_pixels}")
    if n > max_pages:
        raise OcrError("too_many_pages", f"{n} > {max_pages}")


def inspect_file(
    src: str, content_type: str, max_pages: int, max_pixels: int, max_decoded_bytes: int
) -> dict[str, Any]:
    """Sandbox target: {"quarantine": [kinds]} for active content, else {} ; raises refusals."""
    if content_type == "application/pdf":
        findings = inspect_pdf(src, max_decoded_bytes, max_pages)
        return {"quarantine": findings} if findings else {}
    _inspect_image(src, max_pages, max_pixels)
    return {}


def active_content_refusal(kinds: list[str]) -> Refusal:
    return Refusal(
        "active_content",
        f"Tệp PDF chứa nội dung chủ động ({', '.join(kinds)}); đã cách ly, không lưu trữ.",
        status="quarantined",
    )


def refusal_of(exc: SandboxError) -> Exception:
    """Map a sandbox failure to a refusal; an unexplained error stays internal (retried)."""
    if exc.kind == "timeout":
        return Refusal("processing_timeout")
    if exc.kind == "killed":
        return Refusal("resource_limit")
    if exc.code:  # the sandbox passes only codes of the closed list
        return Refusal(exc.code, exc.message or None)
    return RuntimeError(f"sandboxed work failed: {exc.detail}\n{exc.trace}")


def _run(limits: Limits, path: Path, content_type: str, seconds: float) -> dict[str, Any]:
    kwargs = {
        "src": str(path),
        "content_type": content_type,
        "max_pages": limits.max_pages,
        "max_pixels": limits.max_pixels,
        "max_decoded_bytes": limits.max_decoded_bytes,
    }
    return run_in_sandbox(TARGET, kwargs, SandboxLimits(limits.memory_mb, limits.cpu_seconds, seconds))


def inspect_at_counter(limits: Limits, path: Path, content_type: str) -> bool:
    """Inspect within the counter's budget. Raises the refusal; returns True when the file needs
    longer (or the check failed unexplained) and goes to the worker, False when it passed."""
    try:
        result = _run(limits, path, content_type, limits.inspect_seconds)
    except SandboxError as exc:
        if exc.kind == "timeout":
            return True
        mapped = refusal_of(exc)
        if isinstance(mapped, Refusal):
            raise mapped from exc
        log.error("inspection of %s failed; the worker retries it: %s", path.name, mapped)
        return True
    if result.get("quarantine"):
        raise active_content_refusal(result["quarantine"])
    return False


def inspect_in_worker(limits: Limits, path: Path, content_type: str) -> None:
    """Inspect within the worker's budget; past it the file is refused (``inspection_timeout``)."""
    try:
        result = _run(limits, path, content_type, limits.worker_inspect_seconds)
    except SandboxError as exc:
        if exc.kind == "timeout":
            raise Refusal(Reason.INSPECTION_TIMEOUT) from exc
        raise refusal_of(exc) from exc
    if result.get("quarantine"):
        raise active_content_refusal(result["quarantine"])
