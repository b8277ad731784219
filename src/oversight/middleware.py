"""Shows the gate's answer "state a reason first" as the case's minimal card."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from cases.access import ReasonRequired

from .views import case_card


class BreakGlassMiddleware:
    """A team member who opens a case they are not on sees its minimal card with the form to state
    a reason (403: the page exists, but not for them without that step). The gate decides and logs;
    this only shows its answer, on whichever page of the dossier was asked for."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, ReasonRequired):
            return case_card(request, exception.case)
        return None
