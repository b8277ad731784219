from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from people.factories import valid_bsn
from people.validators import is_valid_bsn, normalise_postcode, validate_birth_date, validate_postcode


@pytest.mark.parametrize("bsn", ["999993185", "000009830", "111222333", "9999 93 185"])
def test_official_test_bsns_pass_the_eleven_test(bsn):
    assert is_valid_bsn(bsn)


@pytest.mark.parametrize("bsn", ["123456789", "999993186", "12345678a", "", "000000000", "1234567890"])
def test_invalid_bsns_fail(bsn):
    assert not is_valid_bsn(bsn)


def test_eight_digit_bsn_gets_its_leading_zero():
    assert is_valid_bsn("00009830")


def test_factory_bsns_are_valid():
    assert all(is_valid_bsn(valid_bsn(seed)) for seed in range(50))


@pytest.mark.parametrize("value", ["8921 AB", "8921ab", "1011AA"])
def test_postcodes(value):
    validate_postcode(value)


@pytest.mark.parametrize("value", ["0921 AB", "892 AB", "8921 SS", "8921-AB", "ABCD12"])
def test_bad_postcodes(value):
    with pytest.raises(ValidationError):
        validate_postcode(value)


def test_postcode_is_normalised():
    assert normalise_postcode(" 8921 ab ") == "8921AB"


def test_birth_date_in_the_future_is_refused():
    with pytest.raises(ValidationError):
        validate_birth_date(date.today() + timedelta(days=1))
    validate_birth_date(date(1957, 9, 29))
