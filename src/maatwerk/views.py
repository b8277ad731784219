"""Maatwerk pages: the team's indication advice on a case; the beschikker's work list, decision,
allocations per provider (with the WMO301/JW301 download); the messages exchanged with providers
(upload, inbox and outbox per provider, requests and their answers); cost figures against budget."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import casework_required, role_required
from accounts.models import Role
from cases.access import check_may_open, get_case_for
from partners.models import Organisation
from privacy.models import Action, Purpose
from privacy.services import log_access
from wijkteam.suppression import threshold

from . import istandaarden, services
from .access import get_advice_for
from .costs import cost_figures
from .forms import AdviceForm, CostsFilterForm, DecisionForm, MessageUploadForm, RefuseForm
from .models import (
    AWAITING,
    OPEN_REQUEST,
    AdviceStatus,
    Allocation,
    AllocationRequest,
    DecisionOutcome,
    Direction,
    IndicationAdvice,
    Message,
    RequestStatus,
)

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


MESSAGE_ROLES = (Role.BESCHIKKER, Role.ADMINISTRATOR)


def _upload(request: HttpRequest, form: MessageUploadForm) -> tuple[services.Received | None, list[str]]:
    """Receive the uploaded message; the refusal's reasons when it is refused (nothing stored)."""
    upload = form.cleaned_data["message"]
    if upload.size > istandaarden.MAX_BYTES:
        return None, istandaarden.too_large(upload.size, upload.read(65536)).errors
    try:
        received = services.message_receive(
            municipality=request.user.municipality, content=upload.read(), by=request.user
        )
    except istandaarden.Refused as refused:
        return None, refused.errors
    except ValidationError as error:
        return None, list(error.messages)
    return received, []


@role_required(*MESSAGE_ROLES)
@require_http_methods(["GET", "POST"])
def messages_page(request: HttpRequest) -> HttpResponse:
    """The inbox and outbox per provider: what came in, what went out, what awaits an answer (ours
    or the provider's) and when it is due. Beschikkers upload what a provider sent; the functional
    administrator (contract management) sees the traffic without clients' data."""
    is_beschikker = request.user.role == Role.BESCHIKKER
    if request.method == "POST" and not is_beschikker:
        raise PermissionDenied
    form = MessageUploadForm(request.POST or None, request.FILES or None)
    refusal: list[str] = []
    if request.method == "POST" and form.is_valid():
        received, refusal = _upload(request, form)
        if received is not None:
            message = received.message
            messages.success(
                request,
                _("%(kind)s %(id)s of %(provider)s received (%(label)s).")
                % {
                    "kind": message.kind,
                    "id": message.message_id,
                    "provider": message.provider,
                    "label": message.label,
                },
            )
            for warning in received.warnings:
                messages.warning(request, warning)
            if received.request is not None:
                return redirect("maatwerk:request", pk=received.request.pk)
            return redirect("maatwerk:message", pk=message.pk)
    visible = Message.objects.visible_to(request.user)
    providers = list(
        Organisation.objects.filter(istandaard_messages__in=visible)
        .annotate(
            received=Count(
                "istandaard_messages",
                filter=Q(istandaard_messages__in=visible, istandaard_messages__direction=Direction.IN),
            ),
            sent=Count(
                "istandaard_messages",
                filter=Q(istandaard_messages__in=visible, istandaard_messages__direction=Direction.OUT),
            ),
            awaiting=Count(
                "istandaard_messages",
                filter=Q(istandaard_messages__in=visible, istandaard_messages__status__in=AWAITING),
            ),
        )
        .order_by("name")
    )
    chosen = None
    provider_pk = request.GET.get("aanbieder", "")
    if provider_pk.isdigit():
        chosen = next((p for p in providers if p.pk == int(provider_pk)), None)
    listed = visible.filter(provider=chosen) if chosen else visible.filter(status__in=AWAITING)
    rows = list(
        listed.select_related("provider", "resident" if is_beschikker else "provider", "answers").order_by(
            "-created_at", "-pk"
        )[:300]
    )
    if not chosen:
        rows.sort(key=lambda message: (message.due_on or timezone.localdate(), message.pk))
    late = list(
        services.late_starts(municipality=request.user.municipality)
        .filter(provider=chosen)
        .select_related("provider", "decision__provision")
        .order_by("decision__starts_on", "pk")[:100]
        if chosen
        else []
    )
    status = 400 if refusal or (request.method == "POST" and not form.is_valid()) else 200
    return render(
        request,
        "maatwerk/messages.html",
        {
            "form": form if is_beschikker else None,
            "refusal": refusal,
            "providers": providers,
            "chosen": chosen,
            "rows": rows,
            "late": late,
            "is_beschikker": is_beschikker,
            "today": timezone.localdate(),
        },
        status=status,
    )


def _message_for(request: HttpRequest, pk: int, *, action: str) -> Message:
    """One message, for the beschikker (it holds a client's data); reading it is logged."""
    message = get_object_or_404(
        Message.objects.visible_to(request.user).select_related("provider", "resident", "answers", "allocation"), pk=pk
    )
    log_access(
        user=request.user,
        action=action,
        purpose=Purpose.DECISION,
        resident_id=message.resident_id,
        detail=f"{message.kind} {message.message_id}",
    )
    return message


@beschikker_required
@require_GET
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    message = _message_for(request, pk, action=Action.VIEW)
    replies = list(message.replies.order_by("created_at", "pk"))
    services_declared = (
        list(message.services.select_related("allocation__decision__provision"))
        if message.kind.endswith("323")
        else []
    )
    return render(
        request,
        "maatwerk/message_detail.html",
        {
            "message": message,
            "replies": replies,
            "request_record": getattr(message, "request", None) if message.direction == Direction.IN else None,
            "declared": services_declared,
            "retour": [
                (where, code, istandaarden.retour_code_text(code))
                for where, code in message.summary.get("retour", message.summary.get("codes", []))
            ],
            "today": timezone.localdate(),
        },
    )


@beschikker_required
@require_GET
def message_xml(request: HttpRequest, pk: int) -> HttpResponse:
    """A message exactly as it was sent or received; downloading it is logged as an export."""
    message = _message_for(request, pk, action=Action.EXPORT)
    response = HttpResponse(message.xml.encode("utf-8"), content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{message.filename}"'
    return response


@beschikker_required
@require_GET
def requests(request: HttpRequest) -> HttpResponse:
    """Requests for an allocation or a change that await an answer, the nearest due date first."""
    pending = list(
        AllocationRequest.objects.visible_to(request.user)
        .filter(status__in=(*OPEN_REQUEST, RequestStatus.ADVICE))
        .select_related("provider", "resident")
        .order_by("answer_due", "uploaded_at")[:200]
    )
    return render(request, "maatwerk/requests.html", {"pending": pending, "today": timezone.localdate()})


@beschikker_required
@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One request: what is asked (for a change: beside the current allocation), whether the
    client is the registered resident, and the answers: into an advice, grant, in progress, refuse."""
    record = get_object_or_404(
        AllocationRequest.objects.visible_to(request.user).select_related("provider", "resident", "incoming"), pk=pk
    )
    log_access(
        user=request.user,
        action=Action.VIEW,
        purpose=Purpose.DECISION,
        resident_id=record.resident_id,
        detail=f"{record.kind} {record.message_id}",
    )
    refuse_form = RefuseForm(request.POST if request.POST.get("action") == "refuse" else None)
    problems: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "refuse":
                if refuse_form.is_valid():
                    services.request_refuse(request=record, by=request.user, reason=refuse_form.cleaned_data["reason"])
                    messages.success(request, _("The request has been refused; the provider gets the answer."))
                    return redirect("maatwerk:request", pk=record.pk)
            elif action == "in_progress":
                services.request_in_progress(request=record, by=request.user)
                messages.success(request, _("The provider has been told the request is being looked into."))
                return redirect("maatwerk:request", pk=record.pk)
            elif action == "advice":
                advices = services.request_to_advice(request=record, by=request.user)
                messages.success(request, _("The request has become an advice: decide on it."))
                return redirect("maatwerk:advice", pk=advices[0].pk)
            elif action == "grant":
                services.change_grant(request=record, by=request.user)
                messages.success(request, _("The change has been granted; the provider gets the allocation."))
                return redirect("maatwerk:request", pk=record.pk)
            elif action in {"same", "other"}:
                services.request_resident_confirm(request=record, by=request.user, same=action == "same")
                messages.success(request, _("Recorded who the client is."))
                return redirect("maatwerk:request", pk=record.pk)
            else:
                problems.append(_("Choose what to do with the request."))
        except ValidationError as error:
            problems += error.messages
    record.refresh_from_db()
    return render(
        request,
        "maatwerk/request_detail.html",
        {
            "record": record,
            "refuse_form": refuse_form,
            "problems": problems,
            "advices": list(record.advices.select_related("provision", "decision__allocation")),
            "answers": list(record.incoming.replies.order_by("created_at")) if record.incoming_id else [],
            "today": timezone.localdate(),
        },
        status=400 if request.method == "POST" else 200,
    )


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
