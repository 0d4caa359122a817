"""Object store backends, one module per storage protocol."""
