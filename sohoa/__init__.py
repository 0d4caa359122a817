"""Composition root: settings, wiring of backends, the command line."""
