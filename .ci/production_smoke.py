"""`make check-production`, with gunicorn running: what browsers send through the TLS proxy of
docs/deployment.md (host wijkteam.example.nl, `X-Forwarded-Proto: https`, `X-Forwarded-For`), and
what they must get back. Any 500 fails at once; so does any answer other than the one expected.

    production_smoke.py http://127.0.0.1:PORT    (CHECK_USER, CHECK_PASSWORD, CHECK_CASE from the seed)

Standard library only, as it runs in the production environment (requirements/main.lock). Cookies
are kept by hand: they are `Secure`, and the proxy's hop to gunicorn is plain HTTP.
"""

import base64
import hashlib
import hmac
import http.client
import json
import os
import re
import struct
import sys
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

HOST = "wijkteam.example.nl"
ORIGIN = f"https://{HOST}"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HASHED = re.compile(r"\.[0-9a-f]{12}\.(css|js|png)$")


class Failed(Exception):
    pass


class Browser:
    def __init__(self, server: str) -> None:
        self.server = urlsplit(server)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None, *, proxy: bool = True):
        headers = {"Host": HOST}
        if proxy:
            headers.update({"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers.update(
                {"Content-Type": "application/x-www-form-urlencoded", "Origin": ORIGIN, "Referer": ORIGIN + path}
            )
        connection = http.client.HTTPConnection(self.server.hostname, self.server.port, timeout=60)
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
        finally:
            connection.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                        self.cookies.pop(morsel.key, None)
                    else:
                        self.cookies[morsel.key] = morsel.value
        answer = (response.status, {name.lower(): value for name, value in response.getheaders()}, text)
        print(f"  {method} {path} -> {response.status}")
        if response.status >= 500:
            raise Failed(f"{method} {path} answered {response.status}")
        return answer

    def expect(self, status: int, method: str, path: str, form: dict | None = None, **options):
        got, headers, text = self.request(method, path, form, **options)
        if got != status:
            raise Failed(f"{method} {path}: expected {status}, got {got} {headers.get('location', '')}")
        return headers, text

    def follow(self, path: str, *, until: int = 200) -> tuple[str, str]:
        """GET, following redirects on this host; the path it ends on and its page."""
        for _ in range(10):
            status, headers, text = self.request("GET", path)
            if status == until:
                return path, text
            if status not in (301, 302):
                raise Failed(f"GET {path}: expected {until} or a redirect, got {status}")
            location = urlsplit(headers["location"])
            if location.netloc not in ("", HOST):
                raise Failed(f"GET {path} redirects off the host: {headers['location']}")
            path = location.path + (f"?{location.query}" if location.query else "")
        raise Failed(f"GET {path}: too many redirects")

    def post_form(self, path: str, page: str, data: dict, status: int):
        token = TOKEN.search(page)
        if not token:
            raise Failed(f"no form with a CSRF token on {path}")
        return self.expect(status, "POST", path, {**data, "csrfmiddlewaretoken": token.group(1)})


def totp(secret: str) -> str:
    """The current code of an authenticator app (RFC 6238: SHA-1, 30 seconds, six digits)."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def wait_until_up(server: str) -> None:
    address = urlsplit(server)
    for _ in range(300):
        try:
            http.client.HTTPConnection(address.hostname, address.port, timeout=1).connect()
            return
        except OSError:
            time.sleep(0.2)
    raise Failed(f"nothing answers on {server}")


def main(server: str) -> None:
    user, password, case = os.environ["CHECK_USER"], os.environ["CHECK_PASSWORD"], os.environ["CHECK_CASE"]
    wait_until_up(server)

    print("Without a session")
    anonymous = Browser(server)
    _headers, health = anonymous.expect(200, "GET", "/healthz")
    if json.loads(health) != {"status": "ok"}:
        raise Failed(f"/healthz says {health}")
    headers, _text = anonymous.expect(301, "GET", "/healthz", proxy=False)
    if headers["location"] != f"{ORIGIN}/healthz":
        raise Failed(f"plain HTTP is redirected to {headers['location']}, not to HTTPS")
    headers, _text = anonymous.expect(302, "GET", "/beheer/admin/login/")
    if not headers["location"].startswith("/account/login/"):
        raise Failed(f"the admin's sign-in page sends to {headers['location']}")
    anonymous.expect(200, "GET", "/hulp-vragen/")
    anonymous.expect(404, "GET", "/bestaat-niet/")

    print("A social worker signs in: password, then a first authenticator app")
    browser = Browser(server)
    _headers, page = browser.expect(200, "GET", "/account/login/")
    browser.post_form("/account/login/", page, {"username": user, "password": password}, 302)
    path, page = browser.follow("/")
    if not path.startswith("/account/tweede-stap/instellen/"):
        raise Failed(f"after the password the first sign-in ends on {path}, not on enrolling an app")
    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", page)
    if not secret:
        raise Failed("the enrolment page shows no key to type")
    _headers, codes = browser.post_form(path, page, {"code": totp(secret.group(1).replace(" ", ""))}, 200)
    if len(re.findall(r"\b\d{8}\b", codes)) < 10:
        raise Failed("no recovery codes after enrolling")

    print("Mijn werk and the dossier")
    _path, my_work = browser.follow("/mijn-werk/")
    _headers, dossier = browser.expect(200, "GET", f"/zaken/{case}/")
    if "Kan de post en de rekeningen niet meer bijhouden." not in dossier:
        raise Failed("the dossier page does not show the case's question")
    _headers, api_docs = browser.expect(200, "GET", "/api/docs/")
    pages = my_work + dossier + api_docs
    assets = set(re.findall(r'<(?:link rel="(?:stylesheet|icon)" href|script src)="(/static/[^"]+)"', pages))
    if not assets:
        raise Failed("the pages link no static files")
    for asset in sorted(assets):
        if not HASHED.search(asset):
            raise Failed(f"{asset} is linked without its hashed name (no manifest entry?)")
        headers, _text = browser.expect(200, "GET", asset)
        if "immutable" not in headers.get("cache-control", ""):
            raise Failed(f"{asset} is not served for far-future caching: {headers.get('cache-control')}")
    browser.expect(200, "GET", "/api/v1/cases/")
    print("No 500, every answer as expected.")


if __name__ == "__main__":
    try:
        main(sys.argv[1])
    except Failed as failure:
        sys.exit(f"check-production: {failure}")
