"""``manage.py check --deploy`` refuses what settings.py says it refuses: the public development
keys, the demo mode, a key used for two things, a cache per process, and a database role that can
empty the access log."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection

from wijkteam.checks import check_database_role, check_keys_and_modes, check_shared_cache


@pytest.fixture
def production(settings):
    """Keys as an installation sets them: each its own."""
    settings.SECRET_KEY = "s" * 50
    settings.SECRET_KEY_FALLBACKS = []
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    settings.BSN_HASH_KEY = "b" * 50
    settings.ACCESS_LOG_KEY = "a" * 50
    settings.DEMO_MODE = False
    return settings


def _ids(problems) -> set[str]:
    return {problem.id for problem in problems}


def test_own_keys_without_demo_pass(production):
    assert check_keys_and_modes(None) == []
    assert check_shared_cache(None) == []


def test_the_public_development_field_key_is_refused(production):
    production.FIELD_ENCRYPTION_KEYS = [production._DEV_FIELD_KEY]
    assert _ids(check_keys_and_modes(None)) == {"wijkteam.E008"}
    # Also when it is only kept for decrypting, behind a new key.
    production.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), production._DEV_FIELD_KEY]
    assert _ids(check_keys_and_modes(None)) == {"wijkteam.E008"}


def test_demo_mode_is_refused(production):
    production.DEMO_MODE = True
    assert _ids(check_keys_and_modes(None)) == {"wijkteam.E009"}


def test_a_bsn_hash_key_equal_to_the_secret_key_is_refused(production):
    production.BSN_HASH_KEY = production.SECRET_KEY
    assert _ids(check_keys_and_modes(None)) == {"wijkteam.E010"}
    production.BSN_HASH_KEY = "old-secret-key-" * 4
    production.SECRET_KEY_FALLBACKS = [production.BSN_HASH_KEY]
    assert _ids(check_keys_and_modes(None)) == {"wijkteam.E010"}


def test_the_access_log_key_is_its_own(production):
    production.ACCESS_LOG_KEY = production._DEV_ACCESS_LOG_KEY
    assert _ids(check_keys_and_modes(None)) == {"wijkteam.E011"}
    production.ACCESS_LOG_KEY = production.BSN_HASH_KEY
    assert _ids(check_keys_and_modes(None)) == {"wijkteam.E011"}


@pytest.mark.parametrize(
    "backend", ["django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache"]
)
def test_a_cache_per_process_is_refused(production, backend):
    shared = production.CACHES
    production.CACHES = {"default": {"BACKEND": backend}}
    try:
        assert _ids(check_shared_cache(None)) == {"wijkteam.E012"}
    finally:
        production.CACHES = shared  # the suite's own cache clean-up runs after this test


@pytest.mark.django_db
def test_check_deploy_fails_on_them(production):
    production.DEMO_MODE = True
    with pytest.raises(SystemCheckError, match=r"wijkteam\.E009"):
        call_command("check", deploy=True, tags=["security"])


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="roles are PostgreSQL's")
def test_connecting_as_a_superuser_or_the_owner_is_refused():
    # The test suite connects as the server's superuser, which also owns the test database's tables.
    problems = check_database_role(None)
    assert _ids(problems) == {"wijkteam.E013"}
    assert any("superuser" in problem.msg for problem in problems)
    assert any("owns tables" in problem.msg for problem in problems)
