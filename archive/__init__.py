"""The archive: domain model, object storage, retention, fixity, audit, catalogue and search index.

Imports neither ``ingest`` nor ``search_ui``.
"""
