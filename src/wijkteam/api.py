"""Shared REST API behaviour: RFC 9457 problem details for every error, and fields that lists of
many rows share.

Each domain app owns its API views in its own ``api.py``; this module only holds what they share.
"""

import io
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, parsers, serializers
from rest_framework.response import Response

from . import i18n

PROBLEM_CONTENT_TYPE = "application/problem+json"


@extend_schema_field(OpenApiTypes.STR)
class ChoiceLabelField(serializers.Field):
    """The label of a choice field in the request's language (``source`` names the field), from a
    table made once per language instead of ``get_FOO_display``, which translates every choice of
    the field for each row."""

    def __init__(self, **kwargs) -> None:
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value) -> str:
        return i18n.choice_label(self.parent.Meta.model, self.source, value)


@extend_schema_field(OpenApiTypes.STR)
class FullNameField(serializers.Field):
    """A professional's full name (``source``: the user; null when there is none). Cheaper than
    ``source="user.get_full_name"``, for which DRF inspects the method's signature on every row."""

    def __init__(self, **kwargs) -> None:
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, user) -> str:
        return user.get_full_name()


_TITLES = {
    400: gettext_noop("Invalid input"),
    401: gettext_noop("Not authenticated"),
    403: gettext_noop("Forbidden"),
    404: gettext_noop("Not found"),
    405: gettext_noop("Method not allowed"),
    406: gettext_noop("Not acceptable"),
    409: gettext_noop("Conflict"),
    413: gettext_noop("Payload too large"),
    415: gettext_noop("Unsupported media type"),
    429: gettext_noop("Too many requests"),
    500: gettext_noop("Server error"),
    503: gettext_noop("Service unavailable"),
}


def problem(status_code: int, detail: str = "", *, instance: str = "", **extra: Any) -> dict:
    """The body of an RFC 9457 problem: ``type`` is about:blank, so ``title`` is the HTTP
    reason in the active language."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": _(_TITLES.get(status_code, "Error")),
        "status": status_code,
    }
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    body.update(extra)
    return body


def _flatten_errors(data: Any, prefix: str = "") -> list[dict[str, str]]:
    """DRF validation errors (nested dicts/lists) as a flat list of {name, reason} pairs, the
    ``invalid-params`` extension from RFC 9457's own example."""
    params: list[dict[str, str]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            name = key if not prefix else f"{prefix}.{key}"
            if key == "non_field_errors":
                name = prefix or "__all__"
            params.extend(_flatten_errors(value, name))
    elif isinstance(data, list):
        if all(not isinstance(item, dict | list) for item in data):
            params.extend({"name": prefix or "__all__", "reason": str(item)} for item in data)
        else:
            for index, item in enumerate(data):
                params.extend(_flatten_errors(item, f"{prefix}[{index}]"))
    else:
        params.append({"name": prefix or "__all__", "reason": str(data)})
    return params


def problem_details_handler(exc: Exception, context: dict) -> Response | None:
    # Imported here: rest_framework.views reads the parser setting, which names this module.
    from rest_framework.views import exception_handler

    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        # A message of our own (the gate's ReasonRequired) is shown; Django's bare one is not.
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = exception_handler(exc, context)
    if response is None:
        return None
    request = context.get("request")
    instance = request.path if request is not None else ""
    if isinstance(exc, exceptions.ValidationError):
        body = problem(
            response.status_code,
            _("The request contains invalid data."),
            instance=instance,
            invalid_params=_flatten_errors(exc.detail),
        )
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else ""
        body = problem(response.status_code, str(detail), instance=instance)
    response.data = body
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def problem_response(request: HttpRequest, status_code: int, detail: str = "") -> JsonResponse:
    """A problem response outside DRF (unknown API URLs, server errors under /api/)."""
    return JsonResponse(
        problem(status_code, detail, instance=request.path),
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
    )


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


MAX_JSON_DEPTH = 32  # no request body of the API nests deeper than a few levels


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = gettext_noop("The request is too large.")


class JSONParser(parsers.JSONParser):
    """JSON, refused with a 400 problem instead of a server error when it is nested deeper than
    ``MAX_JSON_DEPTH`` (Python's parser would recurse until it fails: 100,000 ``[``) or holds NUL
    characters anywhere (PostgreSQL cannot store them, and no person types one); a body larger than
    Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is a 413."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if limit is not None and len(raw) > limit:
            raise PayloadTooLarge(_("The request is too large."))
        if _depth(raw) > MAX_JSON_DEPTH:
            raise exceptions.ParseError(
                _("The JSON is nested more than %(depth)s levels deep.") % {"depth": MAX_JSON_DEPTH}
            )
        data = super().parse(io.BytesIO(raw), media_type, parser_context)
        if _has_nul(data):
            raise exceptions.ParseError(_("Text may not contain NUL characters."))
        return data


def _depth(raw: bytes) -> int:
    """How deep arrays and objects nest in ``raw`` (JSON text), without parsing it: brackets inside
    strings do not count."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_JSON_DEPTH:
                return deepest
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return deepest


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False
