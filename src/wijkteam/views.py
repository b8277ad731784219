"""Pages that belong to no domain: the front door, health and error pages."""

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from . import database
from .api import is_api_request, problem_response
from .forms import InvalidInput


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return HttpResponseRedirect(request.user.home_url())
    return HttpResponseRedirect(reverse("accounts:login"))


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For the reverse proxy and monitoring: the process answers and the database responds. A
    database role that could empty the access log (the tables' owner, a superuser) makes the status
    "warning" with the reason, still with HTTP 200: the application works, but should not run so."""
    problems = database.role_problems()
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    return JsonResponse({"status": "warning", "warnings": problems} if problems else {"status": "ok"})


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (toegankelijkheidsverklaring), public like any statement."""
    return render(request, "wijkteam/accessibility.html", {"contact": settings.WIJKTEAM["ACCESSIBILITY_CONTACT"]})


def _error(request: HttpRequest, status: int, template: str, detail: str = "") -> HttpResponse:
    if is_api_request(request):
        return problem_response(request, status, detail)
    return render(request, template, {"detail": detail}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400; our own ``InvalidInput`` says what was wrong, anything else only that it was."""
    detail = str(exception) if isinstance(exception, InvalidInput) else ""
    return _error(request, 400, "wijkteam/400.html", detail)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, "wijkteam/403.html")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, "wijkteam/404.html")


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, 500, "wijkteam/500.html")
