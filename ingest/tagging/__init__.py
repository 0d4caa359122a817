"""Metadata the counter officer confirms instead of types: proposed from a document's OCR text.

``extract(pages) -> TagResult``: type, number and notation, place and issued date, organ, subject
(trích yếu), signer name and position, identifiers; each with a confidence and its (page, line).
``confirmation`` stores what the officer confirmed or corrected in the document's manifest;
``reread_digits(image, text)`` corrects a page's ID/tax/phone digits from a Tesseract ``eng`` reading.
"""

from ingest.tagging.confirmation import record_confirmation, record_proposal, tagging_accuracy
from ingest.tagging.digits import reread_digits
from ingest.tagging.extract import extract
from ingest.tagging.result import FIELDS, Field, Identifier, TagResult

__all__ = [
    "FIELDS",
    "Field",
    "Identifier",
    "TagResult",
    "extract",
    "record_confirmation",
    "record_proposal",
    "reread_digits",
    "tagging_accuracy",
]
