"""OpenID Connect pieces shared by the professionals' single sign-on (``accounts.sso``) and the
residents' DigiD sign-in through a broker (``portal.digid``), both on mozilla-django-oidc.

- ``discovery``: the provider's discovery document, fetched when first needed and kept for an hour;
  it must name the issuer it was fetched for.
- ``settings_reader``: a ``get_settings`` for mozilla-django-oidc's views and backend that reads
  some names from elsewhere (the DigiD broker's configuration) and takes the endpoints that are
  not configured from discovery.
- ``CheckedTokenBackend``: mozilla-django-oidc's backend, with the ID token checked in full: the
  signature with a key of the provider's JWKS, ``iss`` (the configured issuer), ``aud`` (our
  client id; ``azp`` too when there are several audiences), ``exp`` and ``iat``; the library checks
  the nonce.
- ``answer_from_other_issuer``: RFC 9207, a provider that names itself in its answer must name the
  configured issuer.
"""

import hashlib
from collections.abc import Callable

import jwt
import requests
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

DISCOVERY_SECONDS = 3600
LEEWAY_SECONDS = 60  # clock difference allowed between the provider and Wijkteam
REQUIRED_CLAIMS = ["iss", "aud", "exp", "iat", "sub"]
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
# What ends a sign-in through a provider as refused rather than as a server error.
REFUSALS = (SuspiciousOperation, ImproperlyConfigured, jwt.PyJWTError, requests.RequestException, ValueError)


def discovery(issuer: str) -> dict:
    key = "accounts.sso.discovery:" + hashlib.sha256(issuer.encode()).hexdigest()
    document = cache.get(key)
    if document is None:
        response = requests.get(
            issuer.rstrip("/") + "/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
        )
        response.raise_for_status()
        document = response.json()
        if document.get("issuer") != issuer:
            raise ImproperlyConfigured("The provider's discovery document names another issuer.")
        cache.set(key, document, DISCOVERY_SECONDS)
    return document


def settings_reader(overrides: Callable[[], dict] = dict) -> Callable:
    """mozilla-django-oidc's settings: a name in ``overrides()`` from there, any other from Django's
    settings; the provider's endpoints from discovery (of ``OIDC_ISSUER``) when not set."""

    def get_settings(name: str, *default):
        own = overrides()
        value = own[name] if name in own else import_from_settings(name, *default)
        if name in ENDPOINTS and not value:
            issuer = own.get("OIDC_ISSUER", settings.OIDC_ISSUER)
            value = discovery(issuer).get(ENDPOINTS[name])
            if not value:
                raise ImproperlyConfigured(f"The provider's discovery document has no {ENDPOINTS[name]}.")
        return value

    return get_settings


class CheckedTokenBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend with the ID token checked in full (the library checks only the
    signature and the nonce). Subclasses set ``get_settings`` and ``get_or_create_user``."""

    def _verify_jws(self, payload, key):
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("ID token signed with another algorithm")
        try:
            claims = jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.get_settings("OIDC_ISSUER"),
                leeway=LEEWAY_SECONDS,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"ID token refused: {error}") from error
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if ("azp" in claims or len(audiences) > 1) and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("ID token refused: authorized party is another client")
        return claims


def answer_from_other_issuer(request: HttpRequest, issuer: str) -> bool:
    """Does the provider's answer name another issuer than ``issuer`` (RFC 9207)? Then the answer is
    turned into an error answer, so the callback refuses it."""
    if "iss" in request.GET and request.GET["iss"] != issuer:
        request.GET = request.GET.copy()
        request.GET["error"] = "invalid_issuer"
        return True
    return False
