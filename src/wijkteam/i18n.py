from django.utils.functional import Promise
from django.utils.translation import override


def msgid(text: str | Promise) -> str:
    """The untranslated English msgid of a lazy label, for storing in history entries that are
    translated again when shown (``CaseEvent.text``)."""
    with override(None):
        return str(text)
