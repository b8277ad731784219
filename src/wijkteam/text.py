"""Text as the search indexes keep it."""

import unicodedata


def normalise_text(value: str) -> str:
    """Lowercase without accents: 'Nijlân' -> 'nijlan', 'Ĳsselmeer' -> 'ijsselmeer'."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())
