"""The real OpenID Connect provider the tests run (node-oidc-provider, oidc_provider/provider.mjs),
and the browser's part of the authorization-code flow at it. The ``issuer`` fixture (src/conftest.py)
starts it once per test run; the single sign-on tests and the portal's DigiD tests use it."""

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urljoin

import pytest
import requests

from e2e.clock import env_at_our_moment

PROVIDER = Path(__file__).parent / "oidc_provider" / "provider.mjs"


def running_provider() -> Iterator[str]:
    """Start the provider on a free loopback port; yields its issuer URL. Skips where ``node`` is not
    installed."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the sign-in tests need it to run the OpenID provider")
    with tempfile.TemporaryFile("w+") as errors:
        process = subprocess.Popen(  # noqa: S603 (a fixed script of ours)
            [node, str(PROVIDER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            env=env_at_our_moment(dict(os.environ)),
        )
        line = process.stdout.readline().strip()
        if not line.startswith("http://127.0.0.1:"):
            process.kill()
            errors.seek(0)
            pytest.fail(f"the OpenID provider did not start: {errors.read()}")
        yield line
        process.stdin.close()  # the provider stops when its input closes
        process.wait(timeout=10)


def browse(url: str, *, account: str, callback: str, amr: str = "", acr: str = "") -> str:
    """The browser at the provider: follows its redirects and signs in as ``account`` on its login
    page; returns the URL (starting with ``callback``) the provider sends the browser back to."""
    browser = requests.Session()
    for _ in range(10):
        if "/interaction/" in url:
            url += "?" + urlencode({"account": account, "amr": amr, "acr": acr})
        answer = browser.get(url, allow_redirects=False, timeout=10)
        assert answer.status_code in (302, 303), answer.text
        url = urljoin(url, answer.headers["Location"])
        if url.startswith(callback):
            return url
    raise AssertionError("the provider did not send the browser back")
