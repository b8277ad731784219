"""Neighbourhood profiles: published figures beside anonymous, protected case aggregates."""

from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count as DbCount
from django.db.models import Q, Sum
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import role_required
from accounts.models import CASEWORK_ROLES, Role
from areas.models import Area, AreaBoundary, PostcodeArea
from cases.access import get_household_for, may_open_visibility
from cases.models import TRIAGE_MODEL, Case
from privacy.models import Action, Purpose
from privacy.services import log_access
from teams.services import led_team_ids_of, team_ids_of
from wijkteam.exports import csv_response, xlsx_response
from wijkteam.forms import attach_errors, refuse_invalid
from wijkteam.suppression import whole_months
from wijkteam.text import normalise_text

from .aggregates import (
    MAP_FIGURES,
    PC4_GEO_SOURCE,
    case_cells,
    collective_suggestions,
    district_overview,
    district_profile,
    initiative_reach,
    map_values,
    postcode_outline,
    prevention_estimate,
)
from .forms import (
    AnswerForm,
    EvaluationForm,
    ExpenseForm,
    ForwardForm,
    HouseholdSearchForm,
    InitiativeForm,
    JoinForm,
    ManagementFilterForm,
    PeriodForm,
    SignalForm,
)
from .management_info import report as management_report
from .models import Figure, Initiative, InitiativeExpense, InitiativeParticipant, RegionKind, Signal, SignalStatus
from .services import (
    initiative_evaluate,
    initiative_join,
    initiative_spend,
    initiative_start,
    signal_answer,
    signal_answer_read,
    signal_forward,
    signal_raise,
)

INSIGHT_ROLES = (Role.POLICY_OFFICER, Role.TEAM_LEADER, Role.SOCIAL_WORKER)
insight_required = role_required(*INSIGHT_ROLES)


def _municipality(request: HttpRequest):
    if request.user.municipality_id is None:
        raise Http404
    return request.user.municipality


def _period(form: PeriodForm) -> tuple[date, date]:
    """The period the protected figures cover: the chosen one in whole calendar months."""
    return whole_months(*form.period())


@insight_required
@require_GET
def district_index(request: HttpRequest) -> HttpResponse:
    municipality = _municipality(request)
    form = PeriodForm(request.GET or None)
    start, end = _period(form)
    lines = district_overview(municipality, start=start, end=end)
    scans = Figure.objects.filter(region_kind=RegionKind.GEBIED, municipality_code=municipality.cbs_code).exists()
    return render(
        request,
        "insights/district_index.html",
        {"municipality": municipality, "form": form, "lines": lines, "start": start, "end": end, "scans": scans},
        status=400 if form.refused else 200,
    )


def _area(request: HttpRequest, code: str) -> Area:
    area = (
        Area.objects.filter(cbs_code=code, municipality=_municipality(request)).select_related("municipality").first()
    )
    if area is None:
        raise Http404
    return area


@insight_required
@require_GET
def district_detail(request: HttpRequest, code: str) -> HttpResponse:
    area = _area(request, code)
    form = PeriodForm(request.GET or None)
    start, end = _period(form)
    counts = case_cells(area, start=start, end=end)  # shared by the two functions below
    profile = district_profile(area, start=start, end=end, counts=counts)
    suggestions = collective_suggestions(area, start=start, end=end, counts=counts)
    context = {
        "profile": profile,
        "area": area,
        "form": form,
        "suggestions": suggestions,
        "triage_model": TRIAGE_MODEL,
        # the team that would run it: one the user leads that serves the district (None: no link)
        "may_start_initiative": area.teams.filter(pk__in=led_team_ids_of(request.user)).order_by("name").first(),
    }
    return render(request, "insights/district_detail.html", context, status=400 if form.refused else 200)


@insight_required
@require_GET
def district_export(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The aggregates of the profile page, suppressed exactly as shown."""
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    area = _area(request, code)
    form = PeriodForm(request.GET or None)
    refuse_invalid(form)
    start, end = _period(form)
    profile = district_profile(area, start=start, end=end)
    log_access(
        user=request.user, action=Action.EXPORT, purpose=Purpose.POLICY, detail=f"district profile {area.cbs_code}"
    )
    name = f"wijkprofiel-{area.cbs_code}-{start:%Y%m%d}-{end:%Y%m%d}"
    tables = profile.tables()
    figures = (
        [_("Figure"), _("Value"), _("Unit"), _("Municipality"), _("Source")],
        [[f.label, f.value, f.unit, f.municipality_value, f.provenance] for f in profile.figures],
    )
    if fmt == "csv":
        rows = [[sheet, *row] for sheet, (_header, body) in tables.items() for row in body]
        header = [_("Table"), *next(iter(tables.values()))[0]]
        return csv_response(f"{name}.csv", header, rows)
    return xlsx_response(f"{name}.xlsx", {_("Figures"): figures, **tables})


@insight_required
@require_GET
def area_scans(request: HttpRequest) -> HttpResponse:
    """The municipality's own area scans (Heerenveen: loneliness and more per village and district)."""
    municipality = _municipality(request)
    figures = Figure.objects.filter(region_kind=RegionKind.GEBIED, municipality_code=municipality.cbs_code)
    indicators = sorted({(f.indicator, f.label) for f in figures.only("indicator", "label")}, key=lambda i: i[1])
    chosen = request.GET.get("indicator") or next((i for i, label in indicators if "eenzaamheid" in i), "")
    rows = figures.filter(indicator=chosen).order_by("region_name")
    return render(
        request,
        "insights/area_scans.html",
        {"municipality": municipality, "indicators": indicators, "chosen": chosen, "rows": rows},
    )


# --- signals to policy ----------------------------------------------------------------------------

signal_roles_required = role_required(Role.SOCIAL_WORKER, Role.TEAM_LEADER, Role.POLICY_OFFICER)


@signal_roles_required
@require_GET
def signal_list(request: HttpRequest) -> HttpResponse:
    """The team leaders' meeting list, forwarded signals with their due dates (overdue first), answers."""
    signals = list(
        Signal.objects.visible_to(request.user)
        .select_related("team", "area", "theme", "policy_officer")
        .order_by("due_on", "-raised_at")
    )
    groups = {status: [s for s in signals if s.status == status] for status in SignalStatus}
    overdue = [s for s in groups[SignalStatus.FORWARDED] if s.overdue]
    return render(
        request,
        "insights/signal_list.html",
        {
            "meeting": groups[SignalStatus.RAISED],
            "forwarded": groups[SignalStatus.FORWARDED],
            "answered": groups[SignalStatus.ANSWERED],
            "overdue": overdue,
            "leads": bool(led_team_ids_of(request.user)),
        },
    )


@role_required(*CASEWORK_ROLES)
@require_http_methods(["GET", "POST"])
def signal_new(request: HttpRequest) -> HttpResponse:
    form = SignalForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        signal = signal_raise(by=request.user, **form.cleaned_data)
        messages.success(request, _("The signal is on the team leaders' list."))
        return redirect("insights:signal", pk=signal.pk)
    return render(request, "insights/signal_form.html", {"form": form}, status=400 if form.is_bound else 200)


@signal_roles_required
@require_http_methods(["GET", "POST"])
def signal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    signal = get_object_or_404(
        Signal.objects.visible_to(request.user).select_related("team", "area", "theme", "raised_by", "policy_officer"),
        pk=pk,
    )
    may_forward = signal.status == SignalStatus.RAISED and signal.team_id in led_team_ids_of(request.user)
    may_answer = signal.status == SignalStatus.FORWARDED and signal.policy_officer_id == request.user.pk
    forward = ForwardForm(
        request.POST if may_forward and request.method == "POST" else None, municipality_id=signal.team.municipality_id
    )
    answer = AnswerForm(request.POST if may_answer and request.method == "POST" else None)
    if request.method == "POST":
        if not (may_forward or may_answer):
            raise PermissionDenied
        try:
            if may_forward and forward.is_valid():
                signal_forward(
                    signal=signal,
                    by=request.user,
                    to=forward.cleaned_data["policy_officer"],
                    due_on=forward.cleaned_data["due_on"],
                    note=forward.cleaned_data["note"],
                )
                messages.success(request, _("The signal has been forwarded."))
                return redirect("insights:signal", pk=signal.pk)
            if may_answer and answer.is_valid():
                signal_answer(signal=signal, by=request.user, answer=answer.cleaned_data["answer"])
                messages.success(request, _("Your answer is visible to the team."))
                return redirect("insights:signal", pk=signal.pk)
        except ValidationError as error:
            attach_errors(forward if may_forward else answer, error)
    status = 400 if request.method == "POST" else 200
    signal_answer_read(signal=signal, by=request.user)
    context = {
        "signal": signal,
        "may_forward": may_forward,
        "may_answer": may_answer,
        "forward": forward,
        "answer": answer,
    }
    return render(request, "insights/signal_detail.html", context, status=status)


# --- neighbourhood initiatives ----------------------------------------------------------------------


def _reach(initiative: Initiative, user, participants: int) -> object:
    """The team that runs the initiative sees the number; everyone else a protected count."""
    return initiative_reach(initiative, participants, own_team=initiative.team_id in team_ids_of(user))


@signal_roles_required
@require_GET
def initiative_list(request: HttpRequest) -> HttpResponse:
    municipality = _municipality(request)
    initiatives = Initiative.objects.filter(team__municipality=municipality).select_related(
        "provision", "area", "theme", "team"
    )
    # A sum over expenses and a count of participants in one query would multiply each other.
    reach = dict(
        InitiativeParticipant.objects.filter(initiative__in=initiatives)
        .values("initiative")
        .annotate(n=DbCount("pk"))
        .values_list("initiative", "n")
    )
    spent = dict(
        InitiativeExpense.objects.filter(initiative__in=initiatives)
        .values("initiative")
        .annotate(total=Sum("amount"))
        .values_list("initiative", "total")
    )
    rows = [
        (i, spent.get(i.pk, Decimal(0)), _reach(i, request.user, reach.get(i.pk, 0)))
        for i in initiatives.order_by("-started_on")
    ]
    return render(
        request,
        "insights/initiative_list.html",
        {"rows": rows, "may_start": bool(led_team_ids_of(request.user))},
    )


@role_required(Role.TEAM_LEADER)
@require_http_methods(["GET", "POST"])
def initiative_new(request: HttpRequest) -> HttpResponse:
    """Start an initiative; from the district profile the district, theme and team come filled in
    (``?wijk=<CBS code>&thema=<life domain code>&team=<pk>``)."""
    form = InitiativeForm(request.POST or None, user=request.user, prefill=request.GET)
    if request.method == "POST" and form.is_valid():
        try:
            initiative = initiative_start(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The initiative is in the sociale kaart."))
            return redirect("insights:initiative", pk=initiative.pk)
    return render(request, "insights/initiative_form.html", {"form": form}, status=400 if form.is_bound else 200)


@signal_roles_required
@require_http_methods(["GET", "POST"])
def initiative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_object_or_404(
        Initiative.objects.select_related("provision", "area", "theme", "team"),
        pk=pk,
        team__municipality=_municipality(request),
    )
    leads = initiative.team_id in led_team_ids_of(request.user)
    member = initiative.team_id in team_ids_of(request.user)
    action = request.POST.get("action") if request.method == "POST" else None
    expense = ExpenseForm(request.POST if action == "expense" else None, initial={"spent_on": timezone.localdate()})
    evaluation = EvaluationForm(
        request.POST if action == "evaluation" else None,
        initial={"evaluation": initiative.evaluation, "evaluated_on": initiative.evaluated_on or timezone.localdate()},
    )
    join = JoinForm(request.POST if action == "join" else None)
    search = HouseholdSearchForm(initiative=initiative, leads=leads) if member else None
    if action:
        if (action in {"expense", "evaluation"} and not leads) or (action == "join" and not member):
            raise PermissionDenied
        done = _initiative_action(request, initiative, action, expense, evaluation, join)
        if done:
            return redirect("insights:initiative", pk=initiative.pk)
    expenses = list(initiative.expenses.all())
    spent = sum((e.amount for e in expenses), Decimal(0))
    context = {
        "initiative": initiative,
        "expenses": expenses,
        "spent": spent,
        "remaining": initiative.budget - spent,
        "reach": _reach(initiative, request.user, initiative.participants.count()),
        "prevention": prevention_estimate(spent),
        "leads": leads,
        "member": member,
        "expense": expense,
        "evaluation": evaluation,
        "join": join,
        "search": search,
    }
    return render(request, "insights/initiative_detail.html", context, status=400 if action else 200)


def _initiative_action(request, initiative, action, expense, evaluation, join) -> bool:
    try:
        if action == "expense" and expense.is_valid():
            initiative_spend(initiative=initiative, by=request.user, **expense.cleaned_data)
            messages.success(request, _("The expense has been recorded."))
            return True
        if action == "evaluation" and evaluation.is_valid():
            initiative_evaluate(initiative=initiative, by=request.user, **evaluation.cleaned_data)
            messages.success(request, _("The evaluation has been saved."))
            return True
        if action == "join" and join.is_valid():
            case = (
                Case.objects.visible_to(request.user).filter(reference=join.cleaned_data["reference"].strip()).first()
            )
            if case is None:
                join.add_error("reference", _("No case of yours has this reference."))
                return False
            household = get_household_for(request.user, case.household_id, purpose=Purpose.CASEWORK)
            initiative_join(
                initiative=initiative, by=request.user, household=household, joined_on=timezone.localdate()
            )
            messages.success(request, _("The household takes part."))
            return True
    except ValidationError as error:
        attach_errors({"expense": expense, "evaluation": evaluation, "join": join}[action], error)
    return False


HOUSEHOLD_RESULTS = 25


@role_required(*CASEWORK_ROLES)
@require_GET
def initiative_households(request: HttpRequest, pk: int) -> HttpResponse:
    """The households that may join (an HTMX fragment of the initiative page), by name or case
    reference as they type. For the initiative's team only. Its leader searches the team's open
    cases and may ask for every one of a district or with a life domain; any other member searches
    only the cases they may open in full (``cases.access.may_open_visibility``, the gate's rule): a list by
    life domain tells more than the minimal card."""
    initiative = get_object_or_404(
        Initiative.objects.select_related("area", "theme"), pk=pk, team__municipality=_municipality(request)
    )
    if initiative.team_id not in team_ids_of(request.user):
        raise PermissionDenied
    leads = initiative.team_id in led_team_ids_of(request.user)
    form = HouseholdSearchForm(request.GET, initiative=initiative, leads=leads)
    refuse_invalid(form)
    data = form.cleaned_data
    cases = Case.objects.visible_to(request.user).open().filter(team_id=initiative.team_id)
    if not leads:
        cases = cases.filter(may_open_visibility(request.user))
    text = normalise_text(data["q"] or "")
    if text:
        cases = cases.filter(Q(reference__icontains=text) | Q(resident__search_text__contains=text))
    if data.get("wijk") is not None:
        cases = cases.filter(household__area=data["wijk"])
    if data.get("thema") is not None:
        cases = cases.filter(life_domains=data["thema"])
    found = list(
        cases.select_related("resident", "household__area")
        .order_by("resident__geslachtsnaam", "pk")
        .distinct()[: HOUSEHOLD_RESULTS + 1]
    )
    joined = set(initiative.participants.values_list("household_id", flat=True))
    log_access(user=request.user, action=Action.SEARCH, purpose=Purpose.CASEWORK, detail="initiative households")
    return render(
        request,
        "insights/_household_results.html",
        {
            "initiative": initiative,
            "cases": found[:HOUSEHOLD_RESULTS],
            "more": len(found) > HOUSEHOLD_RESULTS,
            "joined": joined,
            "searched": bool(text or data.get("wijk") or data.get("thema")),
        },
    )


# --- the map --------------------------------------------------------------------------------------


@insight_required
@require_GET
def district_map(request: HttpRequest) -> HttpResponse:
    """Districts coloured by a chosen figure, with the same figures in a data table."""
    municipality = _municipality(request)
    form = PeriodForm(request.GET or None)
    start, end = _period(form)
    figure, values = map_values(municipality, request.GET.get("cijfer", ""), start=start, end=end)
    outlines = (
        AreaBoundary.objects.filter(area__municipality=municipality).exists()
        or PostcodeArea.objects.filter(area__municipality=municipality).exists()
    )
    context = {"figures": MAP_FIGURES, "figure": figure, "values": values, "start": start, "end": end, "form": form}
    return render(
        request, "insights/district_map.html", {**context, "outlines": outlines}, status=400 if form.refused else 200
    )


@insight_required
@require_GET
def district_map_data(request: HttpRequest) -> JsonResponse:
    """GeoJSON of the districts (CBS/PDOK generalised boundaries) with the chosen figure."""
    municipality = _municipality(request)
    form = PeriodForm(request.GET or None)
    refuse_invalid(form)
    start, end = _period(form)
    figure, values = map_values(municipality, request.GET.get("cijfer", ""), start=start, end=end)
    boundaries = {b.area_id: b for b in AreaBoundary.objects.filter(area__municipality=municipality)}
    # A postcode area counts for the district that holds the largest share of it.
    largest: dict[str, PostcodeArea] = {}
    for mapping in PostcodeArea.objects.filter(area__municipality=municipality).order_by("postcode4", "-share"):
        largest.setdefault(mapping.postcode4, mapping)
    features, sources = [], set()
    for item in values:
        if item.area.pk in boundaries:
            geometry = boundaries[item.area.pk].geometry
            sources.add(boundaries[item.area.pk].source)
        else:
            geometry = postcode_outline(item.area, list(largest.values()))
            if geometry is None:
                continue
            sources.add(PC4_GEO_SOURCE)
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "code": item.area.cbs_code,
                    "name": item.area.name,
                    "value": float(item.value) if item.value is not None else None,
                    "text": item.text,
                    "url": reverse("insights:district", args=[item.area.cbs_code]),
                    "outline": "district" if item.area.pk in boundaries else "postcode areas",
                },
            }
        )
    sources = sorted(sources)
    return JsonResponse(
        {
            "type": "FeatureCollection",
            "features": features,
            "figure": str(figure.label),
            "attribution": "; ".join(sources),
        }
    )


# --- management information -------------------------------------------------------------------------


@role_required(Role.POLICY_OFFICER, Role.TEAM_LEADER)
@require_GET
def management(request: HttpRequest) -> HttpResponse:
    municipality = _municipality(request)
    form = ManagementFilterForm(request.GET or None, municipality=municipality)
    filters = form.filters(municipality, user=request.user)
    leader = request.user if request.user.role == Role.TEAM_LEADER else None
    tables = management_report(filters, per_professional_for=leader)
    return render(
        request,
        "insights/management.html",
        {"form": form, "tables": tables, "filters": filters},
        status=400 if form.refused else 200,
    )


@role_required(Role.POLICY_OFFICER, Role.TEAM_LEADER)
@require_GET
def management_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The same tables as the page, protected as on the page; never the caseload per professional."""
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    municipality = _municipality(request)
    form = ManagementFilterForm(request.GET or None, municipality=municipality)
    refuse_invalid(form)
    filters = form.filters(municipality, user=request.user)
    tables = management_report(filters)
    log_access(user=request.user, action=Action.EXPORT, purpose=Purpose.POLICY, detail="management information")
    name = f"managementinformatie-{filters.start:%Y%m%d}-{filters.end:%Y%m%d}"
    if fmt == "csv":
        width = max(len(t.header) for t in tables)
        rows = [[t.title, *row] for t in tables for row in [t.header, *t.rows]]
        return csv_response(f"{name}.csv", [_("Table"), *[""] * width], rows)
    return xlsx_response(f"{name}.xlsx", {t.sheet: (t.header, t.rows) for t in tables})
