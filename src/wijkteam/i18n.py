import functools

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import override


def msgid(text: str | Promise) -> str:
    """The untranslated English msgid of a lazy label, for storing in history entries that are
    translated again when shown (``CaseEvent.text``)."""
    with override(None):
        return str(text)


@functools.cache
def _choice_labels(model: type, field_name: str, language: str) -> dict:
    # Django's get_FOO_display translates every choice of the field on each call; this once.
    return {value: str(label) for value, label in model._meta.get_field(field_name).flatchoices}


def choice_label(model: type, field_name: str, value):
    """The label of ``value`` of a choice field in the active language, like ``get_FOO_display``
    but from a table made once per language: for lists of many rows (issue 8)."""
    return _choice_labels(model, field_name, translation.get_language()).get(value, value)
