"""Build ``bigrams.txt``, the word-bigram lexicon the subject's diacritics repair checks against.

    .venv/bin/python -m ingest.tagging.build_bigrams            # the defaults below, rewrites the file

The lexicon is built from the full texts of the DEVELOPMENT part of the real-document bench only
(``bench/tagging/real_split.json``, never its test part) and the seed regulation text: lower-cased
words (NFC, tone placement normalised), bigrams of neighbouring words inside a run of letters-only
words (a number, a notation or a sentence break ends the run), each with its count. Deterministic:
the same inputs give the same file byte for byte (sorted, no timestamps).
"""

from __future__ import annotations

import argparse
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from ingest.tagging.bigrams import LEXICON

ROOT = Path(__file__).resolve().parents[2]
SPLIT = ROOT / "bench" / "tagging" / "real_split.json"
CORPUS = ROOT.parent / "shared" / "corpus" / "real-docs"
SEED = ROOT.parent / "shared" / "seed"
# Punctuation around a word; these of them end a run of words (a bigram never crosses them).
_PUNCT = ",.;:!?()[]\"“”'-–—…*/"
_BREAK = re.compile(r"[.;:!?()\[\]\"“”/]")


def runs(text: str) -> Iterable[list[str]]:
    """Runs of neighbouring letters-only words of ``text`` (lower case, NFC)."""
    for line in unicodedata.normalize("NFC", text).splitlines():
        run: list[str] = []
        for raw in line.split():
            core = raw.strip(_PUNCT)
            at = raw.find(core)
            if not core.isalpha() or _BREAK.search(raw[:at]):
                if len(run) > 1:
                    yield run
                run = []
            if not core.isalpha():
                continue
            run.append(core.lower())
            if _BREAK.search(raw[at + len(core) :]):
                if len(run) > 1:
                    yield run
                run = []
        if len(run) > 1:
            yield run


def count(texts: Iterable[str]) -> Counter[tuple[str, str]]:
    """Bigram counts over ``texts``."""
    counts: Counter[tuple[str, str]] = Counter()
    for text in texts:
        for run in runs(text):
            counts.update(zip(run, run[1:], strict=False))
    return counts


def dev_texts(split: Path, corpus: Path, seed: Path) -> list[str]:
    """The full texts of the split's development part, then the seed texts, in a fixed order."""
    ids = json.loads(split.read_text(encoding="utf-8"))["dev"]
    texts = [(corpus / "texts" / f"{doc_id}.txt").read_text(encoding="utf-8") for doc_id in sorted(ids)]
    texts += [p.read_text(encoding="utf-8") for p in sorted(seed.glob("*.txt"))]
    return texts


def write(counts: Counter[tuple[str, str]], path: Path) -> int:
    """Write ``counts`` as ``word word<TAB>count`` lines, sorted; returns how many."""
    lines = sorted(f"{a} {b}\t{n}" for (a, b), n in counts.items())
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", type=Path, default=SPLIT)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--seed", type=Path, default=SEED)
    ap.add_argument("--out", type=Path, default=LEXICON)
    args = ap.parse_args(argv)
    n = write(count(dev_texts(args.split, args.corpus, args.seed)), args.out)
    print(f"{n} bigrams -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
