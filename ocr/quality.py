"""Per-page quality: confidence, share of doubtful words, skew, blank page, resolution -> re-scan reasons.

The counter officer must know before the citizen leaves which page to scan again and why, in Vietnamese.
"""

from __future__ import annotations

from dataclasses import dataclass

WARNINGS_VI = {
    "low_confidence": "Chữ nhận dạng kém tin cậy (ảnh mờ, nhòe hoặc nhiều vết bẩn): đề nghị quét lại trang.",
    "many_doubtful_words": "Nhiều từ không đọc rõ: đề nghị quét lại trang với độ phân giải cao hơn.",
    "low_resolution": "Độ phân giải quét thấp hơn 200 dpi: đề nghị quét lại ở 300 dpi.",
    "blank_page": "Trang trắng hoặc gần như trắng: kiểm tra mặt giấy đã quét.",
    "skewed": "Trang bị nghiêng quá nhiều: đặt giấy thẳng và quét lại.",
    "no_text": "Không nhận dạng được chữ nào trên trang: kiểm tra lại bản quét.",
    "too_small": "Ảnh trang quá nhỏ (vài chục điểm ảnh), không đủ để đọc chữ: đề nghị quét lại.",
    "truncated": "Tệp bị cắt, có thể thiếu trang: phần cuối không đọc được, đề nghị quét lại hoặc gửi lại tệp.",
}
# A side shorter than this cannot hold one line of text (Tesseract needs ~10 px of x-height):
# such a page is kept with no text and the ``too_small`` warning, never cleaned or recognised.
MIN_READABLE_PX = 32


@dataclass
class Thresholds:
    """Where a page starts to need a re-scan; settings may override every value."""

    min_confidence: float = 70.0
    doubtful_word_conf: float = 60.0
    max_doubtful_share: float = 0.25
    min_dpi: float = 200.0
    max_skew: float = 4.9  # the deskew search covers +-5 degrees: beyond it the page is read crooked
    blank_ink: float = 0.0015


def warning_message(code: str) -> str:
    """The Vietnamese re-scan reason for a warning code (the code itself if unknown)."""
    return WARNINGS_VI.get(code, code)


def word_stats(words: list[tuple[str, float]], doubtful_conf: float) -> tuple[float | None, float]:
    """Character-weighted mean confidence and share of doubtful words, from Tesseract's (word, conf) pairs."""
    words = [(w, c) for w, c in words if w.strip() and c >= 0]
    if not words:
        return None, 0.0
    chars = sum(len(w) for w, _ in words)
    mean = sum(len(w) * c for w, c in words) / chars
    doubtful = sum(1 for _, c in words if c < doubtful_conf) / len(words)
    return round(mean, 1), round(doubtful, 3)


def assess(
    *,
    words: list[tuple[str, float]] | None,
    dpi: float,
    skew: float,
    ink: float,
    thresholds: Thresholds | None = None,
) -> tuple[dict, list[str]]:
    """Quality figures of one page and the warning codes that call for a re-scan.

    ``words`` is None for pages whose text came from a trusted text layer (nothing to doubt).
    """
    t = thresholds or Thresholds()
    quality: dict = {"dpi": round(dpi, 1), "skew": round(skew, 2), "ink": round(ink, 4)}
    warnings: list[str] = []
    # Little ink alone is not a blank page: a short note on A4 has little ink but reads well.
    conf_read = word_stats(words, t.doubtful_word_conf)[0] if words else None
    blank = ink < t.blank_ink and (conf_read is None or conf_read < t.min_confidence)
    quality["blank"] = blank
    if blank:
        warnings.append("blank_page")
    if dpi < t.min_dpi:
        warnings.append("low_resolution")
    if abs(skew) >= t.max_skew:
        warnings.append("skewed")
    if words is not None:
        conf, doubtful = word_stats(words, t.doubtful_word_conf)
        quality.update(confidence=conf, doubtful_share=doubtful, words=len(words))
        if conf is None and not blank:
            warnings.append("no_text")
        elif conf is not None and conf < t.min_confidence:
            warnings.append("low_confidence")
        elif doubtful > t.max_doubtful_share:
            warnings.append("many_doubtful_words")
    quality["messages"] = [warning_message(w) for w in warnings]
    return quality, warnings
