"""A small archival PDF/A-2b made the way the OCR pipeline writes one (page image, no OCR), for
tests about what happens to the archival file afterwards (signing)."""

from __future__ import annotations

from pathlib import Path

from ocr.inputs import encode_jpeg
from ocr.pdfa import ImagePage, write_pdfa
from tests.support.render import render_page


def make_pdfa(lines: list[str], out: Path, dpi: int = 100) -> Path:
    """One scanned-looking page of ``lines`` as PDF/A-2b at ``out``."""
    img = render_page(lines, dpi=dpi).convert("L")
    page = ImagePage(
        jpeg=encode_jpeg(img, 80), width=img.width, height=img.height, grey=True, dpi=dpi, text_pdf=None
    )
    write_pdfa([page], out)
    return out


def strip_signatures(signed: Path, out: Path) -> Path:
    """The signed copy without its signature objects (form, signature dictionaries, DSS, the PAdES
    extension declaration), its
    stamp drawn into page 1's content as a form XObject: what PDF/A validators can check."""
    import pikepdf

    with pikepdf.open(signed) as pdf:
        for key in ("/AcroForm", "/Perms", "/DSS"):
            if key in pdf.Root:
                del pdf.Root[key]
        if "/Extensions" in pdf.Root and "/ESIC" in pdf.Root.Extensions:
            del pdf.Root.Extensions["/ESIC"]  # PAdES's declaration (ETSI), part of the signature
            if not pdf.Root.Extensions.keys():
                del pdf.Root["/Extensions"]
        for page in pdf.pages:
            kept = pikepdf.Array()
            for annot in page.obj.get("/Annots", pikepdf.Array()):
                if annot.get("/FT") != "/Sig" and annot.get("/Parent", {}).get("/FT") != "/Sig":
                    kept.append(annot)
                    continue
                if "/AP" not in annot:
                    continue  # an invisible field (the document time-stamp)
                x0, y0 = float(annot.Rect[0]), float(annot.Rect[1])
                if "/Resources" not in page.obj:
                    page.obj.Resources = pikepdf.Dictionary()
                if "/XObject" not in page.obj.Resources:
                    page.obj.Resources.XObject = pikepdf.Dictionary()
                page.obj.Resources.XObject["/SoHoaStamp"] = annot.AP.N
                page.contents_add(pdf.make_stream(f"q 1 0 0 1 {x0} {y0} cm /SoHoaStamp Do Q".encode()))
            if "/Annots" in page.obj:
                page.obj.Annots = kept
        pdf.save(out)
    return out
