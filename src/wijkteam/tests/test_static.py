"""Static files as production serves them: hashed names from ``collectstatic``'s manifest.

The full production storage also compresses every file (CompressedManifestStaticFilesStorage, about
twenty seconds); `make check-production` runs that one. Here Django's manifest storage does the part
that failed: it follows every ``url()`` of every collected stylesheet and refuses one that names a
missing file, after which every page that links a stylesheet answers 500.
"""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def manifest(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


def test_collectstatic_with_hashed_names_and_pages_link_the_hashed_files(manifest, client):
    html = client.get(reverse("accounts:login")).content.decode()
    links = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert any(re.search(r"vendor/utrecht-tokens/index\.[0-9a-f]{12}\.css$", link) for link in links)
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        b"".join(response.streaming_content)


def test_only_the_files_the_pages_use_are_published_from_npm_packages():
    assert finders.find("vendor/utrecht-tokens/index.css")
    assert finders.find("vendor/leaflet/images/marker-icon.png")
    # In the package, but not ours to serve: it names SVG files that the package does not ship.
    assert not finders.find("vendor/utrecht-tokens/background-image-icon.css")
    assert not finders.find("vendor/htmx/htmx.js")


def test_the_favicon_is_at_the_root_for_everyone(client):
    """Browsers ask every page's /favicon.ico; it was a 404 in every server log."""
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
