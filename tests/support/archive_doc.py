"""Put a hand-made document into the archive, index and catalogue without OCR (for tests about
what happens to documents, not how they are read)."""

from __future__ import annotations

from archive.model import Document


def store_document(svc, doc: Document) -> Document:
    """Save ``doc`` (with a stand-in original), index it and add its catalogue row."""
    source = svc.settings.data_dir / f"{doc.id}.src"
    source.write_bytes(doc.id.encode())
    svc.repository.save(doc, source, "application/pdf", None)
    svc.index.add(doc)
    svc.index.commit()
    svc.index.close()  # release the writer: the web app under test only reads
    svc.catalogue.upsert_document(doc)
    return doc
