"""Legal deadlines, computed the way the law counts them.

- Wmo 2015 art. 2.3.2 lid 1: the investigation (onderzoek) within six weeks of the report (melding).
- Wmo 2015 art. 2.3.5 lid 1: the decision within two weeks of the application (aanvraag).
- Jeugdwet: no term of its own, so the Awb's eight weeks (art. 4:13 lid 2).

A term that ends on a Saturday, Sunday or public holiday is extended to the next working day
(Algemene termijnenwet art. 1 and 3). The same holidays, with their names, tell which recurring
visits fall on a day off (``day_off``) and where such a visit moves (``next_visit_day``: only
Sundays and holidays are skipped, a Saturday visit stays).
"""

from datetime import date, timedelta
from functools import cache

from django.utils.translation import gettext_lazy as _

ONDERZOEK_WEEKS = 6
WMO_DECISION_WEEKS = 2
AWB_DECISION_WEEKS = 8
# A legal term ending within two weeks is at risk: Mijn werk, the work queue and the team overview.
AT_RISK = timedelta(days=14)


def easter_sunday(year: int) -> date:
    """Gregorian Easter (the anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


@cache
def holiday_names(year: int) -> dict[date, str]:
    """The 'algemeen erkende feestdagen' of the Algemene termijnenwet art. 3, each with its name."""
    easter = easter_sunday(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:  # on a Sunday it is celebrated on the 26th
        kings_day = date(year, 4, 26)
    return {
        date(year, 1, 1): _("New Year's Day"),
        easter + timedelta(days=1): _("Easter Monday"),
        kings_day: _("King's Day"),
        date(year, 5, 5): _("Liberation Day"),
        easter + timedelta(days=39): _("Ascension Day"),
        easter + timedelta(days=50): _("Whit Monday"),
        date(year, 12, 25): _("Christmas Day"),
        date(year, 12, 26): _("Boxing Day"),
    }


@cache
def public_holidays(year: int) -> frozenset[date]:
    """The 'algemeen erkende feestdagen' of the Algemene termijnenwet art. 3."""
    return frozenset(holiday_names(year))


def day_off(day: date) -> str:
    """Why nobody works on ``day`` as a visit falls: Sunday, or the holiday's name; "" otherwise
    (recurring visits on such days are listed before they are planned, ``contacts``)."""
    name = holiday_names(day.year).get(day)
    if name:
        return str(name)
    return str(_("Sunday")) if day.weekday() == 6 else ""


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def extend_to_working_day(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def next_visit_day(day: date) -> date:
    """The first day from ``day`` on that is not a day off for a visit (``day_off``: a Sunday or a
    public holiday). Unlike a legal term, a visit is not moved off a Saturday."""
    while day_off(day):
        day += timedelta(days=1)
    return day


def term_end(start: date, weeks: int) -> date:
    """The last day of a term of ``weeks`` weeks that starts the day after ``start``."""
    return extend_to_working_day(start + timedelta(weeks=weeks))


def onderzoek_due(melding_date: date) -> date:
    return term_end(melding_date, ONDERZOEK_WEEKS)


def wmo_decision_due(aanvraag_date: date) -> date:
    return term_end(aanvraag_date, WMO_DECISION_WEEKS)


def jeugdwet_decision_due(aanvraag_date: date) -> date:
    return term_end(aanvraag_date, AWB_DECISION_WEEKS)
