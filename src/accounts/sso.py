"""Single sign-on with the municipality's own identity provider (OpenID Connect), built on
mozilla-django-oidc. Off unless ``WIJKTEAM_OIDC_ISSUER`` and ``WIJKTEAM_OIDC_CLIENT_ID`` are set
(docs/configuration.md); then the login page offers "Inloggen met <provider>" beside the password.

Flow: ``accounts:sso`` sends the browser to the provider with a state, a nonce and a PKCE challenge
(kept in the session) → the provider sends it back to ``accounts:sso_callback`` with a code, whose
state must be in the session → the code is exchanged for an ID token, and ``Backend`` checks the
token in full: the RS256 signature with a key of the provider's JWKS, ``iss`` (the configured
issuer), ``aud`` (our client id; ``azp`` too when there are several audiences), ``exp`` and ``iat``,
and the nonce → the claim ``WIJKTEAM_OIDC_CLAIM`` names an existing, active account by e-mail
address or username. Nothing is ever created: roles and teams are kept in Wijkteam.

Second factor: when the token's ``amr`` holds one of ``WIJKTEAM_OIDC_MFA_AMR`` or its ``acr`` is one
of ``WIJKTEAM_OIDC_MFA_ACR``, the provider asked for a second factor and the session has passed
Wijkteam's second step (``twofactor.mark_verified_by_provider``); otherwise Wijkteam asks for its
own code as after a password. A locked account name or client address (accounts.services) cannot
sign in this way either; the session limits and the end of all sessions work as for a password.

Endpoints not set in the environment come from the provider's discovery document, fetched when
first needed and kept for an hour. Logs carry user ids and reasons, never a claim's value.
"""

import logging
import time

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from wijkteam.middleware import address_of

from . import services, twofactor
from .forms import locked_message
from .oidc import REFUSALS, CheckedTokenBackend, answer_from_other_issuer, settings_reader

log = logging.getLogger("accounts.signin")

# Why a sign-in through the provider was refused (set on the request by Backend).
UNKNOWN, LOCKED = "unknown", "locked"
# mozilla-django-oidc's settings, with the provider's endpoints from discovery when not set.
setting = settings_reader()


def enabled() -> bool:
    return bool(settings.OIDC_ISSUER and settings.OIDC_RP_CLIENT_ID)


def provider_name() -> str:
    return settings.WIJKTEAM["OIDC_NAME"]


def second_factor_by_provider(claims: dict) -> bool:
    """Do the ID token's amr or acr show a second factor that the configuration accepts?"""
    amr = claims.get("amr")
    amr = [amr] if isinstance(amr, str) else amr if isinstance(amr, list) else []
    accepted_amr = set(settings.WIJKTEAM["OIDC_MFA_AMR"])
    acr = claims.get("acr")
    return bool(accepted_amr.intersection(map(str, amr))) or (
        isinstance(acr, str) and acr in settings.WIJKTEAM["OIDC_MFA_ACR"]
    )


def _account(value):
    """The one active account the claim's value names, or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    lookup = "username" if settings.WIJKTEAM["OIDC_MATCH"] == "username" else "email__iexact"
    users = list(get_user_model().objects.filter(is_active=True, **{lookup: value.strip()})[:2])
    return users[0] if len(users) == 1 else None


class Backend(CheckedTokenBackend):
    """Signs in an existing, active account with a fully checked ID token; creates none."""

    get_settings = staticmethod(setting)

    def __init__(self, *args, **kwargs):
        # Django makes a backend for every request of a signed-in session: nothing is looked up here.
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        # Only the callback passes a nonce: a password sign-in never reaches the provider.
        if request is None or "nonce" not in kwargs or not enabled():
            return None
        try:
            super().__init__()  # the provider's endpoints, from discovery when not configured
            return super().authenticate(request, **kwargs)
        except REFUSALS as error:
            log.warning("single sign-on refused: %s", type(error).__name__)
            log.info("single sign-on refused because: %s", error)
            return None

    def get_user(self, user_id):
        return ModelBackend.get_user(self, user_id)  # an account made inactive is signed out

    def get_or_create_user(self, access_token, id_token, payload):
        claim = settings.WIJKTEAM["OIDC_CLAIM"]
        claims = payload
        if claim not in payload:
            claims = self.get_userinfo(access_token, id_token, payload)
            if claims.get("sub") != payload["sub"]:
                raise SuspiciousOperation("userinfo is about another subject than the ID token")
        user = _account(claims.get(claim))
        if user is None:
            self.request.wt_sso_refused = UNKNOWN
            log.info("single sign-on refused: no active account for the claim %s", claim)
            return None
        if services.sign_in_locked(username=user.username, address=address_of(self.request)):
            self.request.wt_sso_refused = LOCKED
            log.info("single sign-on refused: signing in is locked for user id %s or the address", user.pk)
            return None
        self.request.wt_sso_second_factor = second_factor_by_provider(payload)
        return user


class _RequestView(OIDCAuthenticationRequestView):
    get_settings = staticmethod(setting)


class _CallbackView(OIDCAuthenticationCallbackView):
    get_settings = staticmethod(setting)

    @property
    def failure_url(self) -> str:
        return reverse("accounts:login")

    def login_failure(self):
        reason = getattr(self.request, "wt_sso_refused", None)
        provider = {"provider": provider_name()}
        if reason == LOCKED:
            text = " ".join(locked_message().messages)
        elif reason == UNKNOWN:
            text = (
                _(
                    "There is no active Wijkteam account for the user you signed in with at %(provider)s. "
                    "Ask your functional administrator."
                )
                % provider
            )
        else:
            text = (
                _("Signing in with %(provider)s did not succeed. Try again, or sign in with your password.") % provider
            )
        messages.error(self.request, text)
        return super().login_failure()

    def login_success(self):
        response = super().login_success()
        session = self.request.session
        session[twofactor.SIGNED_IN_AT] = session[twofactor.LAST_SEEN] = int(time.time())
        by_provider = getattr(self.request, "wt_sso_second_factor", False)
        if by_provider:
            twofactor.mark_verified_by_provider(self.request)
        log.info(
            "single sign-on: user id %s, second factor %s",
            self.user.pk,
            "by the identity provider" if by_provider else "asked by Wijkteam",
        )
        return response


def start(request: HttpRequest) -> HttpResponse:
    """To the provider's sign-in page."""
    if not enabled():
        raise Http404
    try:
        return _RequestView.as_view()(request)
    except (requests.RequestException, ValueError, ImproperlyConfigured) as error:
        log.warning("single sign-on unavailable: %s", type(error).__name__)
        messages.error(
            request,
            _("%(provider)s cannot be reached. Try again later, or sign in with your password.")
            % {"provider": provider_name()},
        )
        return redirect("accounts:login")


def callback(request: HttpRequest) -> HttpResponse:
    """Back from the provider, with a code or an error. A provider that names itself in the answer
    (RFC 9207) must name the configured issuer."""
    if not enabled():
        raise Http404
    if answer_from_other_issuer(request, settings.OIDC_ISSUER):
        log.warning("single sign-on refused: the answer comes from another issuer")
    return _CallbackView.as_view()(request)
