"""One contract for every SearchIndex: the embedded tantivy index always, Elasticsearch when
``SOHOA_ES_URL`` points at a cluster (no package here ships an ES server, so CI skips it)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from archive.model import Applicant, Document, DocumentMetadata, PageText
from archive.search_index import SearchIndex, SearchQuery

ES_URL = os.environ.get("SOHOA_ES_URL", "")
ES_SKIP = "Elasticsearch tests skipped: SOHOA_ES_URL not set"


@pytest.fixture(
    params=[
        "tantivy",
        pytest.param(
            "elasticsearch", marks=[pytest.mark.elasticsearch, pytest.mark.skipif(not ES_URL, reason=ES_SKIP)]
        ),
    ]
)
def index(request, tmp_path) -> Iterator[SearchIndex]:
    if request.param == "tantivy":
        from archive.indexes.tantivy_index import TantivyIndex

        idx: SearchIndex = TantivyIndex(tmp_path / "index")
        yield idx
        idx.close()
    else:
        from archive.indexes.elastic_index import ElasticIndex

        idx = ElasticIndex(url=ES_URL, index=f"sohoa-test-{uuid.uuid4().hex[:10]}")
        yield idx
        idx.drop()


def doc(
    doc_id: str,
    *pages: str,
    department: str = "STP",
    doc_type: str = "Quyết định",
    owner: str = "075123456789",
    when: str = "2024-03-05T09:00:00Z",
    role: str = "result",
) -> Document:
    return Document(
        id=doc_id,
        dossier_code=f"000.00.12.H19-240305-{doc_id[-4:]:0>4}",
        role=role,
        department=department,
        procedure_code="1.011442.000.00.00.H19",
        applicant=Applicant(id=owner, name="Nguyễn Văn A"),
        metadata=DocumentMetadata(type_name=doc_type, number="1748/QĐ-UBND"),
        digitised_at=when,
        pages=[PageText(number=n, text=t) for n, t in enumerate(pages, start=1)],
    )


def fill(index: SearchIndex, *docs: Document) -> None:
    for d in docs:
        index.add(d)
    index.commit()


def ids(index: SearchIndex, text: str = "", **kw) -> list[tuple[str, int]]:
    return [(h.document_id, h.page) for h in index.search(SearchQuery(text=text, limit=50, **kw)).hits]


def test_with_and_without_diacritics_exact_first(index):
    fill(
        index,
        doc("d-0001", "Tờ khai ho so khong dau cua nguoi dan, ho so nop truc tiep"),
        doc("d-0002", "Hồ sơ đề nghị cấp giấy phép xây dựng"),
        doc("d-0003", "Hổ số liệu thống kê không liên quan"),
        doc("d-0004", "Giấy tờ khác hoàn toàn"),
    )
    with_marks = ids(index, "hồ sơ")
    assert with_marks[0] == ("d-0002", 1)
    assert {d for d, _ in with_marks} == {"d-0001", "d-0002", "d-0003"}
    assert {d for d, _ in ids(index, "ho so")} == {"d-0001", "d-0002", "d-0003"}
    assert ids(index, '"hồ sơ đề nghị"') == [("d-0002", 1)]
    assert ids(index, "HỒ SƠ")[0] == ("d-0002", 1)


def test_d_with_stroke_folds(index):
    fill(index, doc("d-0001", "Ủy ban nhân dân tỉnh Đồng Nai quyết định"), doc("d-0002", "đăng ký đất đai"))
    for query in ("dong nai", "DONG NAI", "Đồng Nai", "đồng nai"):
        assert ids(index, query) == [("d-0001", 1)], query
    assert ids(index, "dang ky dat dai") == [("d-0002", 1)]


def test_phrases_quoted_and_notation(index):
    fill(
        index,
        doc("d-0001", "Căn cứ Quyết định số 1748/QĐ-UBND ngày 25 tháng 7 năm 2023"),
        doc("d-0002", "Căn cứ Quyết định số 1748/QĐ-STP và công văn QĐ-UBND khác"),
        doc("d-0003", "UBND QĐ 1748 theo thứ tự khác"),
        doc("d-0004", "cấp giấy phép xây dựng nhà ở"),
        doc("d-0005", "giấy xây dựng phép lạ"),
    )
    assert ids(index, "1748/QĐ-UBND") == [("d-0001", 1)]
    assert ids(index, "1748/qd-ubnd") == [("d-0001", 1)]
    assert ids(index, '"giấy phép xây dựng"') == [("d-0004", 1)]
    assert ids(index, '"giay phep xay dung"') == [("d-0004", 1)]
    assert {d for d, _ in ids(index, "giấy xây dựng phép")} == {"d-0004", "d-0005"}


def test_filters_and_date_range(index):
    fill(
        index,
        doc("d-0001", "hồ sơ đất đai", department="STNMT", when="2023-02-01T08:00:00Z"),
        doc(
            "d-0002",
            "hồ sơ đất đai",
            department="STNMT",
            doc_type="Giấy phép",
            when="2024-06-30T23:30:00Z",
            owner="075200000001",
        ),
        doc("d-0003", "hồ sơ đất đai", department="SXD", when="2024-07-01T00:00:00Z"),
    )
    assert {d for d, _ in ids(index, "hồ sơ", filters={"department": "STNMT"})} == {"d-0001", "d-0002"}
    assert ids(index, "hồ sơ", filters={"doc_type": "Giấy phép"}) == [("d-0002", 1)]
    assert ids(index, filters={"owner_id": "075200000001"}) == [("d-0002", 1)]
    assert {d for d, _ in ids(index, "ho so", filters={"year": "2024"})} == {"d-0002", "d-0003"}
    assert ids(index, "hồ sơ", date_from="2024-01-01", date_to="2024-06-30") == [("d-0002", 1)]
    assert {d for d, _ in ids(index, "hồ sơ", date_from="2024-06-30")} == {"d-0002", "d-0003"}
    assert ids(index, "hồ sơ", filters={"department": "SXD"}, date_to="2023-12-31") == []
    with pytest.raises(ValueError):
        index.search(SearchQuery(text="x", filters={"no_such_field": "1"}))


def test_facets_count_documents_not_pages(index):
    fill(
        index,
        doc(
            "d-0001", "giấy phép một", "giấy phép hai", "giấy phép ba", department="SXD", doc_type="Giấy phép"
        ),
        doc("d-0002", "giấy phép khác", department="SXD", doc_type="Quyết định"),
        doc("d-0003", "giấy phép nữa", department="STP", doc_type="Quyết định"),
        doc("d-0004", "không liên quan", department="SYT", doc_type="Công văn"),
    )
    result = index.search(SearchQuery(text="giấy phép", facets=("department", "doc_type")))
    assert result.total == 5  # pages
    assert result.facets["department"] == {"SXD": 2, "STP": 1}
    assert result.facets["doc_type"] == {"Giấy phép": 1, "Quyết định": 2}
    filtered = index.search(
        SearchQuery(text="giay phep", filters={"department": "SXD"}, facets=("doc_type",))
    )
    assert filtered.facets["doc_type"] == {"Giấy phép": 1, "Quyết định": 1}


def test_sort_by_date_newest_first(index):
    fill(
        index,
        doc("d-0001", "biên bản", when="2022-01-01T00:00:00Z"),
        doc("d-0002", "biên bản", when="2025-01-01T00:00:00Z"),
        doc("d-0003", "biên bản", when="2023-06-01T00:00:00Z"),
    )
    assert [d for d, _ in ids(index, "biên bản", sort="date")] == ["d-0002", "d-0003", "d-0001"]


def test_pagination_with_offset(index):
    fill(index, *[doc(f"d-{n:04d}", f"thông báo số {n}") for n in range(1, 8)])
    seen = []
    for offset in (0, 3, 6):
        page = index.search(SearchQuery(text="thông báo", limit=3, offset=offset))
        assert page.total == 7
        seen += [h.document_id for h in page.hits]
    assert len(seen) == 7 and len(set(seen)) == 7
    assert index.search(SearchQuery(text="thông báo", limit=3, offset=10)).hits == []


def test_limit_zero_counts_without_hits(index):
    fill(index, doc("d-0001", "công văn", "công văn"))
    result = index.search(SearchQuery(text="cong van", limit=0, facets=("department",)))
    assert result.hits == [] and result.total == 2
    assert result.facets["department"] == {"STP": 1}


def test_hits_carry_page_text_and_codes(index):
    d = doc("d-0001", "trang một", "trang hai có Đồng Nai")
    fill(index, d)
    [hit] = index.search(SearchQuery(text="dong nai")).hits
    assert (hit.document_id, hit.dossier_code, hit.page) == ("d-0001", d.dossier_code, 2)
    assert hit.text == "trang hai có Đồng Nai" and hit.score > 0


def test_delete(index):
    fill(index, doc("d-0001", "hợp đồng lao động"), doc("d-0002", "hợp đồng thuê nhà"))
    index.delete("d-0001")
    index.commit()
    assert ids(index, "hợp đồng") == [("d-0002", 1)]
    assert index.search(SearchQuery(text="hop dong", facets=("department",))).facets["department"] == {
        "STP": 1
    }


def test_re_add_replaces_pages(index):
    fill(index, doc("d-0001", "tờ trình một", "tờ trình hai", "tờ trình ba"))
    fill(index, doc("d-0001", "tờ trình mới", "tờ trình cuối", department="SXD"))
    result = index.search(SearchQuery(text="tờ trình", limit=10, facets=("department",)))
    assert sorted((h.document_id, h.page) for h in result.hits) == [("d-0001", 1), ("d-0001", 2)]
    assert result.total == 2 and result.facets["department"] == {"SXD": 1}


def test_rebuild_swaps_without_half_index(index):
    fill(index, doc("d-0001", "bản cũ"), doc("d-0002", "bản cũ"))
    seen_during: list[int] = []

    def fresh() -> Iterator[Document]:
        for n in range(1, 4):
            yield doc(f"n-{n:04d}", "bản mới")
            # Mid-rebuild the live index is still the whole old one, none of the new.
            seen_during.append(index.search(SearchQuery(text="bản")).total)

    assert index.rebuild(fresh()) == 3
    assert seen_during == [2, 2, 2]
    assert {d for d, _ in ids(index, "bản")} == {"n-0001", "n-0002", "n-0003"}
    assert ids(index, "bản cũ") == []


def test_empty_index_and_empty_query(index):
    assert index.search(SearchQuery(text="bất kỳ")).total == 0
    fill(index, doc("d-0001", "một", "hai"))
    assert index.search(SearchQuery(text="")).total == 2
    assert index.search(SearchQuery(text='"" ...')).total == 2


def test_pagination_keeps_exact_matches_first(index):
    fill(
        index,
        *[doc(f"e-{n:04d}", f"hồ sơ số {n}") for n in range(1, 4)],
        *[doc(f"f-{n:04d}", f"ho so khong dau {n}") for n in range(1, 4)],
    )
    seen = []
    for offset in (0, 2, 4):
        result = index.search(SearchQuery(text="hồ sơ", limit=2, offset=offset))
        assert result.total == 6
        seen += [h.document_id for h in result.hits]
    assert sorted(seen[:3]) == ["e-0001", "e-0002", "e-0003"]
    assert sorted(seen[3:]) == ["f-0001", "f-0002", "f-0003"]
    scores = [h.score for h in index.search(SearchQuery(text="hồ sơ", limit=6)).hits]
    assert scores == sorted(scores, reverse=True)
    assert index.search(SearchQuery(text="hồ sơ", limit=0)).total == 6


def test_failed_rebuild_keeps_the_live_index(index):
    fill(index, doc("d-0001", "bản cũ"))

    def broken() -> Iterator[Document]:
        yield doc("n-0001", "bản mới")
        raise OSError("archive unreachable")

    with pytest.raises(OSError):
        index.rebuild(broken())
    assert ids(index, "bản") == [("d-0001", 1)]
    fill(index, doc("d-0002", "bản thêm"))
    assert {d for d, _ in ids(index, "bản")} == {"d-0001", "d-0002"}


def test_an_over_long_word_matches_nothing_instead_of_everything(tmp_path):
    """A 45-letter 'word' cannot be in the index (the tokenizer drops it), so the query finds nothing."""
    from archive.indexes.tantivy_index import TantivyIndex
    from archive.model import Document, PageText
    from archive.search_index import SearchQuery

    index = TantivyIndex(tmp_path / "index")
    index.add(Document(id="D.001", dossier_code="D", pages=[PageText(1, "hồ sơ đăng ký")]))
    index.commit()
    assert index.search(SearchQuery(text="a" * 45)).hits == []
    assert index.search(SearchQuery(text="hồ " + "b" * 45)).hits == []
    assert [h.document_id for h in index.search(SearchQuery(text="ho so")).hits] == ["D.001"]


# -- unaccented queries: diacritics restored from the archive's own vocabulary ---------------

TAM_TRU = [
    doc("t-0001", "đăng ký tạm trú tại phường cho công dân"),
    doc("t-0002", "giấy xác nhận tạm trú của công dân"),
    doc("t-0003", "gia hạn tạm trú và thông báo lưu trú"),
    # Short pages that repeat the folded words score higher on the folded field alone.
    doc("t-0004", "tâm trụ tâm trụ"),
    doc("t-0005", "tam tru tam tru"),
]


def test_unaccented_query_ranks_the_restored_form_first(index):
    fill(index, *TAM_TRU)
    plain = index.search(SearchQuery(text="tam tru", limit=10, restore=False))
    restored = index.search(SearchQuery(text="tam tru", limit=10))
    assert plain.restored_query == "" and plain.hits[0].document_id in {"t-0004", "t-0005"}
    assert restored.restored_query == "tạm trú"
    assert {h.document_id for h in restored.hits[:3]} == {"t-0001", "t-0002", "t-0003"}
    # Every folded match is still found, and counted.
    assert {h.document_id for h in restored.hits} == {h.document_id for h in plain.hits}
    assert restored.total == plain.total == 5
    # A phrase and the case of the query are kept in the restored query.
    phrase = index.search(SearchQuery(text='"Tam tru"', limit=10))
    assert phrase.restored_query == '"Tạm trú"' and phrase.hits[0].document_id in {
        "t-0001",
        "t-0002",
        "t-0003",
    }
    # Diacritics typed are used as typed: no restoration, their own form first.
    typed = index.search(SearchQuery(text="tâm trụ", limit=10))
    assert typed.restored_query == "" and typed.hits[0].document_id == "t-0004"


def test_statistics_follow_adds_deletes_and_reindex(index):
    fill(index, TAM_TRU[0])
    # One document is not enough to suggest a word (names and rarities stay private).
    assert index.search(SearchQuery(text="tam tru")).restored_query == ""
    fill(index, TAM_TRU[1])
    assert index.search(SearchQuery(text="tam tru")).restored_query == "tạm trú"
    # Replacing a document takes its old words back out of the statistics.
    fill(index, doc("t-0002", "giấy xác nhận nơi ở của công dân"))
    assert index.search(SearchQuery(text="tam tru")).restored_query == ""
    fill(index, TAM_TRU[2])
    assert index.search(SearchQuery(text="tam tru")).restored_query == "tạm trú"
    index.delete("t-0003")
    index.commit()
    assert index.search(SearchQuery(text="tam tru")).restored_query == ""
    # A rebuild (``sohoa reindex``) counts exactly what it indexes.
    index.rebuild(iter([doc("r-0001", "hồ sơ tạm trú"), doc("r-0002", "hộ khẩu tạm trú")]))
    assert index.search(SearchQuery(text="tam tru")).restored_query == "tạm trú"
    index.rebuild(iter([doc("r-0003", "tâm trụ vững"), doc("r-0004", "trụ cột tâm linh")]))
    assert index.search(SearchQuery(text="tam tru")).restored_query == "tâm trụ"


def test_a_word_of_another_department_is_never_suggested(index):
    fill(
        index,
        doc("s-0001", "biên bản kiểm tra hiện trạng công trình", department="SXD"),
        doc("s-0002", "biên bản nghiệm thu hiện trạng công trình", department="SXD"),
        doc("s-0003", "hien trang khong dau trong ho so", department="STP"),
        doc("s-0004", "tờ khai hộ tịch của công dân", department="STP"),
    )
    for query in (
        SearchQuery(text="hien trang", departments=("STP",)),
        SearchQuery(text="hien trang", filters={"department": "STP"}),
        SearchQuery(text="hien trang", departments=("STP",), filters={"department": "SXD"}),
        SearchQuery(text="hien trang", departments=()),
    ):
        assert "hiện trạng" not in index.search(query).restored_query, query
    assert (
        index.search(SearchQuery(text="hien trang", departments=("SXD", "STP"))).restored_query
        == "hiện trạng"
    )
    assert index.search(SearchQuery(text="hien trang")).restored_query == "hiện trạng"


def test_words_typed_together_rank_where_they_stand_together(index):
    fill(
        index,
        doc("p-0001", "kế hoạch phòng chống thiên tai năm 2026 của tỉnh"),
        doc("p-0002", "thiên tai, thiên tai: phòng thủ và chống thiên tai, phòng chống"),
    )
    for text in ("phòng chống thiên tai", "phong chong thien tai"):
        assert ids(index, text) == [("p-0001", 1), ("p-0002", 1)], text
