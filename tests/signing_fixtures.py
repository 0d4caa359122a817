"""Fixtures for certified-copy tests (``pytest_plugins = ["tests.signing_fixtures"]``): the served
test PKI (per module) and a sample archival PDF/A (once a session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.pdfa_sample import make_pdfa
from tests.support.pki import ServedPki, start_pki
from tests.support.signing_setup import DOC_LINES


@pytest.fixture(scope="module")
def pki(tmp_path_factory) -> ServedPki:
    # Per module: the server thread stops when a module's tests end, so it is not running (and
    # allocating) under later modules' measurements (tracemalloc traces every thread).
    served = start_pki(tmp_path_factory.mktemp("pki"))
    yield served
    served.stop()


@pytest.fixture(scope="session")
def sample_pdfa(tmp_path_factory) -> Path:
    return make_pdfa(DOC_LINES, tmp_path_factory.mktemp("pdfa") / "archival.pdf")
