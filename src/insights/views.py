"""Neighbourhood profiles: published figures beside anonymous, suppressed case aggregates."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.decorators import role_required
from accounts.models import Role
from areas.models import Area
from privacy.access import log_access
from privacy.models import Action, Purpose
from wijkteam.exports import csv_response, xlsx_response

from .aggregates import district_overview, district_profile
from .forms import PeriodForm
from .models import Figure, RegionKind

INSIGHT_ROLES = (Role.POLICY_OFFICER, Role.TEAM_LEADER, Role.SOCIAL_WORKER)
insight_required = role_required(*INSIGHT_ROLES)


def _municipality(request: HttpRequest):
    if request.user.municipality_id is None:
        raise Http404
    return request.user.municipality


@insight_required
@require_GET
def district_index(request: HttpRequest) -> HttpResponse:
    municipality = _municipality(request)
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    lines = district_overview(municipality, start=start, end=end)
    scans = Figure.objects.filter(region_kind=RegionKind.GEBIED, municipality_code=municipality.cbs_code).exists()
    return render(
        request,
        "insights/district_index.html",
        {"municipality": municipality, "form": form, "lines": lines, "start": start, "end": end, "scans": scans},
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
    start, end = form.period()
    profile = district_profile(area, start=start, end=end)
    return render(request, "insights/district_detail.html", {"profile": profile, "area": area, "form": form})


@insight_required
@require_GET
def district_export(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The aggregates of the profile page, suppressed exactly as shown."""
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    area = _area(request, code)
    start, end = PeriodForm(request.GET or None).period()
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
