"""Dutch public holidays, computed (no list to keep up to date), and the next working day.

The holidays of the Algemene termijnenwet and the collective agreements: New Year's Day, Easter
Monday, King's Day (27 April, the 26th when the 27th is a Sunday), Liberation Day (5 May),
Ascension Day, Whit Monday and Christmas (25 and 26 December). Easter and Whit Sunday are Sundays.
"""

from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _


def easter(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    j = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * j) // 451
    month, day = divmod(h + j - 7 * m + 114, 31)
    return date(year, month, day + 1)


def holidays(year: int) -> dict[date, str]:
    """The public holidays of ``year``, each with its name."""
    sunday = easter(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:
        kings_day = date(year, 4, 26)
    return {
        date(year, 1, 1): _("New Year's Day"),
        sunday + timedelta(days=1): _("Easter Monday"),
        kings_day: _("King's Day"),
        date(year, 5, 5): _("Liberation Day"),
        sunday + timedelta(days=39): _("Ascension Day"),
        sunday + timedelta(days=50): _("Whit Monday"),
        date(year, 12, 25): _("Christmas Day"),
        date(year, 12, 26): _("Boxing Day"),
    }


def day_off(day: date) -> str:
    """Why nobody visits on ``day`` (Sunday, or the holiday's name), or "" on an ordinary day."""
    name = holidays(day.year).get(day)
    if name:
        return str(name)
    return str(_("Sunday")) if day.weekday() == 6 else ""


def next_working_day(day: date) -> date:
    """``day`` itself on a working day (Monday to Friday, no holiday), else the first one after it."""
    while day.weekday() >= 5 or day in holidays(day.year):
        day += timedelta(days=1)
    return day
