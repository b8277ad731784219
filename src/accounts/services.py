"""Writes on accounts: the lockout after failed password sign-ins, ending an account's sessions,
deactivating an account, enrolling and resetting its second factor.

Lockout: every failed password sign-in counts against the account name typed (whether an account
by that name exists or not, so the lock says nothing about which names exist) and against the
client address. ``WIJKTEAM_LOCKOUT_ACCOUNT_FAILURES`` failures of one name, or
``WIJKTEAM_LOCKOUT_ADDRESS_FAILURES`` from one address, within ``WIJKTEAM_LOCKOUT_SECONDS`` lock
that name or address for ``WIJKTEAM_LOCKOUT_SECONDS``; while locked no password is checked. A
successful sign-in clears the name's count (not the address's: one good account must not hide a
password spray from the same place). The functional administrator unlocks an account in the admin.
Counters are kept under a keyed hash; the application log gets that hash's first characters and
account ids, never a name or an address.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import twofactor
from .models import SignInCounter, User

log = logging.getLogger("accounts.signin")


def _key(kind: str, value: str) -> str:
    return salted_hmac("accounts.lockout", f"{kind}:{value}", algorithm="sha256").hexdigest()


def _account_key(username: str) -> str:
    return _key(SignInCounter.Kind.ACCOUNT, username.strip().casefold())


def _keys(*, username: str, address: str | None) -> dict[str, str]:
    keys = {SignInCounter.Kind.ACCOUNT: _account_key(username)}
    if address:
        keys[SignInCounter.Kind.ADDRESS] = _key(SignInCounter.Kind.ADDRESS, address)
    return keys


def _limit(kind: str) -> int:
    name = "LOCKOUT_ACCOUNT_FAILURES" if kind == SignInCounter.Kind.ACCOUNT else "LOCKOUT_ADDRESS_FAILURES"
    return settings.WIJKTEAM[name]


def sign_in_locked(*, username: str, address: str | None) -> bool:
    """Is this account name or this client address locked now?"""
    return SignInCounter.objects.filter(
        key__in=_keys(username=username, address=address).values(), locked_until__gt=timezone.now()
    ).exists()


@transaction.atomic
def sign_in_failed(*, username: str, address: str | None) -> bool:
    """Count one failed password sign-in; returns whether the name or the address is now locked."""
    now = timezone.now()
    period = timedelta(seconds=settings.WIJKTEAM["LOCKOUT_SECONDS"])
    # Counters whose period and lock are both over say nothing any more.
    SignInCounter.objects.filter(window_start__lt=now - period).filter(
        Q(locked_until__isnull=True) | Q(locked_until__lt=now)
    ).delete()
    locked = False
    for kind, key in _keys(username=username, address=address).items():
        counter, _ = SignInCounter.objects.select_for_update().get_or_create(
            key=key, defaults={"kind": kind, "window_start": now}
        )
        counter.failures += 1
        if counter.failures >= _limit(kind):
            counter.locked_until = now + period
            counter.failures = 0
            counter.window_start = now
            locked = True
            user_id = _user_id(username) if kind == SignInCounter.Kind.ACCOUNT else None
            log.warning(
                "sign-in locked: %s %s (user id %s) until %s",
                kind,
                key[:8],
                user_id or "-",
                counter.locked_until.isoformat(timespec="seconds"),
            )
        else:
            log.info("sign-in failed: %s %s, %s of %s", kind, key[:8], counter.failures, _limit(kind))
        counter.save()
    return locked


def sign_in_succeeded(*, username: str) -> None:
    """A correct password: the account name's failures are forgotten."""
    SignInCounter.objects.filter(key=_account_key(username), locked_until__isnull=True).delete()


def sign_in_unlock(*, user: User) -> bool:
    """The administrator's unlock of one account; returns whether it was locked."""
    deleted, _ = SignInCounter.objects.filter(key=_account_key(user.username)).delete()
    if deleted:
        log.info("sign-in unlocked: user id %s", user.pk)
    return bool(deleted)


def _user_id(username: str) -> int | None:
    return User.objects.filter(username=username).values_list("pk", flat=True).first()


# ---------------------------------------------------------------------------------------------
# Sessions


def sessions_end(*, user: User) -> None:
    """Every session of the account ends: the session hash changes (``User.get_session_auth_hash``),
    so Django signs each session out at its next request and deletes it."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    log.info("sessions ended: user id %s", user.pk)


@transaction.atomic
def account_deactivate(*, user: User) -> None:
    """The account can no longer sign in, and its sessions end now."""
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    sessions_end(user=user)


@transaction.atomic
def second_factor_enrol(*, request, code: str) -> list[str]:
    """Confirm the authenticator app being enrolled with its first code; returns the new recovery
    codes (shown once). When it replaces an enrolled app (a new phone; the view asked the password
    and a code first), every other session of the account ends, this one goes on, and the
    professional gets an e-mail about it (``second_factor_replaced_mail``)."""
    user = request.user
    replacing = twofactor.confirmed_device(user) is not None
    codes = twofactor.enrol_confirm(request, code=code)
    if replacing:
        sessions_end(user=user)
        update_session_auth_hash(request, user)
        log.info("second factor replaced: user id %s", user.pk)
        if user.email:
            transaction.on_commit(lambda: second_factor_replaced_mail(user=user, at=timezone.now()))
    return codes


def second_factor_replaced_mail(*, user: User, at) -> None:
    """Tell the professional their second factor was replaced: if it was not them, the functional
    administrator can block the account. Sent through Django's mail backend; a failure is logged
    (with the account's id only) and does not undo the change."""
    local = timezone.localtime(at)
    body = _(
        "Dear %(name)s,\n\n"
        "On %(day)s at %(time)s another authenticator app was set up for signing in to Wijkteam with "
        "your account, and your other sessions were ended.\n\n"
        "Was this not you? Tell your functional administrator at once: they can reset the second step "
        "and block the account.\n"
    ) % {
        "name": user.get_full_name() or user.username,
        "day": date_format(local, "j F Y"),
        "time": date_format(local, "H:i"),
    }
    try:
        send_mail(_("Wijkteam: your second sign-in step was set up again"), body, None, [user.email])
    except Exception:  # a mail server that is down must not undo the change
        log.warning("second factor notice not sent: user id %s", user.pk)


@transaction.atomic
def second_factor_reset(*, user: User) -> None:
    """The administrator's reset (lost phone): all second factors go, the next sign-in enrols anew,
    and every session of the account ends now."""
    twofactor.remove_devices(user=user)
    sessions_end(user=user)
