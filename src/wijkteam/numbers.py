"""Numbers and amounts as readers of the interface's language read them: one place for all.

Every number a page, a letter or an export shows goes through here, in templates through the
filters ``{{ value|number }}`` and ``{{ value|euro }}`` (``wijkteam/templatetags/components.py``),
in code that builds text cells (management information, suppression) through ``number`` and
``euro`` themselves. In Dutch: "1.250", "7,5", "€ 1.250", "€ 1.962,17".

- ``number(value)``: thousands grouped; a whole number without decimals, a fraction with at most
  two ("7,5", "1.962,17"); ``number(value, 1)`` exactly one decimal ("4,0").
- ``euro(value)``: a whole amount without cents ("€ 1.250"), otherwise with two ("€ 1.962,17").
- A count as it may be shown (``wijkteam.suppression.Count`` / ``Shown``) keeps what it says when
  hidden ("< 10", "x"); a text that is not a number ("-", "") is returned as it is.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _format(value: Decimal, decimals: int) -> str:
    quantum = Decimal(1).scaleb(-decimals)
    rounded = value.quantize(quantum, ROUND_HALF_UP)
    return formats.number_format(rounded, decimals, use_l10n=True, force_grouping=True)


def _places(value: Decimal, most: int = 2) -> int:
    """Decimals shown when none are asked for: none for a whole number, else up to ``most``."""
    rounded = value.quantize(Decimal(1).scaleb(-most), ROUND_HALF_UP)
    return 0 if rounded == rounded.to_integral_value() else max(0, -rounded.normalize().as_tuple().exponent)


def number(value, decimals: int | None = None) -> str:
    figure = _read(value)
    if isinstance(figure, str):
        return figure
    return _format(figure, _places(figure) if decimals is None else int(decimals))


def euro(value) -> str:
    figure = _read(value)
    if isinstance(figure, str):
        return figure
    places = 0 if _places(figure) == 0 else 2
    sign = "-" if figure < 0 else ""
    return f"{sign}€ {_format(abs(figure), places)}"


def _read(value) -> Decimal | str:
    """The figure to format, or the text to show as it is (hidden, not applicable, not a number)."""
    shown = _shown(value)
    if shown is not None:
        return shown
    figure = _decimal(value)
    if figure is None:
        return "" if value is None else str(value)
    return figure


def _shown(value) -> str | None:
    """A count or derived figure of ``wijkteam.suppression``: its own text when hidden (or not
    applicable), else None, so that its value is formatted."""
    from wijkteam.suppression import Count, Shown

    if isinstance(value, Count):
        return str(value) if value.value is None or value.secondary else number(value.value)
    if isinstance(value, Shown):
        return value.text
    return None
