"""Two-factor sign-in (NEN 7510): a TOTP app (RFC 6238) for every account, recovery codes for a
lost phone, and an administrator reset. Built on django-otp: its TOTP device throttles repeated
wrong codes, and its middleware marks a session verified once a code was accepted.

Flow: password (``accounts:login``) → if the account has no confirmed device, enrolment
(``accounts:twofactor_setup``: a QR code and the secret, confirmed with a first code, then ten
recovery codes shown once) → otherwise the code (``accounts:twofactor``). Until then every page
sends the user back there (``accounts.middleware.SecondFactorMiddleware``). A single sign-on whose
ID token shows that the identity provider asked for a second factor has passed this step
(``mark_verified_by_provider``, accounts.sso).
"""

import hashlib
import secrets
import time
from binascii import hexlify

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10
DEVICE_NAME = "app"
CHECKED_AT = "wt_second_factor_checked_at"
BY_PROVIDER = "wt_second_factor_by_provider"
# Session keys of the session limits (accounts.middleware), set here too for sessions made outside
# a browser.
SIGNED_IN_AT = "wt_signed_in_at"
LAST_SEEN = "wt_last_seen"
RECHECK_EVERY = 60


def is_verified(request) -> bool:
    """Has this session passed the second step with a device that still exists? The device is
    looked up again at most once a minute, so a device removed by any route stops counting within a
    minute (the administrator's reset ends the account's sessions at once). A session whose second
    factor was asked by the identity provider has no device here."""
    if request.session.get(BY_PROVIDER):
        return True
    persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
    if not persistent_id:
        return False
    now = time.time()
    if now - request.session.get(CHECKED_AT, 0) < RECHECK_EVERY:
        return True
    device = Device.from_persistent_id(persistent_id)
    if device is None or device.user_id != request.user.pk or not device.confirmed:
        request.session.pop(DEVICE_ID_SESSION_KEY, None)
        return False
    request.session[CHECKED_AT] = now
    return True


def verified_session(user) -> dict:
    """Session keys of a user who passed both steps, for sessions made outside a browser (tests and
    the benchmark's simulated users). Enrols a device when the user has none."""
    device = confirmed_device(user) or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
    now = int(time.time())
    return {
        DEVICE_ID_SESSION_KEY: device.persistent_id,
        CHECKED_AT: now,
        SIGNED_IN_AT: now,
        LAST_SEEN: now,
    }


def mark_verified_by_provider(request) -> None:
    """The identity provider of a single sign-on asked for a second factor (its ID token says so):
    this session has passed the second step. Set only right after signing in (accounts.sso)."""
    request.session[BY_PROVIDER] = True


def _login(request, device) -> None:
    otp_login(request, device)
    request.session[CHECKED_AT] = time.time()


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    """The device being enrolled: one unconfirmed TOTP device per user, made once."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth URI as an inline SVG QR code (no image request, no third party)."""
    import segno

    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff")


def secret_for_typing(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for authenticator apps without a camera."""
    from base64 import b32encode

    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _clean(code: str) -> str:
    return "".join(code.split())


@transaction.atomic
def enrol_confirm(request, *, code: str) -> list[str]:
    """Confirm the pending device with its first code; returns the recovery codes (shown once)."""
    device = pending_device(request.user)
    if not device.verify_token(_clean(code)):
        raise ValueError(_("This code is not correct. Check the time on your phone and try the newest code."))
    TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_new(request.user)
    _login(request, device)
    return codes


def recovery_codes_new(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


def matching_device(user, *, code: str) -> Device | None:
    """The device that accepts ``code``: the app (throttled per device), or the recovery codes (the
    code is used up)."""
    code = _clean(code)
    device = confirmed_device(user)
    if device is not None and device.verify_is_allowed()[0] and device.verify_token(code):
        return device
    static = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if static is not None and len(code) == 8 and static.verify_token(code):
        return static
    return None


def verify(request, *, code: str) -> bool:
    """Accept a code from the app, or one recovery code (used up): the session passes the second step."""
    device = matching_device(request.user, code=code)
    if device is not None:
        _login(request, device)
    return device is not None


def throttled(user) -> bool:
    device = confirmed_device(user)
    return device is not None and not device.verify_is_allowed()[0]


def remove_devices(*, user) -> None:
    """All second factors of the account go; the next sign-in enrols anew. The administrator's
    reset is ``accounts.services.second_factor_reset``, which also ends the account's sessions."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


# ---------------------------------------------------------------------------------------------
# Demo


def demo_key(username: str) -> str:
    """A fixed TOTP key per demo login, so the demo's sign-in page can show the current code."""
    return hexlify(hashlib.sha256(f"wijkteam-demo:{username}".encode()).digest()[:20]).decode()


DEMO_TOLERANCE = 20  # demo only: several sign-ins of one account within 30 seconds each get a fresh code


def demo_enrol(user) -> TOTPDevice:
    return TOTPDevice.objects.create(
        user=user, name=DEVICE_NAME, key=demo_key(user.username), confirmed=True, tolerance=DEMO_TOLERANCE
    )


def demo_code(user) -> str | None:
    """The current code of a pre-enrolled demo account; None outside demo mode."""
    if not settings.DEMO_MODE:
        return None
    device = confirmed_device(user)
    if device is None or device.key != demo_key(user.username):
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if device.last_t is not None and device.last_t >= totp.t():
        # A code is accepted once (replay protection); show the next step's, within the tolerance.
        totp.time = device.t0 + (device.last_t + 1 - device.drift) * device.step
    return f"{totp.token():0{device.digits}d}"
