"""Put the field extractors together: page texts in, ``TagResult`` out."""

from __future__ import annotations

from ingest.tagging.bigrams import repair as repair_marks
from ingest.tagging.calibration import MIN_DPI, calibrate
from ingest.tagging.doctype import find_title, is_rule, subject_after
from ingest.tagging.header import is_vv, organ_chunks, vv_subject
from ingest.tagging.identifiers import find_identifiers
from ingest.tagging.notation import find_number, type_from_notation
from ingest.tagging.place_date import find_dates, numeric_date, pick_date
from ingest.tagging.result import Field, TagResult
from ingest.tagging.signer import find_signer
from ingest.tagging.text import Line, fold, is_syllable, to_lines
from ingest.tagging.vocabulary import (
    ADMIN_PHRASES,
    ORGAN_HEADS,
    ORGAN_WORDS,
    PROVINCES,
    snap,
    snap_position,
    snap_whole,
)

ORGAN_VOCAB = ORGAN_WORDS + tuple(p.upper() for p in PROVINCES)
HEADER_MAX_LINES = 16
BODY_STARTS = ("kinh gui", "can cu", "thuc hien", "hom nay")


def _header_end(lines: list[Line], title_index: int | None) -> int:
    """Index (exclusive) of the header region in ``lines``: up to the title, V/v or first body line."""
    limit = min(len(lines), HEADER_MAX_LINES)
    if title_index is not None:
        limit = min(limit, title_index)
    for i, line in enumerate(lines[:limit]):
        if line.page != 1 or fold(line.text).startswith(BODY_STARTS):
            return i
    return limit


def _field(value: str, confidence: float, line: Line | None) -> Field:
    if not value:
        return Field("", round(confidence, 2))
    return Field(value, round(confidence, 2), line.page if line else None, line.no if line else None)


def _trim_noise(text: str) -> str:
    """Drop trailing OCR noise from an organ line: lower-case bits, punctuation, letter runs that are no
    Vietnamese syllable (``... CÔNG se``, ``... CHÍNH TEEN``, ``... : SH``); abbreviations in the
    vocabulary (UBND) and tokens with a dot or dash (``TP.``, ``TC-KH``) stay."""
    words = text.split()
    known = {w for phrase in ORGAN_VOCAB for w in phrase.split()}
    while words:
        last = words[-1]
        noise = (
            not any(ch.isalpha() for ch in last)
            or not last.isupper()
            or (last.isalpha() and last not in known and not is_syllable(last))
        )
        if not noise:
            break
        words.pop()
    return " ".join(words)


def _organ_groups(kept: list[tuple[str, Line]]) -> list[tuple[str, Line]]:
    """Header lines joined into organ names, top to bottom: parents first, the issuing body last."""
    groups: list[tuple[str, Line]] = []
    for text, line in kept:
        if groups and not fold(text + " ").startswith(ORGAN_HEADS):
            groups[-1] = (f"{groups[-1][0]} {text}", groups[-1][1])
        else:
            groups.append((text, line))
    return groups


def _organ(header: list[Line]) -> tuple[Field, Field]:
    """(the issuing organ as printed, its parent body's header line(s))."""
    raw = organ_chunks(header)[:4]
    if not raw:
        return Field("", 0.5), Field("", 0.5)  # citizens' forms have no organ: empty is a fair guess
    kept: list[tuple[str, Line]] = []
    repaired = False
    for text, line in raw:
        # A speck read as a lone symbol inside the line (NGHỆ ¿ AN) is no word of the name.
        words = text.split()
        text = " ".join(w for w in words if any(ch.isalnum() for ch in w) or w in ("-", "–", "&"))
        snapped, changed = snap(text, ORGAN_VOCAB)
        changed |= len(text.split()) != len(words)
        trimmed = _trim_noise(snapped)
        if trimmed:  # a rule under the organ read as letters ("TEEN") is no line of it
            kept.append((trimmed, line))
            repaired |= changed or trimmed != snapped
    if not kept:
        return Field("", 0.4), Field("", 0.4)
    groups = _organ_groups(kept)
    conf = (0.9 if len(kept) <= 3 else 0.75) - (0.1 if repaired else 0.0)
    organ = _field(groups[-1][0], conf, groups[-1][1])
    if len(groups) == 1:
        return organ, Field("", conf)
    return organ, _field(" ".join(g for g, _ in groups[:-1]), conf, groups[0][1])


def _respell(subject: str) -> tuple[str, bool]:
    """Frequent phrases respelt, then words whose bigrams are unseen given their attested marks."""
    subject, snapped = snap(subject, ADMIN_PHRASES)
    subject, _ = repair_marks(subject)
    return subject, snapped


def _type_and_subject(content: list[Line], header: list[Line], title, number: str) -> tuple[Field, Field]:
    vv_at = next((i for i, line in enumerate(header) if is_vv(line.text)), None)
    if title is not None:
        subject, line, conf = subject_after(content, title)
        subject, repaired = _respell(subject)
        return (
            _field(title.type_name, title.confidence, content[title.index]),
            _field(subject, conf - (0.1 if repaired else 0.0), line),
        )
    if vv_at is not None:
        texts, used = vv_subject(header, vv_at)
        subject, repaired = _respell(" ".join(texts))
        return _field("Công văn", 0.85, header[vv_at]), _field(subject, 0.75 if repaired else 0.85, used[0])
    implied = type_from_notation(number)
    if number and not implied:
        return Field("Công văn", 0.6), Field("", 0.0)
    return Field(implied, 0.5 if implied else 0.0), Field("", 0.0)


def extract(pages: list[str], scan_dpi: list[float | None] | None = None) -> TagResult:
    """Propose the metadata of one document from the OCR (or text layer) text of its pages;
    ``scan_dpi``, each page's native scan resolution (None: a text layer or unknown), lets the
    confidence of the signer's title drop on low-resolution copies (``calibration.calibrate``)."""
    lines = to_lines(pages)
    content = [line for line in lines if not line.blank or line.page == 1]
    page1 = [line for line in content if line.page == 1]
    title = find_title(page1)
    header_end = _header_end(page1, title.index if title else None)
    header = [line for line in page1[:header_end] if not line.blank and not is_rule(line.text)]
    number, num_conf, num_line = find_number(page1, limit=(page1[title.index].no + 3) if title else 20)
    doc_type, subject = _type_and_subject(page1, header, title, number)
    if "/VBHN-" in number.upper() and doc_type.value:
        # A consolidated text prints the consolidated act's title; its notation says what it is.
        doc_type = Field("Văn bản hợp nhất", doc_type.confidence, doc_type.page, doc_type.line)
    hit, date_conf = pick_date(find_dates(lines), page1[header_end - 1].no if header_end else 0)
    organ, parent = _organ(header)
    result = TagResult(
        type=doc_type,
        number=_field(number, num_conf, num_line),
        subject=subject,
        organ=organ,
        organ_parent=parent,
    )
    if hit:
        if hit.issued:
            result.issued_date = _field(hit.issued.isoformat(), date_conf, hit.line)
        place, repaired = snap_whole(hit.place, PROVINCES)
        result.place = _field(place, date_conf - (0.1 if repaired else 0.0), hit.line)
    elif (fallback := numeric_date(page1[: header_end + 4])) is not None:
        result.issued_date = _field(fallback[0].isoformat(), 0.4, fallback[1])
    (name, name_line, name_conf), (position, pos_line, pos_conf) = find_signer(lines)
    result.signer_name = _field(name, name_conf, name_line)
    position, repaired = snap_position(position)
    result.signer_position = _field(position, pos_conf - (0.05 if repaired else 0.0), pos_line)
    result.identifiers = find_identifiers(lines)
    last_dpi = scan_dpi[-1] if scan_dpi else None
    return calibrate(result, low_resolution=last_dpi is not None and last_dpi < MIN_DPI)
