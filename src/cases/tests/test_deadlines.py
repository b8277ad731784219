from datetime import date

import pytest

from cases import deadlines


@pytest.mark.parametrize(
    ("year", "easter"),
    [(2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)), (2026, date(2026, 4, 5)), (2027, date(2027, 3, 28))],
)
def test_easter(year, easter):
    assert deadlines.easter_sunday(year) == easter


def test_holidays_2026():
    holidays = deadlines.public_holidays(2026)
    assert date(2026, 4, 6) in holidays  # Easter Monday
    assert date(2026, 5, 14) in holidays  # Ascension
    assert date(2026, 5, 25) in holidays  # Whit Monday
    assert date(2026, 4, 27) in holidays  # King's Day
    assert date(2026, 5, 5) in holidays  # Liberation Day
    assert date(2026, 12, 26) in holidays


def test_kings_day_on_a_sunday_moves_to_saturday():
    assert date(2025, 4, 26) in deadlines.public_holidays(2025)  # 27 April 2025 was a Sunday
    assert date(2025, 4, 27) not in deadlines.public_holidays(2025)


def test_six_weeks_after_a_melding():
    assert deadlines.onderzoek_due(date(2026, 11, 23)) == date(2027, 1, 4)


def test_a_term_ending_on_a_weekend_moves_to_monday():
    # 6 weeks after Saturday 3 October 2026 is Saturday 14 November: extended to Monday 16th.
    assert deadlines.onderzoek_due(date(2026, 10, 3)) == date(2026, 11, 16)


def test_a_term_ending_on_a_holiday_moves_to_the_next_working_day():
    # 2 weeks after 11 December 2026 is Friday 25 December (Christmas), then the weekend, then 28th.
    assert deadlines.wmo_decision_due(date(2026, 12, 11)) == date(2026, 12, 28)


def test_jeugdwet_decision_term_is_eight_weeks():
    assert deadlines.jeugdwet_decision_due(date(2026, 1, 5)) == date(2026, 3, 2)
