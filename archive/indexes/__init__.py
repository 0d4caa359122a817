"""Search index backends, one module per engine."""
