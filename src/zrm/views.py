from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.decorators import casework_required
from cases.access import get_case_for
from privacy.models import Purpose
from wijkteam.forms import attach_errors

from .forms import AssessmentForm, DomainPickForm
from .services import assessment_record, case_trend


@casework_required
@require_http_methods(["GET", "POST"])
def assessment_new(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Score a case on the ZRM in two small steps: pick the domains, then score only those."""
    case = get_case_for(request.user, case_pk, purpose=Purpose.CASEWORK)
    trend = case_trend(case)
    source = request.POST if request.method == "POST" else request.GET
    choosing = "domein" not in source or "kiezen" in request.GET
    pick = DomainPickForm(None if choosing else source)
    if choosing or not pick.is_valid():
        if choosing:
            chosen = source.getlist("domein") or [d.code for d in (trend.last_domains or case.life_domains.all())]
            pick.initial["domein"] = chosen
        return render(request, "zrm/assessment_pick.html", {"case": case, "pick": pick, "trend": trend})
    domains = sorted(pick.cleaned_data["domein"], key=lambda d: d.order)
    previous = {t.domain.pk: t.last for t in trend.domains}
    form = AssessmentForm(request.POST or None, domains=domains, previous=previous)
    if request.method == "POST" and form.is_valid():
        try:
            assessment_record(
                case=case,
                by=request.user,
                ratings=form.ratings(),
                assessed_on=form.cleaned_data["assessed_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The ZRM scores have been saved."))
            return redirect("cases:detail", pk=case.pk)
    status = 400 if form.is_bound else 200
    return render(request, "zrm/assessment_form.html", {"case": case, "form": form, "domains": domains}, status=status)
