"""The bounds of what Wijkteam accepts: one definition of sensible dates and amounts for the
models, the forms, the API serializers and so the OpenAPI schema (issue 18).

- **Dates**: every date field of every form and serializer accepts 1900-01-01 to 2099-12-31
  (``validate_date``, installed for all of them by ``WijkteamConfig.ready``). Dates of birth start
  in 1900 (``people.validators``); nothing in a social team's work lies outside these years, and
  arithmetic on a date at Python's edges (0001-01-01, 9999-12-31) fails. Fields with a tighter rule
  (not in the future, within the initiative) check that too.
- **Amounts** in euros: at least a cent, and at most ``MAX_AMOUNT`` for one amount (an expense,
  a unit price) or ``MAX_BUDGET`` for one neighbourhood initiative's budget.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

FIRST_DATE = date(1900, 1, 1)
LAST_DATE = date(2099, 12, 31)

MIN_AMOUNT = Decimal("0.01")
# One expense or one unit price: a neighbourhood initiative's largest single bill, with room to spare.
MAX_AMOUNT = Decimal("250000.00")
# One neighbourhood initiative's budget (the seed's example: EUR 30,000).
MAX_BUDGET = Decimal("1000000.00")


def validate_date(value: date) -> None:
    """Within the years any record of Wijkteam can be about."""
    if not FIRST_DATE <= value <= LAST_DATE:
        raise ValidationError(
            _("Choose a date from %(first)s to %(last)s."),
            code="date_out_of_range",
            params={"first": date_format(FIRST_DATE, "j F Y"), "last": date_format(LAST_DATE, "j F Y")},
        )


def amount_validators(maximum: Decimal = MAX_AMOUNT) -> list:
    """For a model field of euros: at least a cent, at most ``maximum``. ModelForms and model
    serializers take the bounds from these (and the OpenAPI schema from the serializer)."""
    return [MinValueValidator(MIN_AMOUNT), MaxValueValidator(maximum)]


def install_date_bounds() -> None:
    """Every date field of every form (Django's, the admin's) and of every API serializer (DRF's)
    validates ``validate_date``: bad dates are refused at the edge, for new fields too."""
    from django import forms
    from rest_framework import serializers

    for field in (forms.DateField, serializers.DateField):
        if validate_date not in field.default_validators:
            field.default_validators = [*field.default_validators, validate_date]
