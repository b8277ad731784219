"""The bounds of what Wijkteam accepts: one definition of sensible dates and amounts for the
models, the forms, the API serializers and so the OpenAPI schema (issue 18).

- **Dates**: every date field of every form and serializer accepts 1900-01-01 to 2099-12-31
  (``validate_date``, installed for all of them by ``WijkteamConfig.ready``). Dates of birth start
  in 1900 (``people.validators``); nothing in a social team's work lies outside these years, and
  arithmetic on a date at Python's edges (0001-01-01, 9999-12-31) fails. Fields with a tighter rule
  (not in the future, within the initiative) check that too.
- **Amounts** in euros: at least a cent, and at most ``MAX_AMOUNT`` for one amount (an expense),
  ``MAX_BUDGET`` for one neighbourhood initiative's budget and ``MAX_DECISION_COST`` for the
  expected cost of one decision on a customised provision.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.deconstruct import deconstructible
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from wijkteam.numbers import euro

FIRST_DATE = date(1900, 1, 1)
LAST_DATE = date(2099, 12, 31)

MIN_AMOUNT = Decimal("0.01")
# One expense or one unit price: a neighbourhood initiative's largest single bill, with room to spare.
MAX_AMOUNT = Decimal("250000.00")
# One neighbourhood initiative's budget (the seed's example: EUR 30,000): a euro to a million.
MIN_BUDGET = Decimal("1.00")
MAX_BUDGET = Decimal("1000000.00")
# The expected cost of one decision on a customised provision (volume x unit price over its period):
# round-the-clock care for years stays well below it.
MAX_DECISION_COST = Decimal("10000000.00")


def validate_date(value: date) -> None:
    """Within the years any record of Wijkteam can be about."""
    if not FIRST_DATE <= value <= LAST_DATE:
        raise ValidationError(
            _("Choose a date from %(first)s to %(last)s."),
            code="date_out_of_range",
            params={"first": date_format(FIRST_DATE, "j F Y"), "last": date_format(LAST_DATE, "j F Y")},
        )


def euros(amount: Decimal) -> str:
    """An amount as the interface's readers expect it: "€ 1.250" (``wijkteam.numbers``)."""
    return euro(amount)


AT_LEAST = gettext_noop("The amount must be at least %(limit)s.")
AT_MOST = gettext_noop("The amount can be at most %(limit)s.")


def _says(text: str, limit: Decimal):
    """The message in the active language, with the limit in euros (evaluated when shown)."""
    return lazy(lambda: gettext(text) % {"limit": euros(limit)}, str)()


@deconstructible
class MinAmount(MinValueValidator):
    """At least ``limit_value`` euros, said in euros. A ``MinValueValidator``, so model serializers
    and the OpenAPI schema take the bound from it."""

    def __call__(self, value) -> None:
        if self.compare(self.clean(value), self.limit_value):
            raise ValidationError(_says(AT_LEAST, self.limit_value), code=self.code)


@deconstructible
class MaxAmount(MaxValueValidator):
    def __call__(self, value) -> None:
        if self.compare(self.clean(value), self.limit_value):
            raise ValidationError(_says(AT_MOST, self.limit_value), code=self.code)


def amount_validators(maximum: Decimal = MAX_AMOUNT, minimum: Decimal = MIN_AMOUNT) -> list:
    """For a model field of euros: at least ``minimum`` (a cent), at most ``maximum``."""
    return [MinAmount(minimum), MaxAmount(maximum)]


def amount_form_field(*, maximum: Decimal = MAX_AMOUNT, minimum: Decimal = MIN_AMOUNT, **kwargs):
    """A form field of euros with the same bounds and messages (and ``min``/``max`` in the HTML)."""
    from django import forms

    messages = {"min_value": _says(AT_LEAST, minimum), "max_value": _says(AT_MOST, maximum)}
    return forms.DecimalField(
        max_digits=12, decimal_places=2, min_value=minimum, max_value=maximum, error_messages=messages, **kwargs
    )


def amount_serializer_field(*, maximum: Decimal = MAX_AMOUNT, minimum: Decimal = MIN_AMOUNT, **kwargs):
    """An API field of euros (input) with the same bounds and messages. A number in the OpenAPI
    schema, so the schema shows its minimum and maximum; a string such as "1250.00" is taken too."""
    from rest_framework import serializers

    messages = {"min_value": _says(AT_LEAST, minimum), "max_value": _says(AT_MOST, maximum)}
    return serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=minimum,
        max_value=maximum,
        coerce_to_string=False,
        error_messages=messages,
        **kwargs,
    )


def install_date_bounds() -> None:
    """Every date field of every form (Django's, the admin's) and of every API serializer (DRF's)
    validates ``validate_date``: bad dates are refused at the edge, for new fields too."""
    from django import forms
    from rest_framework import serializers

    for field in (forms.DateField, serializers.DateField):
        if validate_date not in field.default_validators:
            field.default_validators = [*field.default_validators, validate_date]
