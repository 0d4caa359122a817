"""Folding, NFC and tokenising of Vietnamese text."""

from __future__ import annotations

import unicodedata

from archive.vietnamese import _fold_table, fold, has_diacritics, nfc, tokens


def test_fold_strips_marks_and_d_with_stroke():
    assert fold("Hồ sơ đăng ký ĐỒNG NAI") == "Ho so dang ky DONG NAI"
    assert fold("Ủy ban nhân dân tỉnh Đồng Nai") == "Uy ban nhan dan tinh Dong Nai"
    assert fold("ơ ư ă â ê ô Ơ Ư Ă Â Ê Ô") == "o u a a e o O U A A E O"


def test_fold_keeps_length_for_offsets():
    text = "Căn cứ Quyết định số 1748/QĐ-UBND ngày 25 tháng 7 năm 2023. " * 20
    assert len(fold(text)) == len(nfc(text))


def test_fold_takes_decomposed_input_to_nfc_first():
    decomposed = unicodedata.normalize("NFD", "Quyết định")
    assert fold(decomposed) == "Quyet dinh"


def test_long_text_path_matches_short_text_path():
    """Long pages are folded through a numpy lookup; it must agree with str.translate,
    including characters outside the lookup table (emoji, CJK, astral planes)."""
    text = ("Đồng Nai 𝔸 😀 漢字 ǅ ﬁ Ồ ở ữ ỹ ự " * 40) + "ệ"
    assert len(text) > 256
    assert fold(text) == nfc(text).translate(_fold_table())
    assert fold("") == "" and fold("abc") == "abc"


def test_tokens_lowercase_nfc_and_split_notation():
    assert tokens("Số: 1748/QĐ-UBND") == ["số", "1748", "qđ", "ubnd"]
    assert tokens(unicodedata.normalize("NFD", "HỒ SƠ")) == ["hồ", "sơ"]
    assert tokens("a_b " + "x" * 41) == ["a", "b"]  # underscores split; over-long tokens dropped


def test_has_diacritics():
    assert has_diacritics("hồ sơ") and has_diacritics("đi")
    assert not has_diacritics("ho so")
