"""Sign-in as a resident with DigiD, through an OpenID Connect broker that returns the BSN (the way
Open Forms and Open Inwoner connect DigiD). Off unless ``WIJKTEAM_DIGID_ISSUER`` and
``WIJKTEAM_DIGID_CLIENT_ID`` are set (docs/configuration.md).

Flow: ``portal:start`` sends the browser to the broker with a state, a nonce and a PKCE challenge
(mozilla-django-oidc's request view, kept in the session) → the broker sends it back to
``portal:callback`` with a code; the state must be in the session and is used once → the code is
exchanged for an ID token, checked in full by ``accounts.oidc.CheckedTokenBackend`` (signature with
the broker's JWKS, iss, aud/azp, exp, iat, nonce) → the level of assurance (claim
``WIJKTEAM_DIGID_LOA_CLAIM``, default ``acr``) must be at least ``WIJKTEAM_DIGID_MIN_LOA`` (default
*substantieel*) → the BSN (claim ``WIJKTEAM_DIGID_BSN_CLAIM``, default ``bsn``) must name exactly
one registered resident. The resident is not a Django user: ``portal.session`` keeps the session.

Logs carry the resident's id and the reason of a refusal, never the BSN or another claim's value.
"""

import logging

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest

from accounts.oidc import CheckedTokenBackend, settings_reader
from people.models import Resident
from privacy.crypto import keyed_hash

log = logging.getLogger("portal.signin")

# DigiD's levels of assurance, lowest first, as Open Forms maps them to SAML authentication contexts.
LEVELS = {
    "basis": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",
    "midden": "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract",
    "substantieel": "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard",
    "hoog": "urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI",
}
ORDER = list(LEVELS)
# Why a sign-in was refused (set on the request by the backend).
UNKNOWN, LOA_TOO_LOW = "unknown", "loa"


def enabled() -> bool:
    return bool(settings.DIGID["ISSUER"] and settings.DIGID["CLIENT_ID"])


def _oidc_settings() -> dict:
    digid = settings.DIGID
    return {
        "OIDC_ISSUER": digid["ISSUER"],
        "OIDC_RP_CLIENT_ID": digid["CLIENT_ID"],
        "OIDC_RP_CLIENT_SECRET": digid["CLIENT_SECRET"],
        "OIDC_RP_SCOPES": digid["SCOPES"],
        "OIDC_AUTHENTICATION_CALLBACK_URL": "portal:callback",
        # The broker's endpoints always come from its discovery document, never from the
        # professionals' provider's settings.
        "OIDC_OP_AUTHORIZATION_ENDPOINT": "",
        "OIDC_OP_TOKEN_ENDPOINT": "",
        "OIDC_OP_USER_ENDPOINT": "",
        "OIDC_OP_JWKS_ENDPOINT": "",
        "OIDC_STORE_ACCESS_TOKEN": False,
        "OIDC_STORE_ID_TOKEN": False,
        "OIDC_AUTH_REQUEST_EXTRA_PARAMS": {},
    }


setting = settings_reader(_oidc_settings)


def level_of(value) -> str | None:
    """The DigiD level a claim's value names (its SAML context or the level's own name), or None."""
    if not isinstance(value, str):
        return None
    for name, context in LEVELS.items():
        if value in (name, context):
            return name
    return None


def sufficient(level: str | None) -> bool:
    minimum = settings.DIGID["MIN_LOA"]
    return level is not None and ORDER.index(level) >= ORDER.index(minimum)


def resident_by_bsn(bsn) -> Resident | None:
    """The one living resident registered with this BSN, or None."""
    if not isinstance(bsn, str) or not bsn.strip().isdigit():
        return None
    found = list(Resident.objects.filter(bsn_hash=keyed_hash(bsn.strip()), date_of_death__isnull=True)[:2])
    return found[0] if len(found) == 1 else None


class Backend(CheckedTokenBackend):
    """Finds the resident of a fully checked ID token; not one of Django's authentication backends
    (a resident is no user): ``portal.views.callback`` calls it."""

    get_settings = staticmethod(setting)

    def get_or_create_user(self, access_token, id_token, payload):
        digid = settings.DIGID
        claims = payload
        if digid["BSN_CLAIM"] not in payload:
            claims = self.get_userinfo(access_token, id_token, payload)
            if claims.get("sub") != payload["sub"]:
                raise SuspiciousOperation("userinfo is about another subject than the ID token")
        level = level_of(payload.get(digid["LOA_CLAIM"], claims.get(digid["LOA_CLAIM"])))
        if not sufficient(level):
            self.request.wt_digid_refused = LOA_TOO_LOW
            log.info("DigiD sign-in refused: level of assurance %s is below %s", level, digid["MIN_LOA"])
            return None
        resident = resident_by_bsn(claims.get(digid["BSN_CLAIM"]))
        if resident is None:
            self.request.wt_digid_refused = UNKNOWN
            log.info("DigiD sign-in refused: no one registered resident for the BSN")
            return None
        self.request.wt_digid_level = level
        return resident


def authenticate(request: HttpRequest, *, nonce: str, code_verifier: str | None) -> Resident | None:
    """The code in the request exchanged and checked; the resident, or None (the reason on
    ``request.wt_digid_refused`` when it is not a failed check)."""
    backend = Backend()
    return backend.authenticate(request, nonce=nonce, code_verifier=code_verifier)
