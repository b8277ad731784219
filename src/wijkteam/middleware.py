"""Cross-cutting HTTP behaviour that every page shares."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import translation
from django.utils.translation import gettext as _

from .forms import InvalidInput


def address_of(request: HttpRequest) -> str | None:
    """The client's address: the last hop of X-Forwarded-For behind our own proxy, else the peer."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


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


class RefuseNulMiddleware:
    """A NUL character in the address, a query parameter, a form field or a cookie is refused with
    a 400 and a clear message before any view sees it. No person types one, and PostgreSQL cannot
    store or compare text that holds one (a search for it would be a server error). Forms refuse
    it too (Django's ``ProhibitNullCharactersValidator``); this covers what views read themselves.
    JSON bodies are checked by ``wijkteam.api.JSONParser``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in text for text in self._texts(request)):
            raise InvalidInput(_("The request contains a NUL character, which no text may contain."))
        return self.get_response(request)

    def _texts(self, request: HttpRequest):
        yield request.path
        yield from request.COOKIES.keys()
        yield from request.COOKIES.values()
        for data in (request.GET, self._form(request)):
            for key, values in data.lists():
                yield key
                yield from (value for value in values if isinstance(value, str))

    @staticmethod
    def _form(request: HttpRequest):
        """The posted form fields; nothing for other bodies (JSON, XML), which their parsers check."""
        if request.method != "POST" or request.content_type not in {
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        }:
            return QueryDict()
        return request.POST
