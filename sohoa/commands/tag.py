"""``sohoa tag INPUT [--json]``: propose a document's metadata (type, number, date, place, organ,
subject, signer, identifiers), each with a confidence and where it was found.

INPUT is an image or a PDF (OCR'd unless every page has a good text layer), or a ``.txt`` file of
already recognised text (pages separated by form feeds). Exit 0 on success, 2 when the input is
refused by OCR, 1 on other errors.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path


def register(sub, common) -> None:
    """Add the ``tag`` subcommand."""
    p = sub.add_parser(
        "tag", parents=[common], help="propose a document's metadata from its text (OCR if needed)"
    )
    p.add_argument("input", type=Path)
    p.add_argument("--json", action="store_true", help="print the proposal as JSON")
    p.add_argument("--jobs", type=int, help="Tesseract processes at once (default from settings)")
    p.add_argument(
        "--no-digit-check",
        action="store_true",
        help="skip the second reading of ID/tax/phone digits with Tesseract eng (images only)",
    )
    p.set_defaults(func=run)


def _text_layer(pdf: Path) -> list[str] | None:
    """The PDF's own text when every page has a trustworthy layer, else None (then it is OCR'd)."""
    from ocr.textlayer import page_texts, text_layer_is_good

    try:
        pages = page_texts(pdf)
    except Exception:  # a PDF pdfplumber cannot read goes to OCR, which reports properly
        return None
    return pages if pages and all(text_layer_is_good(t) for t in pages) else None


def page_texts_of(
    path: Path, services, jobs: int | None = None, digit_check: bool = True
) -> tuple[list[str], str, list[float | None]]:
    """(page texts, source, native scan dpi of each page) of ``path``: source is ``text``,
    ``textlayer`` or ``ocr``; the dpi is None for text (the tagger then trusts the signer's title)."""
    if path.suffix.lower() == ".txt":
        texts = path.read_text(encoding="utf-8").split("\f")
        return texts, "text", [None] * len(texts)
    if path.suffix.lower() == ".pdf" and (pages := _text_layer(path)) is not None:
        return pages, "textlayer", [None] * len(pages)
    from ocr import ocr_to_pdfa

    cfg = services.settings.ocr
    with tempfile.TemporaryDirectory(prefix="sohoa-tag-") as tmp:
        result = ocr_to_pdfa(
            path,
            Path(tmp) / "out.pdf",
            language=cfg.language,
            jobs=jobs or cfg.jobs,
            page_timeout=cfg.timeout_seconds,
        )
    pages = [p.text for p in result.pages]
    dpi = [p.quality.get("dpi") if p.source == "ocr" else None for p in result.pages]
    if digit_check:
        from ingest.tagging.digits import recheck_file

        pages = recheck_file(str(path), pages)
    return pages, "ocr", dpi


def _print_plain(data: dict) -> None:
    for name in ("type", "number", "issued_date", "place", "organ", "organ_parent", "subject"):
        f = data[name]
        where = f" (trang {f['page']}, dòng {f['line']})" if f["page"] else ""
        print(f"{name:12} {f['value'] or '-'}  [{f['confidence']:.2f}]{where}")
    signer = data["signer"]
    print(
        f"{'signer':12} {signer['name']['value'] or '-'} / {signer['position']['value'] or '-'}"
        f"  [{signer['confidence']:.2f}]"
    )
    for ident in data["identifiers"]:
        print(
            f"{ident['kind']:12} {ident['value']}  [{ident['confidence']:.2f}] (trang {ident['page']}, "
            f"dòng {ident['line']})"
        )


def run(args, services) -> int:
    """Tag ``args.input``; see the module docstring for inputs and exit codes."""
    from ingest.tagging import extract
    from ocr import OcrError

    if not args.input.exists():
        print(f"sohoa tag: no such file: {args.input}", file=sys.stderr)
        return 1
    try:
        digit_check = services.settings.tagging.digit_check and not args.no_digit_check
        pages, source, dpi = page_texts_of(args.input, services, args.jobs, digit_check)
    except OcrError as exc:
        code, message = getattr(exc, "code", "ocr_failed"), getattr(exc, "message", str(exc))
        if args.json:
            print(
                json.dumps(
                    {"file": str(args.input), "status": "rejected", "reason_code": code, "message": message},
                    ensure_ascii=False,
                )
            )
        print(f"{code}: {message}", file=sys.stderr)
        return 2
    data = extract(pages, dpi).to_dict()
    if args.json:
        print(
            json.dumps(
                {"file": str(args.input), "source": source, "pages": len(pages), **data},
                ensure_ascii=False,
                indent=1,
            )
        )
    else:
        _print_plain(data)
    return 0
