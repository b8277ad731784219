"""Mijn Wijkteam for a representative (issue 25): a parent of a child under 16, or a curator,
bewindvoerder or mentor registered on the resident by the team (``people.Representation``). Signed
in with their own DigiD, the representative switches to the represented resident and sees that
resident's portal, and only that; every page is logged about the represented resident, with the
representative (by resident id and kind, never a BSN) in the detail. In production the route is
DigiD Machtigen through the broker (docs/privacy.md)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access
from .session import act_for, resident_required


@resident_required
@require_POST
def switch(request: HttpRequest, pk: int) -> HttpResponse:
    """Act for a represented resident: only through a valid representation of the signed-in one."""
    representation = access.get_representation(request.resident.signed_in, pk)
    if representation is None:
        raise Http404
    act_for(request, representation)
    messages.info(
        request,
        _("You now act for %(name)s. What you see and do here is about %(name)s.")
        % {"name": representation.resident.display_name},
    )
    return redirect("portal:home")


@resident_required
@require_POST
def switch_back(request: HttpRequest) -> HttpResponse:
    act_for(request, None)
    messages.info(request, _("You act for yourself again."))
    return redirect("portal:home")
