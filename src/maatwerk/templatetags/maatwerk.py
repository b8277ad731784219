"""Maatwerk's own template filters: amounts in euros as Dutch readers expect them, dates kept as
text in a message, and the names the iStandaarden code lists give to codes.

- ``{{ amount|euro }}``: "€ 1.250,00";
- ``{{ "2026-12-07"|iso_date }}``: a date for ``|date:"j F Y"`` (``None`` when empty);
- ``{{ "45"|category:"jw" }}``: "45 Jeugdhulp ambulant" (WMO020 / JZ020);
- ``{{ "9307"|retour_code }}``: the meaning of a retour code (WJ001).
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django import template
from django.template.defaultfilters import floatformat

from maatwerk import istandaarden

register = template.Library()


@register.filter
def euro(amount) -> str:
    if amount in (None, ""):
        return ""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return str(amount)
    sign = "-" if value < 0 else ""
    return f"{sign}€ {floatformat(abs(value), '2g')}"


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
