"""Restoring the diacritics of a query typed without them, from the archive's own vocabulary.

Statistics: for every document, the set of its syllables and of its two-syllable sequences
(bigrams) in their accented forms; the store keeps, per department and form, the number of
documents that hold it (document frequency). Only lower-case words count: capitalised and
upper-case words are mostly names (people, places, headings), so no name is ever learnt, and a
form is offered only when at least ``min_documents`` documents of the departments the official
may see hold it. Suggestions are therefore built only from what the official may read anyway.

Restoration: a bigram model over the accented forms whose fold is the typed syllable, decoded
with Viterbi. ``P(b | a) = (B(a, b) + alpha * P(b | fold)) / (sum_b' B(a, b') + alpha)``, where
``b'`` runs over the forms of the same fold, and ``P(b | fold)`` is b's share of its fold class.
Words typed with marks are kept as typed and only constrain their neighbours.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

from archive.vietnamese import fold, nfc

# A Vietnamese syllable has at most 7 letters ("nghiêng"); longer lower-case words are not
# syllables worth restoring (foreign words, OCR run-ons).
MAX_SYLLABLE = 7
ALPHA = 2.0  # weight of the unigram share against bigram evidence
_TOKEN = re.compile(r"[^\W_]+")

# folded keys -> {folded key: {form: documents}}, already limited to the official's departments
# and to forms held by enough documents.
Lookup = Callable[[Collection[str]], dict[str, dict[str, int]]]


def _learnable(token: str) -> bool:
    return token.islower() and token.isalpha() and len(token) <= MAX_SYLLABLE


def document_terms(texts: Iterable[str]) -> set[str]:
    """The syllables and bigrams ("hồ sơ") of a document's pages, as a set: each document counts
    once per form. Bigrams join words separated by white space only (not across punctuation)."""
    terms: set[str] = set()
    for text in texts:
        text = nfc(text)
        prev, prev_end = "", -1
        for m in _TOKEN.finditer(text):
            token = m.group()
            if not _learnable(token):
                prev = ""
                continue
            terms.add(token)
            if prev and text[prev_end : m.start()].isspace():
                terms.add(f"{prev} {token}")
            prev, prev_end = token, m.end()
    return terms


@dataclass
class VocabularyDelta:
    """Changes to the statistics not yet written: (department, form) -> documents added."""

    counts: Counter = field(default_factory=Counter)

    def add(self, department: str, terms: Iterable[str], sign: int = 1) -> None:
        for term in terms:
            self.counts[(department, term)] += sign

    def take(self) -> list[tuple[str, str, str, int]]:
        """The non-zero changes as (department, form, folded, documents); empties the delta."""
        rows = [(dep, form, fold(form), n) for (dep, form), n in self.counts.items() if n]
        self.counts.clear()
        return rows

    def __len__(self) -> int:
        return len(self.counts)


def _fixed(word: str) -> bool:
    """Typed with marks (the official chose them), or not a syllable (numbers, codes)."""
    return fold(word) != word or not word.isalpha() or len(word) > MAX_SYLLABLE


def _candidates(words: list[str], found: dict[str, dict[str, int]]) -> list[dict[str, int]]:
    """Per word its possible forms with counts; a word unknown to the statistics keeps its
    typed form with count 0 (it then carries no context)."""
    out = []
    for word in words:
        forms = {} if _fixed(word) else found.get(word, {})
        out.append(forms or {word: 0})
    return out


def _step(
    prev: dict[str, float], cands: dict[str, int], pairs: dict[str, int]
) -> tuple[dict[str, float], dict[str, str]]:
    """One Viterbi step: best log-probability of each candidate and its best predecessor."""
    total = sum(cands.values())
    rows = {a: sum(pairs.get(f"{a} {c}", 0) for c in cands) for a in prev}
    scores: dict[str, float] = {}
    back: dict[str, str] = {}
    for b, count in cands.items():
        share = count / total if total else 1.0 / len(cands)
        best, arg = -math.inf, ""
        for a, score in prev.items():
            p = (pairs.get(f"{a} {b}", 0) + ALPHA * share) / (rows[a] + ALPHA)
            if score + math.log(p) > best:
                best, arg = score + math.log(p), a
        scores[b], back[b] = best, arg
    return scores, back


def restore_words(words: list[str], lookup: Lookup) -> list[str | None]:
    """The most likely accented form of each lower-case query word (``None`` where the
    statistics know no form of it). Words typed with marks come back unchanged."""
    if not words:
        return []
    keys = {w for w in words if not _fixed(w)}
    pair_keys = {f"{fold(a)} {fold(b)}" for a, b in zip(words, words[1:], strict=False)}
    found = lookup(keys | pair_keys) if keys else {}
    cands = _candidates(words, found)
    first_total = sum(cands[0].values())
    scores = {b: math.log(n / first_total) if first_total else 0.0 for b, n in cands[0].items()}
    backs: list[dict[str, str]] = []
    for i in range(1, len(words)):
        pairs = found.get(f"{fold(words[i - 1])} {fold(words[i])}", {})
        scores, back = _step(scores, cands[i], pairs)
        backs.append(back)
    best = max(scores, key=lambda k: scores[k])
    path = [best]
    for back in reversed(backs):
        path.append(back[path[-1]])
    path.reverse()
    return [None if not _fixed(w) and not found.get(w) else form for w, form in zip(words, path, strict=True)]


def apply_case(typed: str, form: str) -> str:
    """``form`` in the letter case the official typed (``Ho`` -> ``Hồ``, ``HO`` -> ``HỒ``)."""
    if typed.isupper() and len(typed) > 1:
        return form.upper()
    if typed[:1].isupper():
        return form[:1].upper() + form[1:]
    return form


def restored_text(text: str, forms: list[str | None]) -> str:
    """``text`` with its words, in order, replaced by their restored forms (``None`` keeps the
    word), spacing, quotes and punctuation untouched."""
    text = nfc(text)
    out, pos = [], 0
    for m, form in zip(_TOKEN.finditer(text), forms, strict=False):
        out += [text[pos : m.start()], apply_case(m.group(), form) if form else m.group()]
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)
