"""Validation of Dutch identifiers at the edge: BSN, postcode, dates."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

POSTCODE_RE = re.compile(r"^([1-9][0-9]{3})\s?([A-Za-z]{2})$")


def normalise_bsn(value: str) -> str:
    digits = re.sub(r"[\s.-]", "", value or "")
    if len(digits) == 8 and digits.isdigit():
        digits = "0" + digits
    return digits


def is_valid_bsn(value: str) -> bool:
    """The eleven-test (elfproef) for a BSN: 9 digits, weights 9..2 and -1, sum divisible by 11."""
    digits = normalise_bsn(value)
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(digits[8])
    return total % 11 == 0


def validate_bsn(value: str) -> None:
    if not is_valid_bsn(value):
        raise ValidationError(
            _("This is not a valid BSN: it must have 9 digits and pass the eleven-test."), code="invalid_bsn"
        )


def normalise_postcode(value: str) -> str:
    match = POSTCODE_RE.match((value or "").strip())
    if not match:
        return (value or "").strip().upper()
    return f"{match.group(1)}{match.group(2).upper()}"


def validate_postcode(value: str) -> None:
    match = POSTCODE_RE.match((value or "").strip())
    # SA, SD and SS are never issued as postcode letters.
    if not match or match.group(2).upper() in {"SA", "SD", "SS"}:
        raise ValidationError(_("Enter a Dutch postcode such as 8921 AB."), code="invalid_postcode")


def validate_birth_date(value: date) -> None:
    if value > timezone.localdate():
        raise ValidationError(_("A date of birth cannot be in the future."), code="future_birth_date")
    if value.year < 1900:
        raise ValidationError(_("A date of birth before 1900 is not plausible."), code="implausible_birth_date")


def validate_not_future(value: date) -> None:
    if value > timezone.localdate():
        raise ValidationError(_("This date cannot be in the future."), code="future_date")
