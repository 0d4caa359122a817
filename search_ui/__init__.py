"""The Flask web app and JSON API of sohoa for the three roles (intake, reviewers, records/IT)."""
