"""Restoring the diacritics of a query typed without them, from the archive's own vocabulary.

Statistics: for every document, the set of its syllables and of its two-syllable sequences
(bigrams) in their accented forms; the store keeps, per department and form, the number of
documents that hold it (document frequency). Only lower-case words count (and a capitalised
word where a sentence starts): capitalised words inside a sentence and upper-case words are
mostly names (people, places, headings), so names are not learnt as such, and a
form is offered only when at least ``min_documents`` documents of the departments the official
may see hold it. Suggestions are therefore built only from what the official may read anyway.

Restoration: a chain model over the accented forms whose fold is each typed syllable, from the
syllable shares within their fold class and the pair counts of neighbouring folds; each word
takes its most probable form given the whole query (forward-backward), and only when that form
is probable enough. Words typed with marks are kept as typed and only constrain their neighbours.
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
BETA = 1.0  # weight of "independent syllables" against the pairs counted
# Below this probability (given the whole query) a word is left unrestored: a wrong restoration
# ranks the wrong pages first, an unrestored word only ranks like before.
CONFIDENCE = 0.9
_TOKEN = re.compile(r"[^\W_]+")
_SENTENCE_END = ".:;!?\n-•+*("

# folded keys -> {folded key: {form: documents}}, already limited to the official's departments
# and to forms held by enough documents.
Lookup = Callable[[Collection[str]], dict[str, dict[str, int]]]


def _learnt_form(token: str, gap: str, first: bool) -> str:
    """The form a token adds to the statistics, or "" for none. Lower-case syllables count; a
    capitalised one only where a sentence or line starts ("Căn cứ", "Kính gửi"), since elsewhere
    capitals mark names of people and places; upper-case words (headings, names in signature
    blocks) never do."""
    if not token.isalpha() or len(token) > MAX_SYLLABLE:
        return ""
    if token.islower():
        return token
    starts = first or any(c in _SENTENCE_END for c in gap)
    if starts and token[0].isupper() and token[1:].islower():
        return token.lower()
    return ""


def document_terms(texts: Iterable[str]) -> set[str]:
    """The syllables and bigrams ("hồ sơ") of a document's pages, as a set: each document counts
    once per form. Bigrams join words separated by white space only (not across punctuation)."""
    terms: set[str] = set()
    for text in texts:
        text = nfc(text)
        prev, prev_end = "", 0
        for m in _TOKEN.finditer(text):
            gap = text[prev_end : m.start()]
            form = _learnt_form(m.group(), gap, prev_end == 0)
            if form:
                terms.add(form)
                if prev and gap.isspace() and "\n" not in gap:
                    terms.add(f"{prev} {form}")
            prev, prev_end = form, m.end()
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


def _shares(cands: dict[str, int]) -> dict[str, float]:
    """Each form's share of its fold class (uniform where nothing is counted)."""
    total = sum(cands.values())
    return {f: (n / total if total else 1.0 / len(cands)) for f, n in cands.items()}


def _association(
    left: dict[str, float], right: dict[str, float], pairs: dict[str, int]
) -> dict[tuple[str, str], float]:
    """log of P(a b) / (P(a) P(b)) for every pair of forms, with
    ``P(a b) = (B(a b) + BETA P(a) P(b)) / (N + BETA)``, N the count of every accented pair of
    these folds: a pair never seen where its folds are often seen together is unlikely."""
    n = sum(pairs.values())
    return {
        (a, b): math.log((pairs.get(f"{a} {b}", 0) + BETA * pa * pb) / ((n + BETA) * pa * pb))
        for a, pa in left.items()
        for b, pb in right.items()
    }


def _logsumexp(values: Iterable[float]) -> float:
    values = list(values)
    top = max(values)
    return top + math.log(sum(math.exp(v - top) for v in values))


def _marginals(
    shares: list[dict[str, float]], links: list[dict[tuple[str, str], float]]
) -> list[dict[str, float]]:
    """Posterior probability of each form at each position (forward-backward on the chain
    ``P(x) ~ prod u_i(x_i) prod psi_i(x_i, x_i+1)``)."""
    n = len(shares)
    fwd = [{x: math.log(p) for x, p in shares[0].items()}]
    for i in range(1, n):
        fwd.append(
            {
                b: math.log(pb) + _logsumexp(fwd[-1][a] + links[i - 1][(a, b)] for a in fwd[-1])
                for b, pb in shares[i].items()
            }
        )
    bwd = [dict.fromkeys(shares[-1], 0.0)]
    for i in range(n - 2, -1, -1):
        nxt = bwd[0]
        bwd.insert(
            0,
            {
                a: _logsumexp(links[i][(a, b)] + math.log(shares[i + 1][b]) + nxt[b] for b in nxt)
                for a in shares[i]
            },
        )
    out = []
    for f, b in zip(fwd, bwd, strict=True):
        z = _logsumexp(f[x] + b[x] for x in f)
        out.append({x: math.exp(f[x] + b[x] - z) for x in f})
    return out


def restore_words(words: list[str], lookup: Lookup, confidence: float = CONFIDENCE) -> list[str | None]:
    """The likely accented form of each lower-case query word: the form most probable given
    the whole query, when at least ``confidence`` probable; ``None`` where the statistics know
    no form or are unsure (that word is then matched without diacritics only). Words typed with
    marks and numbers come back unchanged."""
    if not words:
        return []
    keys = {w for w in words if not _fixed(w)}
    pair_keys = {f"{fold(a)} {fold(b)}" for a, b in zip(words, words[1:], strict=False)}
    found = lookup(keys | pair_keys) if keys else {}
    shares = [_shares(c) for c in _candidates(words, found)]
    links = [
        _association(shares[i], shares[i + 1], found.get(f"{fold(words[i])} {fold(words[i + 1])}", {}))
        for i in range(len(words) - 1)
    ]
    out: list[str | None] = []
    for word, marginal in zip(words, _marginals(shares, links), strict=True):
        form = max(marginal, key=lambda x: marginal[x])
        if _fixed(word):
            out.append(word)
        else:
            out.append(form if found.get(word) and marginal[form] >= confidence else None)
    return out


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
