"""The search quality set: real Vietnamese administrative texts as documents, and queries with
known target documents, typed with and without diacritics.

Documents: ``../shared/corpus/real-docs`` (292 public decisions, letters, resolutions...), each
text cut into pages of about 2,000 characters at line ends; the department is the issuing organ's
level (province, government, ministry, a ministry's department, provincial department), so the
per-department statistics are as uneven as a real center's.

Queries (seeded): per document, a window of 3-6 words of its subject (trích yếu), one of 4-6
words of its body and a short one of 2 words of its subject ("short": where "tam" must be told
from "tâm", "tám", "tạm"), not starting or ending on a function word, lower-cased as officials type them; a window is kept only when it is in at most
``MAX_TARGETS`` documents (someone looking for one document types words that single it out). The
targets of a query are the documents whose text holds the window's words in sequence.

OCR-like noise (``noise``): on each page that share of syllables gets a wrong tone mark (the base
letters stay: Tesseract's usual slip on specks), and a tenth of that share a wrong letter.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from archive.model import Applicant, Document, DocumentMetadata, PageText
from archive.vietnamese import fold, nfc

DEFAULT_CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "real-docs"
PAGE_CHARS = 2000
MAX_TARGETS = 3
DEPARTMENTS = {
    "province / centrally-run city": "UBND",
    "central government": "CP",
    "ministry / central agency": "BO",
    "department of a ministry": "CUC",
    "provincial department / office": "SO",
}
# Words a query neither starts nor ends on.
EDGE_STOPWORDS = frozenset(
    [
        "của",
        "và",
        "các",
        "về",
        "việc",
        "trên",
        "tại",
        "cho",
        "với",
        "theo",
        "đối",
        "năm",
        "số",
        "ngày",
        "là",
        "có",
        "được",
        "những",
        "này",
        "đã",
        "để",
        "trong",
        "từ",
        "khi",
        "đến",
        "thì",
        "do",
        "như",
        "một",
        "hoặc",
        "bị",
        "ra",
        "vào",
        "lại",
        "nhà",
        "cứ",
        "tổ",
    ]
)
_WORD = re.compile(r"[^\W\d_]+")
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
_LETTER_SLIPS = {"n": "u", "u": "n", "c": "e", "e": "c", "i": "l", "l": "i", "o": "a", "a": "o"}


@dataclass(frozen=True)
class Query:
    text: str  # as typed with diacritics (lower case)
    targets: frozenset[str]
    kind: str  # subject | body | short

    @property
    def unaccented(self) -> str:
        return fold(self.text)


def _pages(text: str) -> list[str]:
    pages, current = [], ""
    for line in text.splitlines():
        if current and len(current) + len(line) > PAGE_CHARS:
            pages.append(current)
            current = ""
        current += line + "\n"
    return [*pages, current] if current.strip() else pages


def _retone(syllable: str, r: random.Random) -> str:
    """The syllable with its tone mark replaced by another (or added/removed)."""
    import unicodedata

    decomposed = unicodedata.normalize("NFD", syllable)
    bare = "".join(c for c in decomposed if c not in _TONES)
    options = ["", *_TONES]
    current = next((c for c in decomposed if c in _TONES), "")
    options.remove(current)
    tone = r.choice(options)
    # The tone goes after the first vowel cluster's last letter: close enough for noise.
    vowels = [i for i, c in enumerate(bare) if c.lower() in "aeiouy"]
    at = (vowels[-1] + 1) if vowels else len(bare)
    return nfc(bare[:at] + tone + bare[at:])


def noisy(text: str, share: float, r: random.Random) -> str:
    """``text`` with OCR-like slips on about ``share`` of its syllables."""
    if share <= 0:
        return text

    def slip(m: re.Match) -> str:
        word = m.group()
        if r.random() < share:
            word = _retone(word, r)
        if r.random() < share / 10:
            at = r.randrange(len(word))
            word = word[:at] + _LETTER_SLIPS.get(word[at], word[at]) + word[at + 1 :]
        return word

    return _WORD.sub(slip, text)


def load_documents(
    corpus: Path, noise: float = 0.0, seed: int = 1748
) -> tuple[list[Document], dict[str, str]]:
    """The real documents as archive documents (pages, department), and each one's clean text."""
    r = random.Random(seed)
    docs, texts = [], {}
    for n, line in enumerate((corpus / "metadata.jsonl").read_text(encoding="utf-8").splitlines(), 1):
        meta = json.loads(line)
        text = nfc((corpus / meta["text_file"]).read_text(encoding="utf-8"))
        texts[meta["id"]] = text
        pages = [PageText(i, noisy(p, noise, r)) for i, p in enumerate(_pages(text), 1)]
        docs.append(
            Document(
                id=meta["id"],
                dossier_code=f"000.00.12.H19-251201-{n:04d}",
                role="result",
                department=DEPARTMENTS.get(meta["organ_level"], "KHAC"),
                applicant=Applicant(id=f"0790{n:08d}"),
                metadata=DocumentMetadata(
                    type_name=meta["type"], number=meta["number"], subject=meta["subject"]
                ),
                digitised_at="2025-12-05T09:00:00Z",
                pages=pages,
            )
        )
    return docs, texts


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _windows(words: list[str], r: random.Random, low: int, high: int, tries: int = 30) -> Iterator[list[str]]:
    """Random windows of ``low``-``high`` words that neither start nor end on a function word
    (nobody searches "của đảng nhà")."""
    for _ in range(tries):
        if len(words) < low:
            return
        size = r.randint(low, min(high, len(words)))
        start = r.randrange(len(words) - size + 1)
        window = words[start : start + size]
        if window[0] not in EDGE_STOPWORDS and window[-1] not in EDGE_STOPWORDS:
            yield window


def make_queries(docs: list[Document], texts: dict[str, str], seed: int = 1748) -> list[Query]:
    """A subject query and a body query per document, each with its targets."""
    r = random.Random(seed)
    joined = {doc_id: " " + " ".join(_words(text)) + " " for doc_id, text in texts.items()}
    out: list[Query] = []
    for doc in docs:
        body_lines = [ln for ln in texts[doc.id].splitlines() if len(_words(ln)) >= 8]
        sources = {
            "subject": (_words(doc.metadata.subject), 3, 6),
            "body": (_words(r.choice(body_lines)) if body_lines else [], 4, 6),
            "short": (_words(doc.metadata.subject), 2, 2),
        }
        for kind, (words, low, high) in sources.items():
            for window in _windows(words, r, low, high):
                phrase = " ".join(window)
                targets = frozenset(d for d, t in joined.items() if f" {phrase} " in t)
                if doc.id in targets and len(targets) <= MAX_TARGETS:
                    out.append(Query(phrase, targets, kind))
                    break
    return out
