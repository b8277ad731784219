"""The sociale kaart: search by need and area (for professionals, optionally for one case with a
referral button), the public page of general provisions, the providers with their contracts,
and the follow-up of referrals."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import casework_required, role_required
from accounts.models import Role
from areas.models import Municipality
from cases.access import check_may_open, get_case_for
from partners.models import Organisation, OrganisationKind
from privacy.models import Purpose
from wijkteam.exports import csv_response, xlsx_response

from . import catalogue, services
from .forms import CatalogueImportForm, OutcomeForm, ProvisionSearchForm, ReferForm
from .models import Contract, Provision, ProvisionKind, ProvisionReferral, ReferralOutcome

PUBLIC_KINDS = (ProvisionKind.ALGEMEEN, ProvisionKind.COLLECTIEF)


def _search(form: ProvisionSearchForm, municipality: Municipality, kinds=None) -> list[Provision]:
    data = form.cleaned_data if form.is_valid() else {}
    found = services.provision_search(
        municipality=municipality,
        text=data.get("q", ""),
        life_domains=[data["domain"]] if data.get("domain") else [],
        area=data.get("area"),
        kind=data.get("kind") or None,
    )
    if kinds:
        found = found.filter(kind__in=kinds)
    return list(
        found.prefetch_related(
            "life_domains",
            "areas",
            Prefetch("contracts", queryset=Contract.objects.select_related("provider").order_by("provider__name")),
        )[:200]
    )


@login_required
@require_GET
def social_map(request: HttpRequest) -> HttpResponse:
    """Search the social map by need and area. With ``?zaak=<pk>`` the search is for one case:
    the case's district is preselected and general provisions get a referral button."""
    case = None
    if request.GET.get("zaak") and request.user.does_casework:
        case = get_case_for(request.user, request.GET["zaak"], purpose=Purpose.CASEWORK)
    municipality = case.team.municipality if case else request.user.municipality
    data = request.GET.copy()
    if case is not None and "area" not in data and case.household.area_id:
        data["area"] = str(case.household.area_id)
    form = ProvisionSearchForm(data, municipality=municipality)
    results = _search(form, municipality) if municipality else []
    context = {"form": form, "results": results, "case": case, "municipality": municipality}
    if request.headers.get("HX-Request"):
        return render(request, "provisions/_results.html", context)
    return render(request, "provisions/social_map.html", context)


@require_GET
def public_provisions(request: HttpRequest) -> HttpResponse:
    """For residents, without signing in: the general provisions and neighbourhood initiatives."""
    municipalities = list(Municipality.objects.filter(provisions__kind__in=PUBLIC_KINDS).distinct().order_by("name"))
    code = request.GET.get("gemeente", "")
    municipality = next(
        (m for m in municipalities if m.cbs_code == code), municipalities[0] if municipalities else None
    )
    form = ProvisionSearchForm(request.GET, municipality=municipality, public=True)
    results = _search(form, municipality, kinds=PUBLIC_KINDS) if municipality else []
    context = {"form": form, "results": results, "municipality": municipality, "municipalities": municipalities}
    if request.headers.get("HX-Request"):
        return render(request, "provisions/_results.html", {**context, "public": True})
    return render(request, "provisions/public.html", {**context, "public": True})


@login_required
@require_GET
def providers(request: HttpRequest) -> HttpResponse:
    """Providers with their AGB code and contracts, and how the municipality buys (keuze- or
    consortiummodel)."""
    municipality = request.user.municipality
    rows = (
        list(
            Organisation.objects.filter(municipality=municipality, kind=OrganisationKind.AANBIEDER)
            .prefetch_related(
                Prefetch(
                    "contracts", queryset=Contract.objects.select_related("provision").order_by("provision__name")
                )
            )
            .order_by("name")
        )
        if municipality
        else []
    )
    return render(request, "provisions/providers.html", {"providers": rows, "municipality": municipality})


@casework_required
@require_http_methods(["GET", "POST"])
def refer(request: HttpRequest, case_pk: int, provision_pk: int) -> HttpResponse:
    """A warm hand-over of the case's resident to a general provision."""
    case = get_case_for(request.user, case_pk, purpose=Purpose.CASEWORK)
    provision = get_object_or_404(
        Provision.objects.active().filter(municipality=case.team.municipality, kind__in=PUBLIC_KINDS), pk=provision_pk
    )
    form = ReferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.provision_refer(provision=provision, case=case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Referred to %(provision)s.") % {"provision": provision.name})
            return redirect("cases:detail", pk=case.pk)
    return render(
        request,
        "provisions/refer.html",
        {"case": case, "provision": provision, "form": form},
        status=400 if form.errors else 200,
    )


@casework_required
@require_GET
def follow_ups(request: HttpRequest) -> HttpResponse:
    """My referrals whose follow-up question is still open, the earliest first."""
    referrals = list(
        ProvisionReferral.objects.visible_to(request.user)
        .filter(by=request.user, outcome=ReferralOutcome.PENDING)
        .select_related("provision", "resident", "case")
        .order_by("follow_up_on", "referred_at")[:200]
    )
    return render(
        request,
        "provisions/follow_ups.html",
        {"referrals": referrals, "today": timezone.localdate(), "form": OutcomeForm()},
    )


@casework_required
@require_POST
def record_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_object_or_404(ProvisionReferral.objects.visible_to(request.user).select_related("case"), pk=pk)
    if referral.by_id != request.user.pk and referral.case is not None:
        check_may_open(request.user, referral.case, purpose=Purpose.CASEWORK)  # the outcome goes into the dossier
    form = OutcomeForm(request.POST)
    if form.is_valid():
        services.referral_record_outcome(
            referral=referral, by=request.user, outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"]
        )
        messages.success(request, _("Saved: %(provision)s.") % {"provision": referral.provision.name})
    else:
        messages.error(request, _("Choose whether it worked."))
    return redirect("provisions:follow_ups")


administrator_required = role_required(Role.ADMINISTRATOR)


@administrator_required
@require_http_methods(["GET", "POST"])
def catalogue_admin(request: HttpRequest) -> HttpResponse:
    """Export the social map, or import a changed CSV/XLSX (all rows or none)."""
    municipality = request.user.municipality
    form = CatalogueImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid() and municipality is not None:
        upload = form.cleaned_data["file"]
        try:
            rows = catalogue.read_table(upload.read(), upload.name)
            result = catalogue.catalogue_import(municipality=municipality, rows=rows)
        except ValidationError as error:
            errors = list(error.messages)
        else:
            messages.success(
                request,
                _("Imported: %(created)s new, %(updated)s changed.")
                % {"created": result.created, "updated": result.updated},
            )
            return redirect("provisions:catalogue")
    return render(
        request,
        "provisions/catalogue.html",
        {"form": form, "errors": errors, "municipality": municipality},
        status=400 if errors else 200,
    )


@administrator_required
@require_GET
def catalogue_export(request: HttpRequest, fmt: str) -> HttpResponse:
    municipality = request.user.municipality
    rows = catalogue.catalogue_rows(municipality) if municipality else []
    if fmt == "xlsx":
        return xlsx_response("sociale-kaart.xlsx", {"Sociale kaart": (catalogue.COLUMNS, rows)})
    return csv_response("sociale-kaart.csv", catalogue.COLUMNS, rows)
