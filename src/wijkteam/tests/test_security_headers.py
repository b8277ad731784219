"""A strict Content-Security-Policy and a Permissions-Policy on every response, templates with no
inline script or style to need anything looser, and ``check --deploy`` that watches the policy."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from conftest import login
from wijkteam.checks import check_content_security_policy

pytestmark = pytest.mark.django_db


def _policy(response) -> dict[str, list[str]]:
    directives = (part.split() for part in response["Content-Security-Policy"].split(";"))
    return {name: sources for name, *sources in directives}


@pytest.mark.parametrize(
    "path", ["/account/login/", "/static/wijkteam/wijkteam.css", "/bestaat-niet/", "/healthz", "/api/v1/cases/"]
)
def test_every_response_carries_the_strict_policy(client, path):
    response = client.get(path)
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert "unsafe" not in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_signed_in_pages_and_the_api_documentation_too(world):
    client = login(world.worker)
    for path in (reverse("cases:my_work"), reverse("accounts:password_change"), reverse("api-docs")):
        assert _policy(client.get(path))["script-src"] == ["'self'"], path
    # The API documentation's start script is a file of its own, not an inline script.
    html = client.get(reverse("api-docs")).content.decode()
    assert not re.search(r"<script>", html) and "<style" not in html
    assert client.get(reverse("api-docs") + "?script=")["Content-Type"].startswith("application/javascript")


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=|\son[a-z]+=|javascript:", re.IGNORECASE)


def test_no_template_has_an_inline_script_or_style():
    """What the policy blocks must not be in a page. PDF templates are rendered by WeasyPrint on the
    server, never by a browser, and may keep their <style>."""
    offenders = []
    for path in sorted(settings.SRC_DIR.glob("*/templates/**/*.html")):
        text = path.read_text(encoding="utf-8")
        if path.name == "pdf_base.html" or "wijkteam/pdf_base.html" in text:
            continue
        if INLINE_SCRIPT.search(text) or INLINE_STYLE.search(text):
            offenders.append(str(path.relative_to(settings.SRC_DIR)))
    assert not offenders


def test_check_deploy_warns_about_a_loose_policy(settings):
    assert check_content_security_policy(None) == []
    settings.CONTENT_SECURITY_POLICY = {
        **settings.CONTENT_SECURITY_POLICY,
        "script-src": ["'self'", "'unsafe-inline'"],
    }
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("SecurityHeadersMiddleware")]
    assert {w.id for w in check_content_security_policy(None)} == {"wijkteam.W001", "wijkteam.W003"}
