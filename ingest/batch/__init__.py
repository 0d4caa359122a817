"""Batch scanning: one stack through the scanner, split at the pages carrying a sohoa QR code."""
