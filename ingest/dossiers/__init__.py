"""The dossier use cases, below the web: open a dossier, add documents to it, reuse an applicant's
documents (and undo a reuse), confirm a document's metadata, re-scan a page, issue notices (the
receipt). The web pages, the JSON API and the command line call them alike; each takes the
``DossierDesk`` that the composition root (``sohoa.wiring``) builds, and an actor's login.

One module per use case: ``opening``, ``documents``, ``reuse``, ``confirm``, ``rescan``,
``notices``; ``records`` holds their tables, ``listing`` what the dossier pages show and
``statistics`` the monthly figures.
"""
