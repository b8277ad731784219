"""Long lists in pages of a fixed size (Mijn werk, the team's work queue).

The page number is the ``pagina`` query parameter; a number out of range, or not a number, shows the
nearest page instead of an error (a link kept from yesterday still lands somewhere sensible).
Only the rows of the chosen page are fetched and rendered: that is what keeps a busy team's list as
fast as a quiet one's (issue 8).
"""

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_PARAMETER = "pagina"


def page_of(request: HttpRequest, queryset, per_page: int) -> Page:
    """The requested page of ``queryset``, which must be ordered."""
    return Paginator(queryset, per_page).get_page(request.GET.get(PAGE_PARAMETER))
