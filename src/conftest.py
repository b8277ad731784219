"""Shared test fixtures: a small world of two teams in two districts, with users per role."""

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client

from accounts.factories import UserFactory
from accounts.models import Role
from areas.factories import AreaFactory, MunicipalityFactory
from teams.factories import TeamFactory


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
