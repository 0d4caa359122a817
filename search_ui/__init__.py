"""The Flask web app and JSON API of sohoa for the three roles (intake, reviewers, records/IT).

Pages (Vietnamese first, ``?lang=en`` for English):
- ``/login``, ``/purpose`` (why documents are read this session), ``/logout`` (POST)
- ``/search?q=`` with facets, ``from``/``to`` dates, ``sort``, ``page``; ``/documents/<id>`` (page
  image beside the OCR text, hits highlighted, metadata, retention, hold, history) and its
  ``/archival.pdf``, ``/original``, ``/pages/<n>.png``
- ``/intake`` (new dossier), ``/intake/dossiers/<code>`` (already-on-file panel with reuse,
  drag-and-drop upload with live OCR progress, thumbnails with quality warnings, re-scan),
  ``.../documents/<id>/confirm`` (metadata confirmation), ``.../receipt`` (printable)
- ``/applicants/<id>`` (the applicant's data store), ``/dossiers/<code>`` (read-only)
- ``/records`` (retention classes, due list, holds, disposal batches, fixity and audit, storage
  chart, access log), ``/reports`` + ``/reports.csv`` (monthly statistics), ``/admin/users``
- ``/api/v1/...`` described by ``/api/v1/openapi.json``

Roles: intake, reviewer, records, admin (``search_ui.accounts``); department scope in
``search_ui.access``; every read of a document is logged (``search_ui.access_log``).
"""
