"""Pages joined into one PDF (a joined upload, a batch part) keep the scan as it was handed in:
a JPEG's own bytes, a PNG's or TIFF frame's exact pixels, at the scan's resolution."""

from __future__ import annotations

import numpy as np
import pikepdf
from PIL import Image

from ingest.batch.pages import PageRef, write_part


def _noise(mode: str, size=(240, 320), seed: int = 1) -> Image.Image:
    rng = np.random.default_rng(seed)
    shape = (size[1], size[0], 3) if mode == "RGB" else (size[1], size[0])
    return Image.fromarray(rng.integers(0, 256, shape, dtype=np.uint8), mode)


def _page_image(pdf: pikepdf.Pdf, index: int) -> pikepdf.PdfImage:
    page = pdf.pages[index]
    (name,) = list(page.get_images().keys())
    return pikepdf.PdfImage(page.get_images()[name])


def test_jpeg_bytes_and_png_tiff_pixels_kept(tmp_path) -> None:
    jpeg, png, tiff = tmp_path / "a.jpg", tmp_path / "b.png", tmp_path / "c.tif"
    _noise("RGB").save(jpeg, quality=60, dpi=(200, 200))
    _noise("L", seed=2).save(png, dpi=(300, 300))
    frames = [_noise("L", seed=3), _noise("L", seed=4)]
    frames[0].save(tiff, save_all=True, append_images=frames[1:], dpi=(150, 150))
    refs = [PageRef(0, jpeg, 0, False), PageRef(0, png, 0, False), PageRef(0, tiff, 1, False)]
    out = write_part(refs, tmp_path / "joined.pdf")
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == 3
        first = pdf.pages[0].get_images()
        (stream,) = list(first.values())
        assert stream.read_raw_bytes() == jpeg.read_bytes()  # embedded as handed in, not re-encoded
        for index, original in ((1, Image.open(png)), (2, frames[1])):
            got = _page_image(pdf, index).as_pil_image()
            assert np.array_equal(np.asarray(got.convert("L")), np.asarray(original.convert("L")))
        # Page size follows the scan's resolution: 240 px at 200 dpi = 86.4 pt.
        assert abs(float(pdf.pages[0].mediabox[2]) - 240 / 200 * 72) < 0.5
        assert abs(float(pdf.pages[2].mediabox[2]) - 240 / 150 * 72) < 0.5


def test_alpha_png_is_flattened_without_loss_of_colour(tmp_path) -> None:
    rgba = _noise("RGB", seed=5).convert("RGBA")
    path = tmp_path / "alpha.png"
    rgba.save(path)
    out = write_part([PageRef(0, path, 0, False)], tmp_path / "one.pdf")
    with pikepdf.open(out) as pdf:
        got = np.asarray(_page_image(pdf, 0).as_pil_image().convert("RGB"))
    assert np.array_equal(got, np.asarray(rgba.convert("RGB")))
