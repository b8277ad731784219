"""Every signed-in session passes the second factor before it reaches anything else, and ends after
15 minutes without activity or a working day in total (NEN 7510, BIO).

To keep a request cheap, the session is written at most once a minute (which keeps the inactivity
timer running) and the second factor's device is checked again at most once a minute (so an
administrator's reset takes effect within a minute)."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from wijkteam.sessions import touch

from . import twofactor

# Reachable before the second step; changing the password is not.
OPEN_PREFIXES = (
    "/account/login/",
    "/account/logout/",
    "/account/tweede-stap/",
    "/i18n/",
    "/static/",
    "/healthz",
    "/toegankelijkheid/",
)
SIGNED_IN_AT, LAST_SEEN = twofactor.SIGNED_IN_AT, twofactor.LAST_SEEN


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            session = request.session
            if SIGNED_IN_AT not in session:
                session[SIGNED_IN_AT] = int(now)
            if now - session[SIGNED_IN_AT] > settings.WIJKTEAM["SESSION_ABSOLUTE_SECONDS"]:
                logout(request)
                return redirect(reverse("accounts:login"))
            touch(session, LAST_SEEN)  # the inactivity timer (SESSION_COOKIE_AGE) starts again
            # The pages show the menu and the user's name only to who passed both steps (base.html).
            request.signed_in = twofactor.is_verified(request)
            if not request.path.startswith(OPEN_PREFIXES) and not request.signed_in:
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"type": "about:blank", "title": "Second factor required", "status": 403},
                        status=403,
                        content_type="application/problem+json",
                    )
                return redirect(reverse("accounts:twofactor") + "?" + urlencode({"next": request.get_full_path()}))
        return self.get_response(request)
