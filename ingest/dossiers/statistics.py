"""Monthly statistics (Art. 14) by department, and storage by department and year, from the
catalogue, the dossiers table and the reuse links."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from archive.catalogue import Catalogue

MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
LOW_CONFIDENCE = 70.0
COLUMNS = (
    "department",
    "dossiers_received",
    "dossiers_digitised",
    "digitisation_rate",
    "dossiers_reusing",
    "reuse_rate",
    "documents",
    "pages",
    "ocr_mean_confidence",
    "low_quality_documents",
)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def monthly(catalogue: Catalogue, month: str) -> list[dict]:
    """One row per department for ``month`` (YYYY-MM), plus a total row last."""
    db = catalogue.db
    like = f"{month}%"
    rows: dict[str, dict] = {}

    def row(dept: str) -> dict:
        return rows.setdefault(dept, dict.fromkeys(COLUMNS, 0) | {"department": dept, "_conf": []})

    for r in db.execute(
        "SELECT d.department, COUNT(*) AS received,"
        " SUM(CASE WHEN EXISTS (SELECT 1 FROM documents x WHERE x.dossier_code = d.code) THEN 1 ELSE 0 END)"
        " AS digitised,"
        " SUM(CASE WHEN EXISTS (SELECT 1 FROM web_reuse_links l WHERE l.dossier_code = d.code) THEN 1 ELSE 0 END)"
        " AS reusing"
        " FROM dossiers d WHERE d.received_at LIKE ? GROUP BY d.department",
        (like,),
    ):
        out = row(r["department"])
        out.update(
            dossiers_received=r["received"],
            dossiers_digitised=r["digitised"] or 0,
            dossiers_reusing=r["reusing"] or 0,
        )
    for r in db.execute(
        "SELECT department, COUNT(*) AS docs, SUM(pages) AS pages, AVG(mean_confidence) AS conf,"
        " SUM(CASE WHEN mean_confidence < ? THEN 1 ELSE 0 END) AS low FROM documents WHERE digitised_at LIKE ? GROUP BY department",
        (LOW_CONFIDENCE, like),
    ):
        out = row(r["department"])
        out.update(
            documents=r["docs"],
            pages=r["pages"] or 0,
            low_quality_documents=r["low"] or 0,
            ocr_mean_confidence=round(r["conf"], 1) if r["conf"] is not None else None,
        )
    result = [rows[k] for k in sorted(rows)]
    total: dict[str, Any] = dict.fromkeys(COLUMNS, 0) | {"department": "*"}
    for r in result:
        for key in (
            "dossiers_received",
            "dossiers_digitised",
            "dossiers_reusing",
            "documents",
            "pages",
            "low_quality_documents",
        ):
            total[key] += r[key]
    confs = [
        (r["ocr_mean_confidence"], r["documents"]) for r in result if r["ocr_mean_confidence"] is not None
    ]
    weight = sum(n for _, n in confs)
    total["ocr_mean_confidence"] = round(sum(c * n for c, n in confs) / weight, 1) if weight else None
    for r in [*result, total]:
        r.pop("_conf", None)
        r["digitisation_rate"] = _rate(r["dossiers_digitised"], r["dossiers_received"])
        r["reuse_rate"] = _rate(r["dossiers_reusing"], r["dossiers_received"])
    return [*result, total]


RATES = ("digitisation_rate", "reuse_rate")


def _percent(rate: object) -> object:
    return round(float(rate) * 100, 1) if isinstance(rate, int | float) else rate


def _cell(value: object, decimal_comma: bool) -> object:
    """A cell as the reader's spreadsheet reads a number: 85,3 in Vietnamese, 85.3 in English
    (no thousands separator, so it stays a number)."""
    if value is None:
        return ""
    if decimal_comma and isinstance(value, float):
        return f"{value:.1f}".replace(".", ",") if value != int(value) else str(int(value))
    return value


def to_csv(rows: list[dict], headers: dict[str, str] | None = None, lang: str = "vi") -> str:
    """CSV (UTF-8 with BOM so spreadsheet programs read the Vietnamese right); ``headers`` names
    the columns in the reader's language (the column keys otherwise). Vietnamese: decimal comma
    and ``;`` between cells, as spreadsheets set to Vietnamese expect."""
    buf = io.StringIO()
    vi = lang == "vi"
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, extrasaction="ignore", delimiter=";" if vi else ",")
    # Rates in percent, as the screen shows them (50,0 under "... (%)", not 0,5).
    names = {k: (headers or {}).get(k, k) for k in COLUMNS}
    writer.writerow({k: f"{v} (%)" if k in RATES else v for k, v in names.items()})
    for r in rows:
        writer.writerow({k: _cell(_percent(r.get(k)) if k in RATES else r.get(k), vi) for k in COLUMNS})
    return "\ufeff" + buf.getvalue()


def storage(catalogue: Catalogue) -> list[dict]:
    """Documents and pages stored by department and year (the records unit's chart)."""
    rows = catalogue.db.execute(
        "SELECT department, substr(digitised_at, 1, 4) AS year, COUNT(*) AS documents,"
        " SUM(pages) AS pages FROM documents GROUP BY department, year ORDER BY department, year"
    )
    return [dict(r) for r in rows]


def bars(rows: list[dict], value: str, label) -> list[dict]:
    """Rows scaled for an SVG bar chart (widths in percent of the largest value)."""
    top = max((r[value] or 0 for r in rows), default=0) or 1
    return [
        {"label": label(r), "value": r[value] or 0, "width": round(100 * (r[value] or 0) / top, 1)}
        for r in rows
    ]
