"""Diacritics restoration: statistics from real administrative text, the bigram model, the store."""

from __future__ import annotations

from archive.diacritics import VocabularyDelta, apply_case, document_terms, restore_words, restored_text
from archive.search_index import SearchQuery, restore_query
from archive.vocabulary_store import SqliteVocabulary

# Real sentences of public decisions and letters (not protected: Law on IP, Art. 15).
REAL = [
    "Căn cứ Nghị định số 81/2018/NĐ-CP ngày 22/5/2018 của Chính phủ quy định chi tiết Luật Thương mại "
    "về hoạt động xúc tiến thương mại; sửa đổi, bổ sung một số điều của Nghị định.",
    "Điều 1. Phê duyệt Danh mục địa điểm tổ chức hội chợ, triển lãm thương mại và lĩnh vực ưu tiên "
    "tổ chức hội chợ, triển lãm thương mại trên địa bàn tỉnh Bắc Ninh năm 2026.",
    "Liên quan đến vướng mắc về mức tiền ăn trưa, ăn giữa ca khi xác định thuế thu nhập cá nhân của "
    "người nộp thuế, Cục Thuế đã có công văn về việc chính sách thuế thu nhập cá nhân.",
    "Sở Công Thương có trách nhiệm chủ trì, phối hợp với các cơ quan, đơn vị liên quan thực hiện quản "
    "lý hoạt động, xác nhận và hướng dẫn các doanh nghiệp tổ chức hội chợ theo đúng quy định.",
    "Hồ sơ đề nghị cấp giấy phép xây dựng gồm đơn đề nghị, bản sao giấy tờ về quyền sử dụng đất "
    "và bản vẽ thiết kế; hồ sơ nộp tại bộ phận một cửa.",
    "Thời hạn giải quyết hồ sơ là 15 ngày làm việc; cơ quan tiếp nhận hồ sơ có trách nhiệm hướng dẫn "
    "tổ chức, cá nhân bổ sung hồ sơ một lần.",
    "Giấy phép xây dựng có thời hạn được cấp cho công trình xây dựng, nhà ở riêng lẻ.",
    "Chủ đầu tư nộp hồ sơ đề nghị cấp giấy phép xây dựng tại cơ quan quản lý xây dựng.",
]


def store_of(tmp_path, texts_by_department: dict[str, list[str]]) -> SqliteVocabulary:
    store = SqliteVocabulary(tmp_path / "vocab.sqlite3")
    delta = VocabularyDelta()
    for department, texts in texts_by_department.items():
        for text in texts:
            delta.add(department, document_terms([text]))
    store.apply(delta)
    return store


def lookup_of(store: SqliteVocabulary, departments=None, min_documents: int = 1):
    return lambda keys: store.lookup(keys, departments, min_documents)


def test_terms_are_lower_case_syllables_and_bigrams_without_names():
    terms = document_terms(["Kính gửi: Bà Đặng Phương Hà My, về chính sách thuế thu nhập cá nhân."])
    assert {"chính", "sách", "chính sách", "thuế thu", "thu nhập", "cá nhân", "về chính"} <= terms
    # Capitalised words inside a sentence (names, places) and the bigrams around them are not
    # learnt; a sentence's first word is ("Kính gửi", "Bà" after the colon).
    assert not {"đặng", "phương", "hà", "my"} & terms and {"kính gửi", "bà"} <= terms
    assert "my về" not in terms and "gửi bà" not in terms and "bà đặng" not in terms
    assert not {"nguyễn", "văn"} & document_terms(["KT. CHỦ TỊCH\nNGUYỄN VĂN AN"])
    # A bigram never spans punctuation.
    assert "nhân về" not in document_terms(["cá nhân, về việc"])
    assert "thuế" in document_terms(["81/2018/NĐ-CP thuế"]) and "nđ" not in document_terms(["NĐ"])


def test_restores_real_phrases_from_real_text(tmp_path):
    store = store_of(tmp_path, {"STP": REAL})
    lookup = lookup_of(store)
    cases = {
        "ho so de nghi cap giay phep xay dung": "hồ sơ đề nghị cấp giấy phép xây dựng",
        "thue thu nhap ca nhan": "thuế thu nhập cá nhân",
        "hoi cho trien lam thuong mai": "hội chợ triển lãm thương mại",
        "bo sung ho so": "bổ sung hồ sơ",
        "chinh sach thue": "chính sách thuế",
    }
    for typed, expected in cases.items():
        # Seven sentences are thin evidence: a lower bar than the default's (0.9 probability).
        restored = restore_words(typed.split(), lookup, confidence=0.75)
        assert " ".join(w or "?" for w in restored) == expected, typed
    # Unsure words are left alone: "nhan" is "nhân" or "nhận" (xác nhận, tiếp nhận) as often.
    assert restore_words(["nhan"], lookup) == [None]


def test_context_chooses_between_forms_of_one_fold(tmp_path):
    # "so" is "số" before "điều" and after "nghị định", "sơ" after "hồ".
    store = store_of(tmp_path, {"STP": REAL})
    lookup = lookup_of(store)
    assert restore_words(["ho", "so"], lookup, confidence=0.75) == ["hồ", "sơ"]
    assert restore_words(["mot", "so", "dieu"], lookup, confidence=0.75) == ["một", "số", "điều"]


def test_marks_typed_are_kept_and_constrain_neighbours(tmp_path):
    lookup = lookup_of(store_of(tmp_path, {"STP": REAL}))
    assert restore_words(["hồ", "so"], lookup, confidence=0.75) == ["hồ", "sơ"]
    assert restore_words(["hổ", "so"], lookup)[0] == "hổ"
    # Numbers and unknown words: kept (numbers) or unknown (None).
    assert restore_words(["81", "zzz", "ho", "so"], lookup, confidence=0.75) == ["81", None, "hồ", "sơ"]


def test_departments_and_minimum_documents_limit_what_is_suggested(tmp_path):
    store = store_of(tmp_path, {"STP": REAL[:2], "CT": REAL[2:4] + REAL[2:3]})
    # "thuế" is only in CT's documents: an official of STP gets no suggestion for "thue".
    assert restore_words(["thue"], lookup_of(store, ("STP",))) == [None]
    assert restore_words(["thue"], lookup_of(store, ("CT",))) == ["thuế"]
    assert restore_words(["thue"], lookup_of(store, ())) == [None]
    # Held by two CT documents: offered at min 2, not at min 3.
    assert restore_words(["thue"], lookup_of(store, ("CT",), 2)) == ["thuế"]
    assert restore_words(["thue"], lookup_of(store, ("CT",), 3)) == [None]


def test_store_counts_down_and_forgets(tmp_path):
    store = store_of(tmp_path, {"STP": [REAL[4], REAL[5]]})
    assert store.documents("hồ sơ", "STP") == 2
    delta = VocabularyDelta()
    delta.add("STP", document_terms([REAL[4]]), -1)
    store.apply(delta)
    assert store.documents("hồ sơ", "STP") == 1 and store.documents("xây dựng", "STP") == 0
    assert "xay dung" not in store.lookup({"xay dung"}, None, 1)


def test_restored_text_keeps_case_quotes_and_notations(tmp_path):
    assert apply_case("Ho", "hồ") == "Hồ" and apply_case("HO", "hồ") == "HỒ"
    assert restored_text('Ho so "giay phep"', ["hồ", "sơ", "giấy", "phép"]) == 'Hồ sơ "giấy phép"'
    lookup = lookup_of(store_of(tmp_path, {"STP": REAL * 3}))
    restoration = restore_query(SearchQuery(text='"ho so" 81/2018/ND-CP'), lookup)
    assert restoration is not None
    assert restoration.text == '"hồ sơ" 81/2018/ND-CP'
    assert [p.words for p in restoration.parts] == [("hồ", "sơ"), ("81", "2018", "nd", "cp")]
    assert restore_query(SearchQuery(text="hồ sơ"), lookup) is None
    assert restore_query(SearchQuery(text="ho so", restore=False), lookup) is None


def test_a_query_with_any_marks_is_searched_as_typed(tmp_path):
    lookup = lookup_of(store_of(tmp_path, {"STP": REAL * 3}))
    assert restore_query(SearchQuery(text="hồ so"), lookup) is None
    assert restore_query(SearchQuery(text="ban hành quy chế"), lookup) is None
    assert restore_query(SearchQuery(text="ho so"), lookup) is not None
