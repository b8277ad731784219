"""Mijn Wijkteam: "report a mistake" (a rectification request, AVG art. 16). The resident says
what is wrong; the request reaches the regisseur (the case page's history and its panel) and the
privacy officer (the residents' requests). The resident sees each request with its status, the
day the answer is due (one month, AVG art. 12(3)) and the answer."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from privacy.services import RECTIFICATION_MAX

from . import services
from .session import resident_required
from .views import _log


@resident_required
@require_http_methods(["GET", "POST"])
def rectification(request: HttpRequest) -> HttpResponse:
    resident = request.resident.resident
    errors, text, status = {}, "", 200
    if request.method == "POST":
        text = request.POST.get("text", "")
        try:
            asked = services.rectification_ask(resident=resident, text=text)
        except ValidationError as error:
            errors, status = error.message_dict, 400
        else:
            messages.success(
                request,
                _("Thank you. We received your report and answer you no later than %(date)s.")
                % {"date": date_format(asked.due_on, "j F Y")},
            )
            return redirect("portal:rectification")
    _log(request, detail="rectification requests")
    return render(
        request,
        "portal/rectification.html",
        {
            "requests": list(resident.rectification_requests.all()),
            "errors": errors,
            "text": text,
            "maxlength": RECTIFICATION_MAX,
        },
        status=status,
    )
