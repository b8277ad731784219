"""Text as the search indexes keep it, and text a person wrote in a free-text field."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def normalise_text(value: str) -> str:
    """Lowercase without accents: 'Nijlân' -> 'nijlan', 'Ĳsselmeer' -> 'ijsselmeer'."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


def written_text(text: str | None, *, most: int, empty: str, field: str = "text") -> str:
    """What a person wrote (a message, a comment, a reported mistake): stripped; refused on
    ``field`` when nothing is left (``empty`` says what to write) or when longer than ``most``
    characters."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: [empty]})
    if len(text) > most:
        raise ValidationError({field: [_("Write at most %(most)s characters.") % {"most": most}]})
    return text
