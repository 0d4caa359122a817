"""Labelled Vietnamese administrative documents for the tagging tests and bench (content + layout)."""

from tests.support.admin_docs.content import AdminDoc, make_corpus, make_doc
from tests.support.admin_docs.layout import DAMAGE, render_doc, scan_pages

__all__ = ["DAMAGE", "AdminDoc", "make_corpus", "make_doc", "render_doc", "scan_pages"]
