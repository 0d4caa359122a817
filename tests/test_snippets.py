"""Snippets: the best window, highlights found without diacritics, phrases as one span."""

from __future__ import annotations

from archive.search_index import parse_query
from archive.snippets import make_snippet


def highlighted(snippet) -> list[str]:
    return [snippet.text[s:e] for s, e in snippet.spans]


def test_highlight_found_without_diacritics_marks_the_original():
    s = make_snippet("Trung tâm đã tiếp nhận hồ sơ của ông Nguyễn Văn A.", parse_query("ho so"))
    assert highlighted(s) == ["hồ", "sơ"]
    assert s.marked() == "Trung tâm đã tiếp nhận [hồ] [sơ] của ông Nguyễn Văn A."


def test_phrases_highlight_word_by_word_only_where_in_order():
    text = "Căn cứ Quyết định số 1748/QĐ-UBND về cấp giấy phép xây dựng nhà ở; xây dựng giấy."
    s = make_snippet(text, parse_query('1748/qd-ubnd "giay phep xay dung"'))
    assert highlighted(s) == ["1748", "QĐ", "UBND", "giấy", "phép", "xây", "dựng"]


def test_whole_words_only_and_d_folding():
    s = make_snippet("Đồng Nai, đồng hồ, dong dỏng, đông", parse_query("dong"))
    assert highlighted(s) == ["Đồng", "đồng", "dong", "dỏng", "đông"]
    assert highlighted(make_snippet("hoso hồ sơ", parse_query("ho"))) == ["hồ"]


def test_window_moves_to_the_densest_hits_and_is_cut_at_words():
    text = " ".join(["lorem"] * 200) + " đất đai đất đai " + " ".join(["ipsum"] * 200)
    s = make_snippet(text, parse_query("dat"), width=80)
    assert s.text.startswith("…") and s.text.endswith("…")
    assert highlighted(s) == ["đất", "đất"]
    assert all(" " + w + " " in " " + s.text.strip("…") + " " for w in ("lorem", "ipsum"))


def test_no_hit_gives_the_beginning():
    s = make_snippet("một hai ba " * 100, parse_query("không"), width=30)
    assert s.spans == [] and s.text.startswith("một hai ba") and s.text.endswith("…")


def test_a_whole_line_is_kept_when_highlighting_a_page():
    from archive.search_index import parse_query
    from archive.snippets import highlight_all

    line = "Quyết định về việc cấp giấy phép xây dựng nhà ở riêng lẻ cho ông Nguyễn Văn Bình tại phường Tân Phong"
    marked = highlight_all(line, parse_query("xay dung"))
    assert marked.text == line, "nothing cut off the front or the back"
    assert [line[s:e] for s, e in marked.spans] == ["xây", "dựng"]
