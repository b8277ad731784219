"""What must hold across application processes holds across two real servers: gunicorn twice, on
two ports, against one database and the shared Redis, as two workers behind a proxy are.

- the self-referral rate limit counts the posts of both (the cache is shared: with a cache per
  process each would let five through);
- the sign-in lockout counts the wrong passwords of both;
- signing out in one ends the session in the other (sessions are kept in the database with the
  shared cache in front: with a cache per process the other would go on from its own copy).

PostgreSQL only: the SQLite test database lives in the test process's memory, out of the servers'
reach."""

import os
import re
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.cache import cache
from django.db import connection
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.factories import UserFactory
from accounts.models import Role
from e2e.clock import env_at_our_moment
from intake.models import Referral
from intake.tests.test_self_referral import FORM as SELF_REFERRAL
from intake.views import SELF_REFERRAL_LIMIT

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the servers need a database they can reach"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "een-lang-wachtwoord-42"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def servers(django_db_setup, tmp_path_factory):
    """Two gunicorn processes of one worker each, on the test database and the shared Redis, under
    a cache prefix of their own (removed afterwards)."""
    db = connection.settings_dict
    prefix = f"{settings.CACHE_KEY_PREFIX}-servers"
    env = {
        **os.environ,
        "WIJKTEAM_ENV": "development",  # its own cache prefix as given, unlike "test"
        "WIJKTEAM_DEBUG": "false",
        "WIJKTEAM_DEMO": "false",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "WIJKTEAM_REDIS_URL": settings.REDIS_URL,
        "WIJKTEAM_CACHE_PREFIX": prefix,
    }
    env.pop("WIJKTEAM_TEST_DB_NAME", None)
    logs = tmp_path_factory.mktemp("servers")
    started = []
    for name in ("a", "b"):
        port = _free_port()
        process = subprocess.Popen(  # noqa: S603 - our own server, arguments built here
            [
                *(sys.executable, "-m", "e2e.clock", "gunicorn"),  # on the run's clock, if it has a fixed one
                *("wijkteam.wsgi", "--chdir", str(settings.SRC_DIR), "--bind", f"127.0.0.1:{port}"),
                *("--workers", "1", "--log-level", "warning"),
            ],
            env=env_at_our_moment(env),
            stdout=(logs / f"{name}.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        started.append((process, f"http://127.0.0.1:{port}"))
    try:
        for process, url in started:
            _wait_until_up(process, url)
        yield [url for _process, url in started]
    finally:
        for process, _url in started:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)


def _wait_until_up(process: subprocess.Popen, url: str) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError(f"the server on {url} stopped with exit code {process.returncode}")
        try:
            requests.get(f"{url}/healthz", timeout=10)
            return
        except requests.ConnectionError:  # not listening yet
            time.sleep(0.1)
    raise RuntimeError(f"the server on {url} did not answer")


def _post(browser: requests.Session, url: str, data: dict) -> requests.Response:
    """A form posted as a browser does: the page first, for its CSRF token."""
    page = browser.get(url, timeout=30)
    token = TOKEN.search(page.text)
    assert token, f"no form on {url} ({page.status_code})"
    return browser.post(url, {**data, "csrfmiddlewaretoken": token.group(1)}, allow_redirects=False, timeout=30)


@pytest.fixture
def professional(world):
    user = UserFactory(role=Role.SOCIAL_WORKER, municipality=world.municipality, teams=[world.team_a])
    # A hash the servers check quickly (their own hashers, few iterations: the hash carries its count).
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "saltsaltsalt", iterations=1000)
    user.save()
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return user


def test_the_self_referral_limit_holds_over_both_servers(servers, world):
    browser = requests.Session()
    answers = [
        _post(browser, f"{servers[number % 2]}/hulp-vragen/", SELF_REFERRAL).status_code
        for number in range(SELF_REFERRAL_LIMIT + 1)
    ]
    assert answers == [302] * SELF_REFERRAL_LIMIT + [429]
    assert Referral.objects.count() == SELF_REFERRAL_LIMIT


def test_the_sign_in_lockout_holds_over_both_servers(servers, professional):
    for number in range(5):
        wrong = _post(
            requests.Session(),
            f"{servers[number % 2]}/account/login/",
            {"username": professional.username, "password": "wrong-password-123"},
        )
        assert wrong.status_code == (429 if number == 4 else 200)
    for url in servers:
        right = _post(
            requests.Session(), f"{url}/account/login/", {"username": professional.username, "password": PASSWORD}
        )
        assert right.status_code == 429


def test_signing_out_in_one_server_ends_the_session_in_the_other(servers, professional):
    first, second = servers
    browser = requests.Session()
    signed_in = _post(browser, f"{first}/account/login/", {"username": professional.username, "password": PASSWORD})
    assert signed_in.status_code == 302
    device = TOTPDevice.objects.get(user=professional)
    code = _post(browser, f"{first}/account/tweede-stap/", {"code": f"{totp(device.bin_key):06d}"})
    assert code.status_code == 302
    assert browser.get(f"{second}/mijn-werk/", allow_redirects=False, timeout=30).status_code == 200
    session = browser.cookies["sessionid"]
    token = TOKEN.search(browser.get(f"{first}/mijn-werk/", timeout=30).text).group(1)  # the sign-out form's
    out = browser.post(f"{first}/account/logout/", {"csrfmiddlewaretoken": token}, allow_redirects=False, timeout=30)
    assert out.status_code == 302 and "sessionid" not in browser.cookies
    # The browser forgets the cookie; a copy of it (another tab's request in flight, or taken) must
    # not work in the other server either.
    after = requests.get(f"{second}/mijn-werk/", cookies={"sessionid": session}, allow_redirects=False, timeout=30)
    assert after.status_code == 302 and after.headers["Location"].startswith("/account/login/")
