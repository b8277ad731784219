"""Shared test fixtures: a small world of two teams in two districts, with users per role."""

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client

from accounts.factories import UserFactory
from accounts.models import Role
from areas.factories import AreaFactory, MunicipalityFactory
from teams.factories import TeamFactory

_CLOCK = pytest.StashKey()


def pytest_configure(config):
    """WIJKTEAM_TEST_NOW: the whole run at a fixed moment (e2e/clock.py; `make test` uses one)."""
    from e2e.clock import start_from_env

    moment = start_from_env()
    if moment is not None:
        config.stash[_CLOCK] = moment


def pytest_report_header(config):
    moment = config.stash.get(_CLOCK, None)
    return f"fixed clock: the run starts at {moment.isoformat()} (WIJKTEAM_TEST_NOW)" if moment else None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A test that commits (``django_db(transaction=True, serialized_rollback=True)``) ends with the
    database flushed, the rows the migrations seed (legal frameworks, life domains, ...) included.
    The suites run in parallel, a file per worker, so a later file on the same worker may expect them:
    once the flush is done, they are put back as Django does at the start of such a test."""
    result = yield
    marker = item.get_closest_marker("django_db")
    if nextitem is not None and marker and marker.kwargs.get("transaction"):  # (the last test: none follows)
        from django.db import connections
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            for connection in connections.all():
                contents = getattr(connection, "_test_serialized_contents", None)
                if contents:
                    connection.creation.deserialize_db_from_string(contents)
    return result


def pytest_sessionstart(session):
    """The suite runs against the real Redis (the shared cache): say so clearly when it is not there."""
    if not django_settings.REDIS_URL:
        return
    try:
        cache._cache.get_client(write=True).ping()
    except Exception as error:
        pytest.exit(
            f"Redis is not reachable at {django_settings.REDIS_URL} ({error}). The tests use the real server: "
            "start it (redis-server --daemonize yes --port 6379) or set WIJKTEAM_REDIS_URL.",
            returncode=3,
        )


@pytest.fixture(scope="session")
def issuer():
    """The real OpenID Connect provider (accounts/tests/oidc_provider), started once per run: its
    issuer URL. Used by the single sign-on tests and the portal's DigiD tests."""
    from accounts.tests.provider import running_provider

    yield from running_provider()


@pytest.fixture(autouse=True)
def _own_cache_keys():
    """Every test starts with none of this process's cache keys (rate limits, sessions, caches); keys
    of other test processes sharing the server are left alone."""
    yield
    if django_settings.REDIS_URL:
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{django_settings.CACHE_KEY_PREFIX}:*", count=1000))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Fast hashing for new passwords; the default hasher still verifies the demo users' passwords.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "accounts.hashers.Argon2idHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture
def municipality(db):
    return MunicipalityFactory()


@pytest.fixture
def world(municipality):
    """Team A serves district A, team B serves district B; a worker and a leader in A, a worker in B."""

    class World:
        pass

    w = World()
    w.municipality = municipality
    w.area_a = AreaFactory(municipality=municipality, name="Huizum-West", cbs_code="WK008040")
    w.area_b = AreaFactory(municipality=municipality, name="Goutum", cbs_code="WK008071")
    w.team_a = TeamFactory(municipality=municipality, name="Wijkteam Nijlân & Huizum", areas=[w.area_a])
    w.team_b = TeamFactory(municipality=municipality, name="Wijkteam Zuidwest", areas=[w.area_b])
    w.worker = UserFactory(role=Role.SOCIAL_WORKER, municipality=municipality, teams=[w.team_a])
    w.colleague = UserFactory(role=Role.SOCIAL_WORKER, municipality=municipality, teams=[w.team_a])
    w.leader = UserFactory(role=Role.TEAM_LEADER, municipality=municipality, teams=[w.team_a], leads=True)
    w.outsider = UserFactory(role=Role.SOCIAL_WORKER, municipality=municipality, teams=[w.team_b])
    w.policy = UserFactory(role=Role.POLICY_OFFICER, municipality=municipality)
    return w


def login(user) -> Client:
    """A client signed in with both steps: the password and a confirmed TOTP device."""
    from accounts.twofactor import verified_session

    client = Client()
    client.force_login(user)
    session = client.session
    session.update(verified_session(user))
    session.save()
    return client


@pytest.fixture
def as_worker(world) -> Client:
    return login(world.worker)


@pytest.fixture
def as_outsider(world) -> Client:
    return login(world.outsider)


@pytest.fixture(scope="session")
def local_brp():
    """The local BRP (``people.brp.service``) on a free port of 127.0.0.1, for the whole run."""
    from people.brp import service

    server, url = service.start(port=0, api_key="test-key")
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture
def brp(settings, local_brp):
    """The application's BRP is the local one."""
    settings.BRP = {**settings.BRP, "URL": local_brp, "API_KEY": "test-key", "TIMEOUT": 5}
    return local_brp
