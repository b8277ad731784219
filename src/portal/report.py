"""Mijn Wijkteam: the report of the kitchen-table conversation (keukentafelgesprek), in the words
of the report the resident receives on paper, and the resident's own comment, kept beside it (as
``plans.Comment``, marked as written in Mijn Wijkteam). The regisseur sees it on the conversation
page and on the plan page. A resident reads the reports of their own cases only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from plans.conversations import COMMENT_MAX, comment_add

from . import access
from .session import resident_required
from .views import _log


@resident_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = access.get_own_report(request.resident.resident, pk)
    errors, text, status = {}, "", 200
    if request.method == "POST":
        text = request.POST.get("text", "")
        try:
            # Through the plans app's own service: no team member, received today.
            comment_add(conversation=conversation, text=text, by=None, via_portal=True)
        except ValidationError as error:
            errors, status = error.message_dict, 400
        else:
            messages.success(request, _("Thank you. Your comment is kept with the report; your team can read it."))
            return redirect("portal:report", pk=conversation.pk)
    _log(request, detail="report", case_id=conversation.case_id)
    return render(
        request,
        "portal/report.html",
        {
            "conversation": conversation,
            "case": conversation.case,
            "comments": list(conversation.comments.all()),
            "errors": errors,
            "text": text,
            "maxlength": COMMENT_MAX,
        },
        status=status,
    )
