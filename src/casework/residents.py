from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import casework_required
from cases.access import (
    get_household_for,
    get_network_member_for,
    get_resident_for,
    may_open,
    may_open_household,
    visible_residents,
)
from cases.models import Case
from cases.queue import where_it_went
from casework.services import resident_change
from people.brp import client as brp_client
from people.brp import household as household_brp
from people.brp.client import BrpUnavailable
from people.brp.fill import differences, fill_from_brp
from people.forms import (
    ConsentRecordForm,
    ConsentWithdrawForm,
    MemberForm,
    NetworkMemberChangeForm,
    NetworkMemberForm,
    ResidentChangeForm,
    ResidentForm,
    SearchForm,
)
from people.models import Household, NetworkMember, Relation, Resident
from people.search import search_residents
from people.services import (
    household_add_member,
    household_add_members,
    network_member_add,
    network_member_update,
    resident_register,
)
from privacy.models import Action, Consent, Purpose
from privacy.services import consent_withdraw as withdraw
from privacy.services import consents_record, log_access
from wijkteam.forms import attach_errors


@casework_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results: list[Resident] = []
    searched = False
    if form.is_valid() and form.cleaned_data["q"].strip():
        results, parsed = search_residents(visible_residents(request.user), form.cleaned_data["q"])
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
        visible_residents(user).filter(pk__in=[r.pk for r in form.duplicates]).values_list("pk", flat=True)
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


def _brp_filled(request: HttpRequest, form_class, context: dict) -> HttpResponse | None:
    """The form again, filled from the BRP, when "Look up in the BRP" was pressed (people.brp.fill)."""
    if "brp" not in request.POST and "brp_pick" not in request.POST:
        return None
    filled = fill_from_brp(request.POST, request.user)
    form = form_class(initial=filled.data, user=request.user)
    return render(
        request,
        "people/_resident_fields.html" if request.headers.get("HX-Request") else "people/resident_form.html",
        {
            **context,
            "form": form,
            "brp_message": filled.message,
            "brp_ok": filled.ok,
            "brp_choices": filled.choices,
        },
    )


@casework_required
@require_http_methods(["GET", "POST"])
def resident_new(request: HttpRequest) -> HttpResponse:
    filled = _brp_filled(request, ResidentForm, {"title": _("Register a resident")})
    if filled is not None:
        return filled
    form = ResidentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        resident = _register(form, lambda data: resident_register(by=request.user, **data))
        if resident is not None:
            household = resident.memberships.select_related("household__area", "household__team").get().household
            messages.success(
                request,
                _("%(name)s has been registered. %(where)s")
                % {"name": resident.display_name, "where": where_it_went(household)},
            )
            if resident.bsn and resident.postcode and resident.huisnummer and brp_client.configured():
                # Registered as the BRP knows them: next, who else lives there (a lookup of its own).
                return redirect("people:housemates", pk=household.pk)
            return redirect("people:household", pk=household.pk)
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
        request.user, pk, purpose=Purpose.CASEWORK, queryset=Household.objects.select_related("area", "team")
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
    valid_consents = (
        Consent.objects.filter(resident__in=[m.resident for m in members]).valid_on(timezone.localdate()).count()
        if dossier
        else None
    )
    return render(
        request,
        "people/household_detail.html",
        {
            "household": household,
            "members": members,
            "network": network,
            "cases": cases,
            "dossier": dossier,
            "valid_consents": valid_consents,
            "where": where_it_went(household),
        },
    )


@casework_required
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_household_for(request.user, pk, purpose=Purpose.CASEWORK)
    title = _("Add a member to %(household)s") % {"household": household.label}
    filled = _brp_filled(request, MemberForm, {"title": title, "household": household})
    if filled is not None:
        return filled
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


RELATIONS = [(value, label) for value, label in Relation.choices if value != Relation.MAIN]


@casework_required
@require_http_methods(["GET", "POST"])
def housemates(request: HttpRequest, pk: int) -> HttpResponse:
    """Who lives at the household's address according to the BRP (``people.brp.household``), to add
    to the household in one step. Looking up is a deliberate step (a button): every lookup is in the
    access log with its purpose."""
    household = get_household_for(request.user, pk, purpose=Purpose.CASEWORK)
    found, message = None, ""
    if request.method == "POST" and not brp_client.configured():
        message = _("No BRP is connected: add the members by hand.")
    elif request.method == "POST":
        try:
            if "add" in request.POST:
                relations = dict(RELATIONS)
                chosen = {
                    bsn: request.POST.get(f"relation_{bsn}")
                    if request.POST.get(f"relation_{bsn}") in relations
                    else Relation.OTHER
                    for bsn in request.POST.getlist("bsn")
                }
                members = household_brp.to_add(household=household, chosen=chosen, user=request.user)
                if members:
                    added = household_add_members(household=household, members=members)
                    messages.success(
                        request,
                        ngettext(
                            "%(count)s member has been added from the BRP.",
                            "%(count)s members have been added from the BRP.",
                            len(added),
                        )
                        % {"count": len(added)},
                    )
                    return redirect("people:household", pk=household.pk)
                message = _("Choose who to add to the household.")
            found = household_brp.housemates(household=household, user=request.user)
        except BrpUnavailable:
            message = _("The BRP does not answer now. Add the members by hand; you can look them up later.")
        except ValidationError as error:
            message = " ".join(error.messages)
            found = None
    return render(
        request,
        "people/housemates.html",
        {
            "household": household,
            "main": household_brp.main_person(household),
            "found": found,
            "message": message,
            "relations": RELATIONS,
        },
        status=400 if message and request.method == "POST" and "add" in request.POST else 200,
    )


def _network_of(request: HttpRequest, resident_id: int) -> tuple[Resident, int]:
    """The resident whose network is shown or changed, and their household. The network is dossier:
    for who may open the household's dossier (the page we return to)."""
    resident = get_resident_for(request.user, resident_id, purpose=Purpose.CASEWORK)
    household_id = resident.memberships.values_list("household_id", flat=True).first()
    get_household_for(request.user, household_id, purpose=Purpose.CASEWORK, dossier=True)
    return resident, household_id


@casework_required
@require_http_methods(["GET", "POST"])
def network_add(request: HttpRequest, pk: int) -> HttpResponse:
    resident, household_id = _network_of(request, pk)
    form = NetworkMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        network_member_add(resident=resident, **form.cleaned_data)
        messages.success(request, _("The network member has been added."))
        return redirect("people:household", pk=household_id)
    return render(request, "people/network_form.html", {"form": form, "resident": resident})


def change_resident(request: HttpRequest, resident: Resident, *, rectification: bool, done: str) -> HttpResponse:
    """The form that changes (or, for the privacy officer, corrects) a resident's personal data,
    shared by the social worker's page and the privacy officer's."""
    if "brp" in request.POST:  # refresh from the BRP: the form filled with its data, what changes shown
        filled = fill_from_brp({"bsn": request.POST.get("bsn") or resident.bsn}, request.user)
        data = {k: v for k, v in filled.data.items() if k != "bsn"} if filled.ok else {}
        form = ResidentChangeForm(instance=resident, initial=data, user=request.user, rectification=rectification)
        return render(
            request,
            "people/_resident_fields.html" if request.headers.get("HX-Request") else "people/resident_form.html",
            {
                "form": form,
                "cancel_url": done,
                "title": _("Change the data of %(name)s") % {"name": resident.display_name},
                "brp_message": filled.message,
                "brp_ok": filled.ok,
                "brp_changes": differences(resident, data) if data else None,
            },
        )
    form = ResidentChangeForm(request.POST or None, instance=resident, user=request.user, rectification=rectification)
    if request.method == "POST" and form.is_valid():
        changed = _register(form, lambda data: resident_change(resident=resident, by=request.user, **form.changes()))
        if changed is not None:
            if not visible_residents(request.user).filter(pk=changed.pk).exists():
                # Moved to another team's district: say where it went, never send to a 404.
                household = changed.memberships.select_related("household__area", "household__team").first()
                messages.success(
                    request,
                    _("The changes have been saved and kept in the history. %(where)s")
                    % {"where": where_it_went(household.household) if household else ""},
                )
                return redirect("people:search")
            messages.success(request, _("The changes have been saved and kept in the history."))
            return redirect(done)
    duplicates, hidden = _visible_duplicates(request.user, form)
    return render(
        request,
        "people/resident_form.html",
        {
            "form": form,
            "duplicates": duplicates,
            "hidden_duplicates": hidden,
            "cancel_url": done,
            "title": _("Correct the data of %(name)s") % {"name": resident.display_name}
            if rectification
            else _("Change the data of %(name)s") % {"name": resident.display_name},
        },
        status=400 if form.errors else 200,
    )


@casework_required
@require_http_methods(["GET", "POST"])
def resident_edit(request: HttpRequest, pk: int) -> HttpResponse:
    resident = get_resident_for(request.user, pk, purpose=Purpose.CASEWORK)
    household_id = resident.memberships.values_list("household_id", flat=True).first()
    done = reverse("people:household", args=[household_id]) if household_id else reverse("people:search")
    return change_resident(request, resident, rectification=False, done=done)


@casework_required
@require_http_methods(["GET", "POST"])
def network_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change someone in a resident's network (a new phone number, what they do now)."""
    member = get_network_member_for(request.user, pk)
    resident, household_id = _network_of(request, member.resident_id)
    form = NetworkMemberChangeForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            network_member_update(member=member, by=request.user, **form.changes())
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The changes have been saved and kept in the history."))
            return redirect("people:household", pk=household_id)
    return render(
        request,
        "people/network_form.html",
        {
            "form": form,
            "resident": resident,
            "member": member,
            "cancel_url": reverse("people:household", args=[household_id]),
        },
        status=400 if form.errors else 200,
    )


# ---------------------------------------------------------------------------------------------
# Consent to share (kept apart from the legal basis: docs/privacy.md)


def _consent_page(request: HttpRequest, household: Household, **forms) -> HttpResponse:
    members = list(household.members.select_related("resident"))
    consents = list(
        Consent.objects.filter(resident__in=[m.resident for m in members])
        .select_related("resident", "organisation", "recorded_by", "withdrawn_by")
        .order_by("-given_on", "-pk")
    )
    municipality_id = household.area.municipality_id if household.area_id else request.user.municipality_id
    form = forms.get("form") or ConsentRecordForm(members=members, municipality_id=municipality_id)
    today = timezone.localdate()
    return render(
        request,
        "people/consents.html",
        {
            "household": household,
            "consents": [
                (
                    c,
                    c.status_on(today),
                    forms["withdraw_form"] if forms.get("withdraw_pk") == c.pk else ConsentWithdrawForm(consent=c),
                )
                for c in consents
            ],
            "form": form,
            "withdraw_pk": forms.get("withdraw_pk"),
        },
        status=400 if forms else 200,
    )


@casework_required
@require_http_methods(["GET", "POST"])
def consents(request: HttpRequest, pk: int) -> HttpResponse:
    """The household's consents to share: valid, expired and withdrawn; and a new one."""
    household = get_household_for(
        request.user, pk, purpose=Purpose.CASEWORK, queryset=Household.objects.select_related("area"), dossier=True
    )
    if request.method == "GET":
        return _consent_page(request, household)
    members = list(household.members.select_related("resident"))
    municipality_id = household.area.municipality_id if household.area_id else request.user.municipality_id
    form = ConsentRecordForm(request.POST, members=members, municipality_id=municipality_id)
    if form.is_valid():
        try:
            data = form.cleaned_data
            recorded = consents_record(organisations=data.pop("organisation"), by=request.user, **data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "The consent has been recorded.",
                    "The consent has been recorded for %(count)d organisations.",
                    len(recorded),
                )
                % {"count": len(recorded)},
            )
            return redirect("people:consents", pk=household.pk)
    return _consent_page(request, household, form=form)


@casework_required
@require_POST
def consent_withdraw(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    household = get_household_for(
        request.user, pk, purpose=Purpose.CASEWORK, queryset=Household.objects.select_related("area"), dossier=True
    )
    consent = Consent.objects.filter(pk=consent_pk, resident__memberships__household=household).first()
    if consent is None:
        raise Http404
    form = ConsentWithdrawForm(request.POST, consent=consent)
    if form.is_valid():
        try:
            withdraw(consent=consent, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("The consent to share with %(organisation)s has been withdrawn.")
                % {"organisation": consent.organisation},
            )
            return redirect("people:consents", pk=household.pk)
    return _consent_page(request, household, withdraw_form=form, withdraw_pk=consent.pk)
