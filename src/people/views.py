from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import casework_required
from cases.models import Case
from privacy.access import get_household_for, get_resident_for, log_access, may_open, may_open_household
from privacy.models import Action, Purpose

from .forms import MemberForm, NetworkMemberForm, ResidentForm, SearchForm
from .models import Household, NetworkMember, Resident
from .search import search_residents
from .services import household_add_member, network_member_add, resident_register


@casework_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results: list[Resident] = []
    searched = False
    if form.is_valid() and form.cleaned_data["q"].strip():
        results, parsed = search_residents(request.user, form.cleaned_data["q"])
        searched = not parsed.empty
        if searched:
            log_access(
                user=request.user,
                action=Action.SEARCH,
                purpose=Purpose.SEARCH,
                detail=f"{parsed.kind}: {len(results)}",
            )
    context = {"form": form, "results": results, "searched": searched}
    if request.headers.get("HX-Request"):
        return render(request, "people/_search_results.html", context)
    return render(request, "people/search.html", context)


def _visible_duplicates(user, form: ResidentForm) -> tuple[list[Resident], bool]:
    visible_ids = set(
        Resident.objects.visible_to(user).filter(pk__in=[r.pk for r in form.duplicates]).values_list("pk", flat=True)
    )
    shown = [r for r in form.duplicates if r.pk in visible_ids]
    return shown, len(shown) < len(form.duplicates)


def _register(form: ResidentForm, create) -> HttpResponse | None:
    """Run ``create`` with the form's data; map a model error back to the form."""
    data = {k: v for k, v in form.cleaned_data.items() if k not in {"confirm_different"}}
    try:
        return create(data)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return None


@casework_required
@require_http_methods(["GET", "POST"])
def resident_new(request: HttpRequest) -> HttpResponse:
    form = ResidentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        resident = _register(form, lambda data: resident_register(**data))
        if resident is not None:
            messages.success(request, _("%(name)s has been registered.") % {"name": resident.display_name})
            return redirect("people:household", pk=resident.memberships.get().household_id)
    duplicates, hidden = _visible_duplicates(request.user, form)
    return render(
        request,
        "people/resident_form.html",
        {"form": form, "duplicates": duplicates, "hidden_duplicates": hidden, "title": _("Register a resident")},
    )


@casework_required
@require_GET
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_household_for(
        request.user, pk, purpose=Purpose.CASEWORK, queryset=Household.objects.select_related("area")
    )
    members = list(household.members.select_related("resident").order_by("relation", "resident__birth_date"))
    cases = list(
        Case.objects.visible_to(request.user)
        .filter(household=household)
        .select_related("team", "regisseur", "resident")
        .order_by("-opened_at")
    )
    for case in cases:
        case.opens = may_open(request.user, case)
    # Who lives here and which cases there are is for every team member; the network is dossier.
    dossier = may_open_household(request.user, household, cases)
    network = (
        NetworkMember.objects.filter(resident__memberships__household=household).select_related("resident")
        if dossier
        else None
    )
    return render(
        request,
        "people/household_detail.html",
        {"household": household, "members": members, "network": network, "cases": cases, "dossier": dossier},
    )


@casework_required
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_household_for(request.user, pk, purpose=Purpose.CASEWORK)
    form = MemberForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        member = _register(form, lambda data: household_add_member(household=household, **data))
        if member is not None:
            messages.success(request, _("%(name)s has been added.") % {"name": member.resident.display_name})
            return redirect("people:household", pk=household.pk)
    duplicates, hidden = _visible_duplicates(request.user, form)
    return render(
        request,
        "people/resident_form.html",
        {
            "form": form,
            "household": household,
            "duplicates": duplicates,
            "hidden_duplicates": hidden,
            "title": _("Add a member to %(household)s") % {"household": household.label},
        },
    )


@casework_required
@require_http_methods(["GET", "POST"])
def network_add(request: HttpRequest, pk: int) -> HttpResponse:
    resident = get_resident_for(request.user, pk, purpose=Purpose.CASEWORK)
    # The network is dossier: for who may open the household's dossier (the page we return to).
    household_id = resident.memberships.values_list("household_id", flat=True).first()
    get_household_for(request.user, household_id, purpose=Purpose.CASEWORK, dossier=True)
    form = NetworkMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        network_member_add(resident=resident, **form.cleaned_data)
        messages.success(request, _("The network member has been added."))
        return redirect("people:household", pk=household_id)
    return render(request, "people/network_form.html", {"form": form, "resident": resident})
