"""Every file of the odd corpus (what scanners, fax gateways, form software and broken transfers
produce, generated and real: tests/support/odd_corpus.py) gets its expected outcome through the real
command line, with the same checks as the hostile corpus (tests/test_hostile_corpus.py)."""

from __future__ import annotations

import pytest

from tests.support.odd_corpus import build_odd
from tests.test_hostile_corpus import (  # noqa: F401 - collected here too, against this corpus
    ingest_corpus,
    test_each_file_gets_its_expected_status_and_reason,
    test_nothing_half_stored_and_quarantine_kept_aside,
)


@pytest.fixture(scope="module")
def outcome(tmp_path_factory):
    root = tmp_path_factory.mktemp("odd")
    return ingest_corpus(root, build_odd(root / "odd"))
