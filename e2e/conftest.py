"""The end-to-end set-up: a live Wijkteam with the demo municipality, and Debian's Chromium.

Once per run: a fresh SQLite database in a temporary folder, ``migrate`` and ``load_demo`` (the
same story as ``make demo``), then gunicorn on a free loopback port with DEBUG off, as in
production. Each test gets a new browser context (no cookies from another test) and a
:class:`~e2e.journey.Journey` around its page. ``make e2e`` runs this; see docs/usability.md.
"""

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from .clock import env_at_our_moment, start_from_env
from .journey import ARTIFACTS, AXE_SOURCE, DEMO_PASSWORD, ROOT, Journey, Report

CHROMIUM = os.environ.get("WIJKTEAM_E2E_CHROMIUM", "/usr/bin/chromium")
VENV_BIN = ROOT / ".venv" / "bin"
REPORT = Report()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, server: subprocess.Popen) -> None:
    for _ in range(200):
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped with exit code {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1):  # noqa: S310 - a loopback http URL we built
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the server did not answer on {url}")


# How to run manage.py against the live server's database (set by ``live_server_url``).
DEMO: dict = {}

SET_DEMO_LOGIN_SCRIPT = """
from accounts.models import User
user = User.objects.get(username={username!r})
user.set_password({password!r})
user.save(update_fields=["password"])
"""


@pytest.fixture
def restore_demo_password(live_server_url):
    """A journey that changes a demo account's password calls this with the username; afterwards the
    demo password is put back, as the other journeys sign in with it. (Through the page Django's
    validators rightly refuse the demo password: it looks too much like the e-mail address.)"""
    changed: list[str] = []
    yield changed.append
    for username in changed:
        script = SET_DEMO_LOGIN_SCRIPT.format(username=username, password=DEMO_PASSWORD)
        subprocess.run([*DEMO["manage"], "shell", "-c", script], env=env_at_our_moment(DEMO["env"]), check=True)  # noqa: S603


@pytest.fixture(scope="session")
def live_server_url(tmp_path_factory) -> str:
    folder: Path = tmp_path_factory.mktemp("e2e-db")
    env = {
        **os.environ,
        "WIJKTEAM_ENV": "test",
        "WIJKTEAM_DEBUG": "false",
        "WIJKTEAM_DEMO": "true",
        "DATABASE_URL": f"sqlite:///{folder / 'e2e.sqlite3'}",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    }
    # Under the run's fixed clock when WIJKTEAM_TEST_NOW is set (e2e/clock.py), like this process.
    clocked = [str(VENV_BIN / "python"), "-m", "e2e.clock"]
    manage = [*clocked, str(ROOT / "manage.py")]
    DEMO.update(env=env, manage=manage)
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], env=env_at_our_moment(env), check=True)  # noqa: S603
    subprocess.run(  # noqa: S603
        [*manage, "load_demo", "--quiet-logins"], env=env_at_our_moment(env), check=True, stdout=subprocess.DEVNULL
    )
    ARTIFACTS.mkdir(exist_ok=True)
    # The demo's BRP: the local service that answers per the Haal Centraal BRP API from RvIG's test persons.
    brp_port = _free_port()
    brp = subprocess.Popen(  # noqa: S603
        [str(VENV_BIN / "python"), str(ROOT / "src" / "people" / "brp" / "service.py"), "--port", str(brp_port)],
        stdout=subprocess.DEVNULL,
    )
    env["WIJKTEAM_BRP_URL"] = f"http://127.0.0.1:{brp_port}/haalcentraal/api/brp/personen"
    port = _free_port()
    # DigiD for Mijn Wijkteam: the tests' OpenID provider plays the broker (its login page asks for
    # a BSN and the level); it sends the browser back to this server's callback.
    provider = subprocess.Popen(  # noqa: S603
        [shutil.which("node") or "node", str(ROOT / "src" / "accounts" / "tests" / "oidc_provider" / "provider.mjs")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env_at_our_moment(
            {**os.environ, "WIJKTEAM_OIDC_PORTAL_REDIRECT_URIS": f"http://127.0.0.1:{port}/mijn/inloggen/terug/"}
        ),
    )
    env["WIJKTEAM_DIGID_ISSUER"] = provider.stdout.readline().strip()
    env["WIJKTEAM_DIGID_CLIENT_ID"] = "mijn-wijkteam"
    env["WIJKTEAM_DIGID_CLIENT_SECRET"] = "mijn-wijkteam-test-secret"  # noqa: S105 (the test provider's)
    log = (ARTIFACTS / "server.log").open("w", encoding="utf-8")
    server = subprocess.Popen(  # noqa: S603
        [
            *clocked,
            "gunicorn",
            "wijkteam.wsgi",
            "--chdir",
            str(ROOT / "src"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        env=env_at_our_moment(env),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{url}/healthz", server)
        yield url
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        brp.terminate()
        brp.wait(timeout=10)
        provider.stdin.close()  # the provider stops when its input closes
        provider.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make e2e` installs it (apt-get install chromium).")
    if not AXE_SOURCE.exists():
        pytest.fail(f"{AXE_SOURCE} is missing: run `make install` (npm ci) first.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--disable-background-networking", "--disable-component-update", "--no-first-run", "--lang=nl-NL"],
            # Date fields take their order from the process's locale, not from --lang or the
            # context's locale: without these a Dutch user's dd-mm-jjjj showed as mm/dd/yyyy.
            env={**os.environ, "LANG": "nl_NL.UTF-8", "LANGUAGE": "nl", "LC_ALL": "nl_NL.UTF-8"},
        )
        yield browser
        browser.close()


@pytest.fixture
def new_journey(browser, live_server_url, request):
    """``new_journey("name")``: a person in a fresh browser context; several per test are fine."""
    contexts, journeys = [], []

    def make(name: str | None = None, **context_options) -> Journey:
        options = {"locale": "nl-NL", "viewport": {"width": 1280, "height": 900}, **context_options}
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        label = name or request.node.name.removeprefix("test_")
        journeys.append(Journey(context.new_page(), base_url=live_server_url, name=label, report=REPORT))
        return journeys[-1]

    yield make
    try:
        for journey in journeys:
            journey.check_security_policy()
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def journey(new_journey) -> Journey:
    return new_journey()


def pytest_configure(config):
    start_from_env()


def pytest_sessionfinish(session, exitstatus):
    if REPORT.burdens or REPORT.pages:
        REPORT.write()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if REPORT.burdens or REPORT.pages:
        terminalreporter.section("registration burden (test-artifacts/burden.md)")
        terminalreporter.write(REPORT.markdown())
