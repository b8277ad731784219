"""Bad input sent to every form and every API operation: never a server error (issue 18, item 9).

Nothing here is listed by hand, so a new page, form or endpoint is covered as soon as it exists:

- **Forms**: every page of the URL map (``test_url_roles.EXPECTED``, which the URL map must match)
  is requested by a role that may use it; every ``<form>`` on it is submitted as the page offers it
  (hidden fields, the chosen options), once with each kind of bad input in every field that takes
  it: a NUL character in text, dates at the edges of the calendar, numbers too large for any
  column, text far longer than any field.
- **Addresses**: every URL's parameters replaced by a number beyond any id and a text with a NUL.
- **API**: every operation of the committed OpenAPI schema, with the same kinds of input in every
  parameter and body property it documents, and a body nested 100,000 deep.

The answer must be a 4xx (an API error an RFC 9457 problem), or a page that shows the errors; a
text with a NUL is always a 400. Each request runs in a transaction that is rolled back, as in
``test_url_roles``, so no request changes what the next one sees.
"""

import json
import logging
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import yaml
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from wijkteam.tests.test_url_roles import EXPECTED, ROLES, clients, parse, subjects, url_kwargs

pytestmark = pytest.mark.django_db

NUL = "Jan\x00sen"
HUGE = "9" * 25
BAD_INPUT = {
    "nul": {"text": NUL},
    "first day": {"date": "0001-01-01"},
    "last day": {"date": "9999-12-31"},
    "huge number": {"number": HUGE, "date": HUGE},
    "negative number": {"number": "-" + HUGE},
    "long text": {"text": "a" * 100_000},
}
ALLOWED = {200, 400, 403, 404, 405, 409, 413, 415, 429}  # a page with its errors, or a refusal
NEVER_AN_ID = 2**63  # beyond every primary key column (bigint)


# --- the forms on the pages -------------------------------------------------------------------------


@dataclass
class Form:
    page: str
    role: str
    method: str
    action: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (name, kind, value)

    def key(self) -> tuple:
        return (self.method, self.action, tuple(sorted({name for name, _k, _v in self.fields})))


class Forms(HTMLParser):
    """The forms of a page with their fields as the browser would send them (unchanged)."""

    def __init__(self, page: str, role: str) -> None:
        super().__init__()
        self.page, self.role = page, role
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: tuple[str, list[str], list[str]] | None = None  # name, options, selected
        self.textarea: list | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            action = a.get("action") or self.page
            self.form = Form(self.page, self.role, (a.get("method") or "get").upper(), urlsplit(action).path)
            self.forms.append(self.form)
        elif self.form is None or "name" not in a:
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a and kind == "checkbox":
                return
            if kind == "radio" and any(name == a["name"] for name, _k, _v in self.form.fields):
                return  # the first of a group
            value = a.get("value", "on" if kind == "checkbox" else "")
            self.form.fields.append((a["name"], self._kind(kind, a["name"]), value))
        elif tag == "button" and a.get("value") is not None:
            self.form.fields.append((a["name"], "hidden", a["value"]))
        elif tag == "select":
            self.select = (a["name"], [], [])
        elif tag == "option" and self.select is not None:
            self.select[1].append(a.get("value", ""))
            if "selected" in a:
                self.select[2].append(a.get("value", ""))
        elif tag == "textarea":
            self.textarea = [a["name"], ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select" and self.select is not None and self.form is not None:
            name, options, selected = self.select
            chosen = selected or [next((o for o in options if o), "")]
            self.form.fields.extend((name, "choice", value) for value in chosen)
            self.select = None
        elif tag == "textarea" and self.textarea is not None and self.form is not None:
            self.form.fields.append((self.textarea[0], "text", self.textarea[1]))
            self.textarea = None

    @staticmethod
    def _kind(kind: str, name: str) -> str:
        if kind == "date" or name.endswith(("_on", "_date", "date")):
            return "date"
        if kind == "number":
            return "number"
        if kind in {"text", "search", "email", "tel", "password", "url"}:
            return "text"
        return kind  # hidden, checkbox, radio, file: kept as the page has them


def _send(client: Client, method: str, url: str, data=None, *, content_type: str = "", query: str = ""):
    """One request in a transaction that is rolled back, the client's cookies put back after it."""
    cookies = client.cookies
    client.cookies = cookies.__class__(cookies)
    try:
        with transaction.atomic():
            if content_type or query:
                response = client.generic(method, url, data or "", content_type, QUERY_STRING=query)
            elif method == "GET":
                response = client.get(url, data or {})
            else:
                response = client.post(url, data or {})
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    return response


def _empty(client: Client, method: str, url: str):
    """The request as ``test_url_roles`` sends it: a GET, or an empty form (``{}`` to the API)."""
    if method != "GET" and url.startswith("/api/"):
        return _send(client, method, url, "{}", content_type="application/json")
    return _send(client, method, url)


def _may_use(row, method: str) -> str | None:
    """A role that the table lets use the URL (its page, or its form posted empty)."""
    for role in ROLES:
        if role not in {"anon", "key"} and row.expected[role] in ({"200"} if method == "GET" else {"400", "302"}):
            return role
    return None


@pytest.fixture
def everything(world, settings, tmp_path, caplog):
    settings.MEDIA_ROOT = tmp_path
    caplog.set_level(logging.CRITICAL, logger="django.request")
    caplog.set_level(logging.CRITICAL, logger="django.security")
    s = subjects(world)
    return url_kwargs(world, s), clients(world, s), parse(EXPECTED)


def test_every_form_refuses_bad_input_without_a_server_error(everything):
    kwargs, callers, table = everything
    forms: dict[tuple, Form] = {}
    for (name, method), row in table.items():
        role = _may_use(row, "GET")
        if method != "GET" or role is None or name.startswith(("admin:", "api-", "accounts:sso")):
            continue
        url = reverse(name, kwargs=kwargs.get(name))
        response = _send(callers[role], "GET", url)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        parser = Forms(url, role)
        parser.feed(response.content.decode())
        for form in parser.forms:
            if form.action.startswith(("/account/logout", "/i18n/")) or not form.fields:
                continue
            forms.setdefault(form.key(), form)
    assert len(forms) > 40, "the pages were read: " + ", ".join(f.action for f in forms.values())
    problems = []
    for form in forms.values():
        for bad, values in BAD_INPUT.items():
            data, changed = [], False
            for name, kind, value in form.fields:
                if kind in values:
                    data.append((name, values[kind]))
                    changed = True
                else:
                    data.append((name, value))
            if not changed:
                continue
            problem = _send_form(callers[form.role], form, data, bad)
            if problem:
                problems.append(problem)
    assert not problems, f"{len(problems)} forms answered bad input wrongly:\n" + "\n".join(problems)


def _send_form(client: Client, form: Form, data: list[tuple[str, str]], bad: str) -> str:
    payload: dict[str, list[str]] = {}
    for name, value in data:
        payload.setdefault(name, []).append(value)
    try:
        response = _send(client, form.method, form.action, payload)
    except Exception as error:  # a server error: reported with the rest
        return f"{form.method} {form.action} (from {form.page} as {form.role}) with {bad}: 500 {error!r}"
    status = response.status_code
    if bad == "nul" and status != 400:
        return f"{form.method} {form.action} with a NUL: {status}, not 400"
    if status not in ALLOWED and not (status == 302 and bad in {"long text", "negative number", "huge number"}):
        return f"{form.method} {form.action} (from {form.page} as {form.role}) with {bad}: {status}"
    if bad in {"first day", "last day"} and status not in {200, 400}:
        return f"{form.method} {form.action} with a date of {bad}: {status}, accepted"
    return ""


def test_every_address_refuses_impossible_parameters(everything):
    """A number beyond any id is a 404, a text with a NUL a 400; never a server error."""
    kwargs, callers, table = everything
    problems = []
    for (name, method), row in table.items():
        role = _may_use(row, method) or ("key" if row.expected["key"] in {"200", "400"} else None)
        if name.startswith("portal:"):
            role = "res"  # the resident's own pages: staff are sent to the DigiD sign-in, a resident uses them
        if role is None or not kwargs.get(name):
            continue
        for param, value in kwargs[name].items():
            for bad, expected in ((NEVER_AN_ID, {404}), (NUL, {400})):
                if isinstance(value, int) and bad == NUL:
                    continue  # an int converter does not match a text: the URL does not exist
                changed = {**kwargs[name], param: bad if isinstance(value, int) else str(bad)}
                try:
                    url = reverse(name, kwargs=changed)
                except NoReverseMatch:  # a converter that refuses the value: no such URL
                    continue
                try:
                    response = _empty(callers[role], method, url)
                except Exception as error:  # a server error: reported with the rest
                    problems.append(f"{method} {url} as {role}: 500 {error!r}")
                    continue
                if response.status_code not in expected:
                    problems.append(f"{method} {url} as {role}: {response.status_code}, not {expected}")
    assert not problems, "\n".join(problems)


# --- the API, from its OpenAPI schema ------------------------------------------------------------------


def _schema() -> dict:
    return yaml.safe_load((settings.BASE_DIR / "docs" / "api" / "openapi.yaml").read_text(encoding="utf-8"))


def _component(schema: dict, node: dict) -> dict:
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return _component(schema, schema["components"]["schemas"][name])
    if "allOf" in node:
        merged: dict = {"properties": {}}
        for part in node["allOf"]:
            merged["properties"].update(_component(schema, part).get("properties", {}))
        return merged
    return node


def _bad_values(schema: dict, prop: dict) -> list[object]:
    prop = _component(schema, prop)
    kind, fmt = prop.get("type"), prop.get("format")
    if kind == "string" and fmt == "date":
        return ["0001-01-01", "9999-12-31"]
    if kind == "string" and fmt == "decimal":
        return ["9" * 30, "-" + "9" * 30]
    if kind == "integer":
        return [10**30, -(10**30)]
    if kind == "number":
        return [1e308, -1e308]
    if kind == "array":
        return [[[[[NUL]]]], [NUL] * 3]
    if kind == "boolean":
        return [NUL]
    return [NUL, "a" * 100_000]


def _operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method.upper(), operation


def test_every_api_operation_refuses_bad_input_with_a_problem(everything):
    kwargs, callers, table = everything
    schema = _schema()
    problems, sent = [], 0
    for path, method, operation in _operations(schema):
        concrete = _fill(path, kwargs)
        try:
            match = resolve(concrete)
        except Resolver404:
            problems.append(f"{method} {path}: the schema names a path the URL map does not have")
            continue
        name = f"{':'.join(match.namespaces)}:{match.url_name}"
        row = table.get((name, method)) or table.get((name, "GET"))
        role = _may_use(row, method) or "key"
        client = callers[role]
        requests = []
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query":
                for value in _bad_values(schema, parameter.get("schema", {})):
                    requests.append(("query", {parameter["name"]: value}))
        body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
        if body is not None:
            properties = _component(schema, body).get("properties", {})
            for prop_name, prop in properties.items():
                for value in _bad_values(schema, prop):
                    requests.append(("body", json.dumps({prop_name: value})))
            requests.append(("body", "[" * 100_000))
            requests.append(("body", "{" + '"a":' * 50 + "1" + "}" * 50))
        for where, payload in requests:
            sent += 1
            problem = _send_api(client, method, concrete, where, payload, role)
            if problem:
                problems.append(problem)
    assert sent > 100
    assert not problems, f"{len(problems)} API answers were wrong:\n" + "\n".join(problems)


def _fill(path: str, kwargs: dict) -> str:
    """The schema's path with real ids from the world (any one that the URL map names)."""
    values = {key: value for named in kwargs.values() for key, value in named.items()}
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), values.get("pk", 1))), path)


def _send_api(client: Client, method: str, url: str, where: str, payload, role: str) -> str:
    try:
        if where == "query":
            response = _send(client, method, url, query=_query(payload))
        else:
            response = _send(client, method, url, payload, content_type="application/json")
    except Exception as error:  # a server error: reported with the rest
        return f"{method} {url} as {role} with {where} {str(payload)[:80]!r}: 500 {error!r}"
    status = response.status_code
    if status >= 500 or (status >= 400 and response["Content-Type"] != "application/problem+json"):
        return f"{method} {url} as {role} with {where} {str(payload)[:80]!r}: {status} {response['Content-Type']}"
    if where == "query" and NUL in str(payload) and status != 400:
        return f"{method} {url} with a NUL in the query: {status}"
    return ""


def _query(params: dict) -> str:
    from urllib.parse import urlencode

    return urlencode({key: value if isinstance(value, str) else json.dumps(value) for key, value in params.items()})
