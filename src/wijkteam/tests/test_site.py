import os
import subprocess
import sys

import polib
import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from conftest import login

pytestmark = pytest.mark.django_db


def test_front_door_sends_to_login_then_my_work(client, world):
    assert client.get("/")["Location"] == reverse("accounts:login")
    assert login(world.worker).get("/")["Location"] == reverse("cases:my_work")


def test_login_page_is_dutch_and_uses_nl_design_system(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="nl"' in html
    assert "Inloggen" in html
    assert "vendor/utrecht-css/index.css" in html
    assert "utrecht-form-field" in html


def test_login_with_wrong_password_says_so_in_dutch(client, world):
    response = client.post(reverse("accounts:login"), {"username": world.worker.username, "password": "fout"})
    assert response.status_code == 200
    assert "niet juist" in response.content.decode()


def test_english_is_available(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en"' in html and "Sign in" in html


def test_pages_with_personal_data_are_not_cached(as_worker):
    response = as_worker.get(reverse("cases:my_work"))
    assert response["Cache-Control"] == "no-store, private"
    assert response["X-Frame-Options"] == "DENY"


def test_unknown_page_is_a_dutch_404(as_worker):
    response = as_worker.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Niet gevonden" in response.content.decode()


def test_health(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    if connection.vendor == "postgresql":
        # The suite connects as the server's superuser, which the health check reports.
        assert response.json()["status"] == "warning"
        assert any("superuser" in warning for warning in response.json()["warnings"])
    else:
        assert response.json() == {"status": "ok"}


def _catalogues():
    return sorted(settings.SRC_DIR.glob("*/locale/nl/LC_MESSAGES/django.po"))


def test_every_app_has_a_complete_dutch_catalogue():
    catalogues = _catalogues()
    apps_with_text = {p.parent.parent.parent.parent.name for p in catalogues}
    assert {"wijkteam", "accounts", "people", "cases", "contacts", "privacy"} <= apps_with_text
    for path in catalogues:
        po = polib.pofile(str(path))
        missing = [e.msgid for e in po if not e.translated() and not e.obsolete]
        assert not missing, f"{path}: untranslated {missing[:5]}"
        fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
        assert not fuzzy, f"{path}: fuzzy {fuzzy[:5]}"


@pytest.mark.parametrize(
    ("extra", "warning"),
    [({}, None), ({"WIJKTEAM_HSTS_SECONDS": "0"}, "security.W004")],  # the second shows the test can fail
)
def test_production_settings_pass_check_deploy(tmp_path, extra, warning):
    env = {
        **os.environ,
        "WIJKTEAM_ENV": "production",
        "WIJKTEAM_SECRET_KEY": "a-long-random-production-key-" + "x" * 40,
        "WIJKTEAM_FIELD_KEY": "ZmllbGQta2V5LWZvci10aGUtZGVwbG95LWNoZWNrLTMyYg==",
        "WIJKTEAM_BSN_HASH_KEY": "another-long-random-key-for-the-bsn-hash",
        "WIJKTEAM_ACCESS_LOG_KEY": "a-third-long-random-key-for-the-access-log-seals",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "WIJKTEAM_ALLOWED_HOSTS": "wijkteam.leeuwarden.example",
        "WIJKTEAM_REDIS_URL": "redis://127.0.0.1:6379/0",
        **extra,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if warning is None:
        assert result.returncode == 0, result.stdout + result.stderr
        assert "no issues" in result.stdout
    else:
        assert result.returncode != 0 and warning in result.stderr + result.stdout


def test_production_refuses_to_start_without_its_keys(tmp_path):
    env = {**os.environ, "WIJKTEAM_ENV": "production", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    env.pop("WIJKTEAM_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "WIJKTEAM_SECRET_KEY must be set" in result.stderr


def test_accessibility_statement_is_public_dutch_and_linked_from_every_page(client, settings):
    settings.WIJKTEAM = {**settings.WIJKTEAM, "ACCESSIBILITY_CONTACT": "toegankelijkheid@gemeente.example"}
    html = client.get(reverse("accessibility")).content.decode()
    assert "Toegankelijkheidsverklaring" in html
    assert "Nalevingsstatus" in html and "WCAG 2.1" in html
    assert "toegankelijkheid@gemeente.example" in html
    assert f'href="{reverse("accessibility")}"' in client.get(reverse("accounts:login")).content.decode()


def test_api_refuses_nul_characters_with_a_problem(world):
    from cases.factories import CaseFactory

    case = CaseFactory(team=world.team_a)
    response = login(world.worker).post(
        reverse("zrm_api:case-assessments", args=[case.pk]),
        '{"scores": [{"domain": "fin\\u0000ancien", "score": 2, "reason": "Schulden"}]}',
        content_type="application/json",
    )
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"


def test_choice_label_reads_the_label_in_the_active_language(world):
    """The list filter gives what get_FOO_display gives, in Dutch and in English, and the value
    itself for a value that is not a choice."""
    from django.utils import translation

    from cases.factories import CaseFactory
    from wijkteam.templatetags.components import choice_label

    case = CaseFactory(team=world.team_a, triage="ondersteuning")
    for language in ("nl", "en"):
        with translation.override(language):
            assert choice_label(case, "status") == case.get_status_display()
            assert choice_label(case, "triage") == case.get_triage_display()
    with translation.override("en"):
        assert choice_label(case, "status") == "Reported"
    case.status = "onbekend"
    assert choice_label(case, "status") == "onbekend"
