"""Numbers as the official reads them: Vietnamese groups thousands with a dot and writes the
decimal comma (1.234,5); English keeps 1,234.5."""

from __future__ import annotations


def format_number(value: object, lang: str = "vi", decimals: int | None = None) -> str:
    """``value`` with the separators of ``lang``; text that is not a number comes back as is."""
    if value is None or value == "":
        return ""
    try:
        number = float(str(value))
    except ValueError:
        return str(value)
    if decimals is None:
        decimals = 0 if number == int(number) else 1
    text = f"{number:,.{decimals}f}"  # 1,234.5
    if lang == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


UNITS = ("B", "KB", "MB", "GB", "TB")


def format_size(value: object, lang: str = "vi") -> str:
    """A size in bytes as the official reads it: 1,2 MB (1024-based, one decimal from KB up)."""
    try:
        size = float(str(value))
    except ValueError:
        return str(value)
    unit = 0
    while size >= 1024 and unit < len(UNITS) - 1:
        size, unit = size / 1024, unit + 1
    return f"{format_number(size, lang, 0 if unit == 0 else 1)} {UNITS[unit]}"
