"""Cross-cutting HTTP behaviour that every page shares."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy and a Permissions-Policy on every response (static files
    and errors too). Scripts and styles come only from our own static files: no inline script, no
    inline style, no eval; the policies are built once from ``settings.CONTENT_SECURITY_POLICY``
    and ``settings.PERMISSIONS_POLICY``. Django 6 has this built in (``SECURE_CSP``); until then
    this is it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.csp = "; ".join(
            " ".join([directive, *sources]) for directive, sources in settings.CONTENT_SECURITY_POLICY.items()
        )
        self.permissions = ", ".join(
            f"{feature}=({' '.join(allowed)})" for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", self.permissions)
        return response


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


class DutchFirstLocaleMiddleware:
    """The interface is Dutch unless the user chose another language (the cookie that Django's
    ``set_language`` view writes). The browser's Accept-Language is deliberately not followed:
    a municipality's staff work in Dutch whatever their browser says."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", code)
        return response
