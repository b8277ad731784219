"""Maatwerk's own template filters: dates kept as text in a message, and the names the
iStandaarden code lists give to codes. Amounts: ``{{ amount|euro }}`` of ``components``.

- ``{{ "2026-12-07"|iso_date }}``: a date for ``|date:"j F Y"`` (``None`` when empty);
- ``{{ "45"|category:"jw" }}``: "45 Jeugdhulp ambulant" (WMO020 / JZ020);
- ``{{ "9307"|retour_code }}``: the meaning of a retour code (WJ001);
- ``{% volume amount unit frequency %}``: "4 uur per week" (WJ756, WMO757).
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import gettext_lazy, ngettext

from maatwerk import istandaarden
from wijkteam import numbers

register = template.Library()


@register.filter
def iso_date(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


@register.filter
def category(code: str, standard: str = "") -> str:
    name = istandaarden.category_name(code, standard=standard)
    return f"{code} {name}" if name and name != code else code or ""


@register.filter
def retour_code(code: str) -> str:
    return istandaarden.retour_code_text(code)


@register.filter
def refusal_reason(code: str) -> str:
    return istandaarden.refusal_reason_text(code) if code else ""


@register.filter
def unit_label(code: str) -> str:
    from maatwerk.models import UNIT_CHOICES

    return dict(UNIT_CHOICES).get(code, code or "")


@register.filter
def frequency_label(code: str) -> str:
    from maatwerk.models import FREQUENCY_CHOICES

    return dict(FREQUENCY_CHOICES).get(code, code or "")


# How a volume of each unit (WJ756) and frequency (WMO757) reads in a sentence: "4 uur per week",
# not "4 x Uur, per week" as the code lists spell them. Other codes: the list's own description.
_UNITS = {
    "01": lambda n: ngettext("%(n)s minute", "%(n)s minutes", n),
    "04": lambda n: ngettext("%(n)s hour", "%(n)s hours", n),
    "14": lambda n: ngettext("%(n)s day and night", "%(n)s days and nights", n),
    "16": lambda n: ngettext("%(n)s part of a day (4 hours)", "%(n)s parts of a day (4 hours)", n),
    "82": lambda n: ngettext("%(n)s item", "%(n)s items", n),
    "84": lambda n: ngettext("%(n)s item (effort)", "%(n)s items (effort)", n),
}
_FREQUENCIES = {
    "1": gettext_lazy("a day"),
    "2": gettext_lazy("a week"),
    "4": gettext_lazy("a month"),
    "6": gettext_lazy("in total"),
}


@register.simple_tag
def volume(amount, unit: str, frequency: str = "") -> str:
    """``{% volume advice.volume advice.unit advice.frequency %}``: "4 uur per week", "€ 250 per
    maand", "10 stuks in totaal"."""
    if amount in (None, ""):
        return ""
    if unit == "83":  # euros
        text = numbers.euro(amount)
    elif unit in _UNITS:
        try:
            plural = 1 if Decimal(str(amount)) == 1 else 2
        except InvalidOperation:
            plural = 2
        text = _UNITS[unit](plural) % {"n": numbers.number(amount)}
    else:
        text = f"{numbers.number(amount)} {unit_label(unit).lower()}".strip()
    how_often = _FREQUENCIES.get(frequency) or frequency_label(frequency).lower()
    return f"{text} {how_often}".strip()
