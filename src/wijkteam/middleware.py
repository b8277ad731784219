"""Cross-cutting HTTP behaviour that every page shares."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class PrivateByDefaultMiddleware:
    """Pages shown to a signed-in user may hold personal data: browsers and proxies must not
    keep them (no-store), and they are never embedded elsewhere."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store, private"
        return response
