"""The resident's session in Mijn Wijkteam. A resident is not a Django user: the session holds the
resident's id, the level of assurance of the DigiD sign-in and the moment of signing in and of the
last request. It ends after ``DIGID["IDLE_SECONDS"]`` (15 minutes) without a request, with a page
that says so. A professional's session is never a resident's: signing in as the one ends the other
(``sign_in`` flushes the session, and a professional's sign-in drops the resident's keys), and a
request by a signed-in professional never counts as the resident's.
"""

import functools
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from people.models import Representation, Resident
from wijkteam.sessions import idle_longer_than, touch

from .access import get_representation

RESIDENT, LOA, SIGNED_IN_AT, LAST_SEEN = "portal.resident", "portal.loa", "portal.signed_in_at", "portal.last_seen"
# The representation (its id) under which the signed-in resident acts for someone they represent.
ACTING_FOR = "portal.acting_for"
KEYS = (RESIDENT, LOA, SIGNED_IN_AT, LAST_SEEN, ACTING_FOR)
# A cookie without content that says this browser had a resident's session, so a session that
# ended while idle gets "you were signed out" rather than the sign-in page alone.
WAS_SIGNED_IN = "wt_portal"


@dataclass(frozen=True)
class ResidentSession:
    """``resident``: whose portal this is (the represented resident while a representative acts for
    them); ``representative``: the signed-in resident acting for them, or None; ``signed_in``: who
    signed in with DigiD."""

    resident: Resident
    loa: str
    signed_in_at: int
    representative: Resident | None = None
    representation: Representation | None = None

    @property
    def signed_in(self) -> Resident:
        return self.representative or self.resident

    @property
    def actor_note(self) -> str:
        """For the access log's detail: who acts, by id and kind (never a BSN or a name)."""
        if self.representative is None:
            return ""
        return f" (representative: resident {self.representative.pk}, {self.representation.kind})"


def sign_in(request: HttpRequest, *, resident: Resident, loa: str) -> None:
    """Start a fresh session for the resident (anything of an earlier session, a professional's
    included, is gone; a new session key against fixation)."""
    logout(request)  # flushes the session and gives it a new key
    now = int(time.time())
    request.session.update({RESIDENT: resident.pk, LOA: loa, SIGNED_IN_AT: now, LAST_SEEN: now})
    request.session.set_expiry(settings.DIGID["IDLE_SECONDS"])


def sign_out(request: HttpRequest) -> None:
    request.session.flush()


def end_on_staff_sign_in(sender, request, user, **kwargs) -> None:
    for key in KEYS:
        request.session.pop(key, None)


def _idle(session) -> bool:
    return idle_longer_than(session, LAST_SEEN, settings.DIGID["IDLE_SECONDS"])


def _acting(session, resident: Resident) -> ResidentSession:
    """The resident's session, or, while they act for someone they represent, that person's: the
    representation is checked on every request (ended, or the child turned 16: back to their own)."""
    own = ResidentSession(resident=resident, loa=session[LOA], signed_in_at=session[SIGNED_IN_AT])
    if ACTING_FOR not in session:
        return own
    representation = get_representation(resident, session[ACTING_FOR])
    if representation is None:
        session.pop(ACTING_FOR)
        return own
    return ResidentSession(
        resident=representation.resident,
        loa=own.loa,
        signed_in_at=own.signed_in_at,
        representative=resident,
        representation=representation,
    )


def act_for(request: HttpRequest, representation: Representation | None) -> None:
    """Act for the represented resident of ``representation`` from the next request; None: as oneself."""
    if representation is None:
        request.session.pop(ACTING_FOR, None)
    else:
        request.session[ACTING_FOR] = representation.pk


def resident_required(view):
    """The view runs for a signed-in resident only, with ``request.resident`` set (a
    ``ResidentSession``); anyone else goes to the sign-in page, an idle session to "signed out"."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        session = request.session
        user = getattr(request, "user", None)
        staff = user is not None and user.is_authenticated
        if not staff and RESIDENT in session and _idle(session):
            sign_out(request)
            return redirect("portal:signed_out")
        resident = None
        if not staff and RESIDENT in session:
            resident = Resident.objects.filter(pk=session[RESIDENT], date_of_death__isnull=True).first()
        if resident is None:
            if not staff and request.COOKIES.get(WAS_SIGNED_IN):
                response = redirect("portal:signed_out")
                response.delete_cookie(WAS_SIGNED_IN)
                return response
            return redirect(reverse("portal:sign_in") + "?" + urlencode({"next": request.get_full_path()}))
        touch(session, LAST_SEEN)
        request.resident = _acting(session, resident)
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store, private"
        response.set_cookie(WAS_SIGNED_IN, "1", httponly=True, samesite="Lax", secure=request.is_secure())
        return response

    return wrapper
