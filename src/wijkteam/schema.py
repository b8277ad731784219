"""The OpenAPI schema documents every error an operation can answer, as an RFC 9457 problem
(``application/problem+json``, the component ``Problem``), so that clients know them and
schemathesis checks them (``wijkteam/tests/test_api_schemathesis.py``).

Every operation can answer 400 (bad input: a NUL character, a parameter that is not one), 403 (the
role has no use for it; without a session) and 404 (no reason to know the record exists, or a page
beyond the last). Operations with a request body can answer 413 (too large) and 415 (not JSON);
operations whose authentication asks for credentials (the partner key) 401; operations with a
throttle 429 with Retry-After. A view that can answer more (409 for a conflict) says so in
``problem_statuses``.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent

PROBLEM = {
    "type": "object",
    "description": "An RFC 9457 problem: type, title and status always; detail and instance when known; "
    "invalid_params per field for invalid input.",
    "properties": {
        "type": {"type": "string", "description": "about:blank: the title is the HTTP reason"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {"type": "string", "description": "The path of the request"},
        "invalid_params": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "reason": {"type": "string"}},
                "required": ["name", "reason"],
            },
        },
    },
    "required": ["type", "title", "status"],
}

DESCRIPTIONS = {
    400: _("Invalid input: the problem names each field with its reason (invalid_params)."),
    401: _("No valid key: give it as Authorization: Token <key>."),
    403: _("Not allowed: not signed in, or the role has no use for this."),
    404: _("Not found, or no reason to know it exists."),
    409: _("Conflict with the current state: read it again and retry."),
    413: _("The request is too large."),
    415: _("The body is not JSON."),
    429: _("Too many requests: wait the number of seconds in Retry-After."),
    503: _("A service this needs (the BRP) does not answer now: try again later, or send the data yourself."),
}


class AutoSchema(openapi.AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        component = ResolvedComponent(name="Problem", type=ResolvedComponent.SCHEMA, object="Problem", schema=PROBLEM)
        self.registry.register_on_missing(component)
        for status in self.problem_statuses():
            response = {
                "description": DESCRIPTIONS[status],
                "content": {"application/problem+json": {"schema": component.ref}},
            }
            if status == 429:
                response["headers"] = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds"}}
            responses.setdefault(str(status), response)
        return responses

    def problem_statuses(self) -> list[int]:
        view = self.view
        statuses = {400, 403, 404, *getattr(view, "problem_statuses", ())}
        if view.get_authenticate_header(view.request):
            statuses.add(401)
        if self.method in {"POST", "PUT", "PATCH"}:
            statuses |= {413, 415}
        if view.get_throttles():
            statuses.add(429)
        return sorted(statuses)
