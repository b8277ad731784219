"""Template components that lists lean on: the same output as Django's own, for less."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.paginator import Paginator
from django.template import engines
from django.test import RequestFactory

render = engines["django"].from_string

MOMENTS = [
    datetime(2026, 3, 29, 0, 59, tzinfo=UTC),  # 01:59 in Amsterdam, the minute before summer time
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # 03:00 summer time
    datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # 02:30 summer time, the night the clock goes back
    datetime(2026, 10, 25, 1, 30, tzinfo=UTC),  # 02:30 winter time
    datetime(2026, 12, 31, 23, 5, tzinfo=UTC),  # already 1 January in Amsterdam
    *(datetime(2026, 1, 1, 7, 3, tzinfo=UTC) + timedelta(days=37 * n, minutes=n) for n in range(12)),
]


@pytest.mark.parametrize("moment", MOMENTS)
def test_short_dates_write_what_the_date_filter_writes(moment):
    ours = render("{{ m|short_date }}|{{ m|short_datetime }}|{{ d|short_date }}")
    django = render('{{ m|date:"j-n-Y" }}|{{ m|date:"j-n-Y H:i" }}|{{ d|date:"j-n-Y" }}')
    context = {"m": moment, "d": moment.date()}
    assert ours.render(context) == django.render(context)


def test_short_dates_of_nothing_are_empty_so_that_default_applies():
    template = render('{{ v|short_date|default:"—" }} {{ v|short_datetime|default:"—" }}')
    assert template.render({"v": None}) == "— —"
    assert render("{{ v|short_date }}").render({"v": date(2026, 7, 4)}) == "4-7-2026"


def test_pagination_links_keep_the_other_parameters_and_mark_the_current_page():
    page = Paginator(list(range(120)), 50).get_page(2)
    request = RequestFactory().get("/werkbak/", {"toon": "new", "pagina": 2})
    html = render("{% pagination page 'Pages' %}").render({"page": page, "request": request})
    assert 'aria-label="Pages"' in html
    assert 'rel="prev" href="?toon=new&amp;pagina=1"' in html and 'rel="next" href="?toon=new&amp;pagina=3"' in html
    assert 'utrecht-pagination__page-link--current" aria-current="page" href="?toon=new&amp;pagina=2"' in html
    one_page = Paginator(list(range(10)), 50).get_page(1)
    assert render("{% pagination page 'Pages' %}").render({"page": one_page, "request": request}).strip() == ""
