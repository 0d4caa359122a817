"""``sohoa ocr INPUT [--text] [--json] [--pdfa OUT.pdf]``: OCR one image or PDF.

``--text`` prints every page's text (pages separated by a form feed), ``--json`` per-page text and quality
with the Vietnamese re-scan reasons, ``--pdfa`` keeps the archival PDF/A. Exit 0 on success, 2 when the
input is refused (the reason code and a Vietnamese message on stderr, or in the JSON), 1 on other errors.
"""

from __future__ import annotations

import json
import logging
import sys
import tempfile
from pathlib import Path


def register(sub, common) -> None:
    """Add the ``ocr`` subcommand."""
    p = sub.add_parser("ocr", parents=[common], help="OCR one image or PDF into text and PDF/A")
    p.add_argument("input", type=Path)
    p.add_argument("--text", action="store_true", help="print the text of every page (form feed between)")
    p.add_argument("--json", action="store_true", help="print per-page text and quality as JSON")
    p.add_argument("--pdfa", type=Path, metavar="OUT.pdf", help="write the archival PDF/A-2b here")
    p.add_argument("--jobs", type=int, help="Tesseract processes at once (default from settings)")
    p.set_defaults(func=run)


def page_json(page) -> dict:
    """One OcrPage as the JSON the command prints."""
    return {
        "number": page.number,
        "text": page.text,
        "confidence": page.confidence,
        "source": page.source,
        "needs_rescan": page.needs_rescan,
        "warnings": list(page.warnings),
        "reasons": page.rescan_reasons,
        "quality": page.quality,
    }


def run(args, services) -> int:
    """OCR ``args.input``; see the module docstring for the output."""
    from ocr import Limits, OcrError, ocr_to_pdfa

    cfg, lim = services.settings.ocr, services.settings.limits
    limits = Limits(max_pages=lim.max_pages, max_pixels=lim.max_pixels)
    jobs = args.jobs or cfg.jobs
    with tempfile.TemporaryDirectory(prefix="sohoa-ocr-cli-") as tmp:
        out = args.pdfa or Path(tmp) / "out.pdf"
        try:
            result = ocr_to_pdfa(
                args.input,
                out,
                language=cfg.language,
                jobs=jobs,
                limits=limits,
                page_timeout=cfg.timeout_seconds,
            )
        except OcrError as exc:
            if args.json:
                print(
                    json.dumps(
                        {
                            "file": str(args.input),
                            "status": "rejected",
                            "reason_code": exc.code,
                            "message": exc.message,
                        },
                        ensure_ascii=False,
                    )
                )
            print(f"{exc.code}: {exc.message}", file=sys.stderr)
            return 2
        except Exception:  # noqa: BLE001 - never raw text for the officer; details in the log
            from ingest.reasons import Reason, message_vi

            logging.getLogger(__name__).exception("ocr of %s failed", args.input)
            code, message = Reason.INTERNAL_ERROR.value, message_vi(Reason.INTERNAL_ERROR)
            if args.json:
                doc: dict[str, object] = {
                    "file": str(args.input),
                    "status": "error",
                    "reason_code": code,
                    "message": message,
                }
                print(json.dumps(doc, ensure_ascii=False))
            print(f"{code}: {message}", file=sys.stderr)
            return 1
    if args.json:
        doc = {
            "file": str(args.input),
            "status": "ok",
            "pdfa": str(args.pdfa) if args.pdfa else None,
            "pages": [page_json(p) for p in result.pages],
        }
        print(json.dumps(doc, ensure_ascii=False, indent=1))
    elif args.text or not args.pdfa:
        sys.stdout.write(result.text + "\n")
    for page in result.pages:
        if page.needs_rescan and not args.json:
            print(f"trang {page.number}: " + "; ".join(page.rescan_reasons), file=sys.stderr)
    return 0
