"""Diacritics repair of a trích yếu against a word-bigram lexicon of real administrative texts.

Tesseract ``vie`` swaps marks on capitals (``THẨM ĐỊNH`` read ``THẤM ĐỊNH``, ``PHÁT TRIỂN`` read
``PHÁT TRIẾN``): the letters are right, one mark is wrong, and one such slip in a 30-word subject makes
the officer retype it. A word whose bigrams with both its neighbours are unseen in the lexicon
(``bigrams.txt``, built by ``ingest.tagging.build_bigrams`` from the development texts) is replaced by
the word with the same base letters whose bigrams are seen, only when one such word is well attested;
a word with a seen bigram is never touched.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from ingest.tagging.text import fold

LEXICON = Path(__file__).with_name("bigrams.txt")
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_PUNCT = ",.;:!?()[]\"“”'-–—…*/"
MIN_ONE_SIDE = 2  # a candidate seen on one side only needs that bigram this often


@lru_cache(maxsize=65536)
def key(word: str) -> str:
    """Lower case, NFC, the tone mark placed last (``hoà`` and ``hòa`` are one word)."""
    chars = unicodedata.normalize("NFD", word.lower())
    tones = "".join(ch for ch in chars if ch in _TONES)
    return unicodedata.normalize("NFC", "".join(ch for ch in chars if ch not in _TONES) + tones)


class Lexicon:
    """Bigram counts by ``key``, and the spellings of each base-letter form."""

    def __init__(self, lines: list[str]) -> None:
        self.counts: dict[tuple[str, str], int] = {}
        words: set[str] = set()
        for line in lines:
            pair, _, n = line.rpartition("\t")
            a, _, b = pair.partition(" ")
            pair_key = (key(a), key(b))
            self.counts[pair_key] = self.counts.get(pair_key, 0) + int(n)
            words.update((a, b))
        self.followers: dict[str, list[int]] = defaultdict(list)
        for (first, _next), seen in self.counts.items():
            self.followers[first].append(seen)
        self.spellings: dict[str, set[str]] = defaultdict(set)
        for word in words:
            self.spellings[fold(word)].add(word)

    def bound_to_next(self, word: str, share: float = 0.9, least: int = 5) -> bool:
        """Whether ``word`` is nearly always followed by one same word (``hỗ`` -> ``trợ``, ``lĩnh``
        -> ``vực``): a text ending on it was cut."""
        counts = self.followers.get(key(word), [])
        return sum(counts) >= least and max(counts) >= share * sum(counts)

    def seen(self, a: str | None, b: str | None) -> int:
        """How often the bigram ``a b`` was seen (0 when either side is missing)."""
        return self.counts.get((key(a), key(b)), 0) if a and b else 0


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The shipped lexicon, read once."""
    return Lexicon(LEXICON.read_text(encoding="utf-8").splitlines())


def _in_case_of(word: str, like: str) -> str:
    if like.isupper():
        return word.upper()
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def untoned(word: str) -> str:
    """``word`` in lower case without its tone mark (vowel marks kept: ``thẩm`` -> ``thâm``)."""
    chars = unicodedata.normalize("NFD", word.lower())
    return unicodedata.normalize("NFC", "".join(ch for ch in chars if ch not in _TONES))


def _best(lex: Lexicon, prev: str | None, word: str, nxt: str | None, loose: tuple[bool, bool]) -> str | None:
    """The spelling of ``word``'s base letters best attested between ``prev`` and ``nxt``, if any.
    A word of the lexicon only changes its tone mark (``THƯ`` stays, never ``THU``)."""
    scored = []
    known = fold(word.lower()) in lex.spellings and word.lower() in lex.spellings[fold(word.lower())]
    for cand in lex.spellings.get(fold(word.lower()), ()):
        if known and untoned(cand) != untoned(word):
            continue
        left, right = lex.seen(prev, cand), lex.seen(cand, nxt)
        sides = (left > 0) + (right > 0)
        # Both neighbours must agree, unless one is missing or across a comma (a weaker tie).
        one_side = prev is None or nxt is None or (loose[0] and right) or (loose[1] and left)
        if sides == 2 or (max(left, right) >= MIN_ONE_SIDE and one_side):
            scored.append((sides, left + right, cand))
    if not scored:
        return None
    scored.sort(reverse=True)
    if len(scored) > 1 and scored[0][:2] == scored[1][:2]:
        return None  # two spellings equally likely: leave the word as read
    return scored[0][2]


def repair(text: str, lex: Lexicon | None = None) -> tuple[str, bool]:
    """``text`` with words whose bigrams are all unseen respelt (same base letters, other marks);
    returns the text and whether a word changed."""
    lex = lex or lexicon()
    tokens = text.split(" ")
    cores = [t.strip(_PUNCT) for t in tokens]
    words = [c if c.isalpha() else None for c in cores]
    changed = False
    for i, word in enumerate(words):
        if word is None:
            continue
        prev = words[i - 1] if i > 0 and not tokens[i - 1].endswith(tuple(".;:")) else None
        nxt = words[i + 1] if i + 1 < len(words) and not tokens[i].endswith(tuple(".;:")) else None
        if (prev is None and nxt is None) or lex.seen(prev, word) or lex.seen(word, nxt):
            continue
        loose = (i > 0 and tokens[i - 1].endswith(",")), tokens[i].endswith(",")
        best = _best(lex, prev, word, nxt, loose)
        if best is None or key(best) == key(word):
            continue
        fixed = _in_case_of(best, word)
        tokens[i] = tokens[i].replace(word, fixed, 1)
        words[i] = fixed
        changed = True
    return " ".join(tokens), changed
