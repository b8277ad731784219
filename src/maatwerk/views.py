"""Maatwerk pages: the team's indication advice on a case; the beschikker's work list, decision,
allocations per provider (with the WMO301/JW301 download) and provider requests (315 upload);
cost figures against budget."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import casework_required, role_required
from accounts.models import Role
from partners.models import Organisation
from privacy.access import check_may_open, get_advice_for, get_case_for, log_access
from privacy.models import Action, Purpose
from wijkteam.suppression import threshold

from . import services
from .costs import cost_figures
from .forms import AdviceForm, CostsFilterForm, DecisionForm, RequestUploadForm
from .models import AdviceStatus, Allocation, AllocationRequest, DecisionOutcome, IndicationAdvice, RequestStatus

beschikker_required = role_required(Role.BESCHIKKER)
costs_roles = role_required(Role.BESCHIKKER, Role.POLICY_OFFICER, Role.TEAM_LEADER, Role.ADMINISTRATOR)


def _errors_to_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@casework_required
@require_http_methods(["GET", "POST"])
def case_maatwerk(request: HttpRequest, case_pk: int) -> HttpResponse:
    """The indication advices of a case with their decisions, and a form for a new advice."""
    case = get_case_for(request.user, case_pk, purpose=Purpose.CASEWORK)
    municipality = case.team.municipality
    form = AdviceForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.advice_submit(case=case, by=request.user, **data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The indication advice has been sent to the municipality."))
            return redirect("maatwerk:case", case_pk=case.pk)
    advices = list(
        case.indication_advices.select_related(
            "provision", "requested_provision", "preferred_provider", "decision__provider", "decision__allocation"
        ).order_by("-aanvraag_date", "-pk")
    )
    return render(request, "maatwerk/case_maatwerk.html", {"case": case, "advices": advices, "form": form})


@beschikker_required
@require_GET
def worklist(request: HttpRequest) -> HttpResponse:
    """The beschikker's work: advices waiting for a decision, the nearest deadline first."""
    visible = IndicationAdvice.objects.visible_to(request.user)
    waiting = list(
        visible.filter(status=AdviceStatus.SUBMITTED)
        .select_related("provision", "resident", "case__team", "written_by")
        .order_by("decision_due", "pk")[:200]
    )
    decided = list(
        visible.exclude(status=AdviceStatus.SUBMITTED)
        .select_related("provision", "resident", "decision", "decision__provider")
        .order_by("-decision__decided_at")[:30]
    )
    return render(
        request,
        "maatwerk/worklist.html",
        {"waiting": waiting, "decided": decided, "today": timezone.localdate()},
    )


@role_required(Role.BESCHIKKER, Role.SOCIAL_WORKER, Role.TEAM_LEADER)
@require_http_methods(["GET", "POST"])
def advice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One advice; the beschikker decides on it here."""
    is_beschikker = request.user.role == Role.BESCHIKKER
    advice = get_advice_for(
        request.user,
        pk,
        purpose=Purpose.DECISION if is_beschikker else Purpose.CASEWORK,
        queryset=IndicationAdvice.objects.select_related(
            "provision", "requested_provision", "resident", "case__team__municipality", "preferred_provider"
        ),
    )
    decision = getattr(advice, "decision", None)
    providers = services.contracted_providers(provision=advice.provision, on=advice.starts_on)
    form = None
    if is_beschikker and advice.is_open:
        initial = {
            "volume": advice.volume,
            "frequency": advice.frequency,
            "starts_on": advice.starts_on,
            "ends_on": advice.ends_on,
            "delivery_form": advice.delivery_form,
            "provider": advice.preferred_provider,
        }
        form = DecisionForm(request.POST or None, initial=initial, providers=providers)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            grant = None
            if data["outcome"] == DecisionOutcome.GRANTED:
                grant = services.Grant(
                    volume=data["volume"],
                    frequency=data["frequency"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    delivery_form=data["delivery_form"],
                    provider=data["provider"],
                )
            try:
                services.decision_make(
                    advice=advice, by=request.user, outcome=data["outcome"], grounds=data["grounds"], grant=grant
                )
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("The decision has been recorded."))
                return redirect("maatwerk:advice", pk=advice.pk)
    elif request.method == "POST":
        return HttpResponse(status=405)
    return render(
        request,
        "maatwerk/advice_detail.html",
        {
            "advice": advice,
            "decision": decision,
            "allocation": getattr(decision, "allocation", None) if decision else None,
            "providers": providers,
            "form": form,
            "is_beschikker": is_beschikker,
            "today": timezone.localdate(),
        },
    )


@beschikker_required
@require_GET
def allocations(request: HttpRequest) -> HttpResponse:
    """Allocation messages per provider; choose a provider to see its messages."""
    visible = Allocation.objects.visible_to(request.user)
    providers = list(
        Organisation.objects.filter(allocations__in=visible)
        .annotate(n=Count("allocations", filter=Q(allocations__in=visible)))
        .order_by("name")
    )
    chosen = None
    rows = []
    provider_pk = request.GET.get("aanbieder", "")
    if provider_pk.isdigit():
        chosen = next((p for p in providers if p.pk == int(provider_pk)), None)
    if chosen is not None:
        rows = list(
            visible.filter(provider=chosen)
            .select_related("decision__provision", "decision__advice__resident")
            .order_by("-created_at")[:500]
        )
    return render(
        request, "maatwerk/allocations.html", {"providers": providers, "chosen": chosen, "allocations": rows}
    )


@role_required(Role.BESCHIKKER, Role.SOCIAL_WORKER, Role.TEAM_LEADER)
@require_GET
def allocation_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The WMO301/JW301 exactly as it was made; downloading it is logged as an export."""
    allocation = get_object_or_404(
        Allocation.objects.visible_to(request.user).select_related("decision__advice__case"), pk=pk
    )
    advice = allocation.decision.advice
    check_may_open(request.user, advice.case, purpose=Purpose.DECISION)  # the message holds the BSN
    log_access(
        user=request.user,
        action=Action.EXPORT,
        purpose=Purpose.DECISION,
        case_id=advice.case_id,
        resident_id=advice.resident_id,
        detail=f"{allocation.kind} {allocation.message_id}",
    )
    response = HttpResponse(allocation.xml.encode("utf-8"), content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{allocation.filename}"'
    return response


@beschikker_required
@require_http_methods(["GET", "POST"])
def requests(request: HttpRequest) -> HttpResponse:
    """Upload a provider's WMO315/JW315; the pending requests."""
    form = RequestUploadForm(request.POST or None, request.FILES or None)
    schema_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            received = services.allocation_request_receive(
                municipality=request.user.municipality, content=form.cleaned_data["message"].read(), by=request.user
            )
        except ValidationError as error:
            schema_errors = list(error.messages)
        else:
            messages.success(
                request,
                _("Request %(id)s of %(agb)s received.") % {"id": received.message_id, "agb": received.provider_agb},
            )
            return redirect("maatwerk:requests")
    pending = list(
        AllocationRequest.objects.visible_to(request.user)
        .filter(status=RequestStatus.PENDING)
        .select_related("provider", "resident")
        .order_by("uploaded_at")[:200]
    )
    status = 400 if schema_errors else 200
    return render(
        request,
        "maatwerk/requests.html",
        {"form": form, "schema_errors": schema_errors, "pending": pending},
        status=status,
    )


@beschikker_required
@require_POST
def request_handled(request: HttpRequest, pk: int) -> HttpResponse:
    allocation_request = get_object_or_404(AllocationRequest.objects.visible_to(request.user), pk=pk)
    services.allocation_request_handle(request=allocation_request, by=request.user)
    messages.success(request, _("Marked as handled."))
    return redirect("maatwerk:requests")


@costs_roles
@require_GET
def costs(request: HttpRequest) -> HttpResponse:
    """Expected costs of granted decisions against the budget: no personal data. Protected and
    suppressed like every aggregate; exact for the beschikker, who takes every decision."""
    form = CostsFilterForm(request.GET or {"year": timezone.localdate().year})
    year = form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year
    municipality = request.user.municipality
    exact = request.user.role == Role.BESCHIKKER
    figures = cost_figures(municipality=municipality, year=year, exact=exact) if municipality else None
    return render(
        request,
        "maatwerk/costs.html",
        {"form": form, "figures": figures, "year": year, "exact": exact, "threshold": threshold()},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
