"""Functional administration in the application (not the Django admin): the administrator (role
``functioneel_beheerder``) manages their own municipality only. Other roles get 403; a record of another
municipality is 404, as if it did not exist. Every write goes through ``administration.services`` and
lands in the history of changes, shown beside the record."""

from copy import copy
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.forms import ModelForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.models import Role, User
from areas.models import AreaChange, Municipality
from partners.models import PartnerContact
from privacy.history import EMPTY, field_label, shown
from privacy.models import FieldChange
from wijkteam.forms import attach_errors

from . import services
from .forms import (
    BudgetForm,
    ContactForm,
    MoveForm,
    MunicipalityForm,
    OrganisationForm,
    TeamForm,
    UserForm,
    UserSearchForm,
)

administrator_required = role_required(Role.ADMINISTRATOR)


def _municipality(request: HttpRequest) -> Municipality:
    if request.user.municipality_id is None:
        raise Http404
    return request.user.municipality


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    new: str
    form: type[ModelForm]
    columns: tuple[str, ...]

    def records(self, municipality: Municipality) -> models.QuerySet:
        model = self.form._meta.model
        if model is PartnerContact:
            return model.objects.filter(organisation__municipality=municipality).select_related("organisation")
        return model.objects.filter(municipality=municipality)


SECTIONS = {
    s.slug: s
    for s in (
        Section("teams", _("Teams"), _("New team"), TeamForm, ("name", "areas", "phone")),
        Section(
            "organisaties",
            _("Partner organisations"),
            _("New partner organisation"),
            OrganisationForm,
            ("name", "kind", "active"),
        ),
        Section(
            "smoelenboek",
            _("Who is who (smoelenboek)"),
            _("New entry"),
            ContactForm,
            ("name", "role", "organisation", "active"),
        ),
        Section("budgetten", _("Budgets"), _("New budget"), BudgetForm, ("year", "provision", "amount")),
    )
}


def _cell(record: models.Model, name: str) -> str:
    field = record._meta.get_field(name)
    if field.many_to_many:
        return ", ".join(str(item) for item in getattr(record, name).all()) or EMPTY
    if field.choices:
        return str(getattr(record, f"get_{name}_display")())
    value = getattr(record, name)
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if value is None or value == "":
        return gettext("all provisions") if name == "provision" else EMPTY
    return str(value)


def _history(record: models.Model) -> list[dict]:
    label = record._meta.label_lower
    rows = FieldChange.objects.filter(record=label, record_id=record.pk).select_related("by").order_by("-at", "-pk")
    return [
        {
            "at": row.at,
            "by": row.by.get_full_name() if row.by else "",
            "field": field_label(label, row.field) if row.field != services.SECOND_FACTOR else gettext("Second step"),
            "old": shown(label, row.field, row.old),
            "new": shown(label, row.field, row.new)
            if row.field != services.SECOND_FACTOR
            else gettext("reset: enrolled again at the next sign-in"),
        }
        for row in rows[:200]
    ]


@administrator_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    """The municipality: its name and positioning, the sections, and what the last KWB import changed."""
    municipality = _municipality(request)
    # The form works on a copy: validating it fills its instance, and the history compares with the original.
    form = MunicipalityForm(request.POST or None, instance=copy(municipality), municipality=municipality)
    if request.method == "POST":
        if form.is_valid():
            data, _m2m = form.data_and_m2m()
            services.record_save(instance=municipality, data=data, by=request.user)
            messages.success(request, gettext("The municipality has been saved."))
            return redirect("administration:index")
        return render(request, "administration/index.html", _index_context(municipality, form), status=400)
    return render(request, "administration/index.html", _index_context(municipality, form))


def _index_context(municipality: Municipality, form) -> dict:
    sections = [(s, s.records(municipality).count()) for s in SECTIONS.values()]
    return {
        "municipality": municipality,
        "form": form,
        "sections": sections,
        "users": User.objects.filter(municipality=municipality).count(),
        "changes": AreaChange.objects.filter(municipality=municipality).select_related("area")[:50],
        "history": _history(municipality),
    }


def _section(slug: str) -> Section:
    return SECTIONS[slug]


@administrator_required
def section_list(request: HttpRequest, slug: str) -> HttpResponse:
    section = _section(slug)
    municipality = _municipality(request)
    records = section.records(municipality)
    model = section.form._meta.model
    headers = [model._meta.get_field(name).verbose_name for name in section.columns]
    rows = [(record, [_cell(record, name) for name in section.columns]) for record in records]
    return render(request, "administration/list.html", {"section": section, "headers": headers, "rows": rows})


@administrator_required
@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, slug: str, pk: str | None = None) -> HttpResponse:
    section = _section(slug)
    municipality = _municipality(request)
    model = section.form._meta.model
    instance = get_object_or_404(section.records(municipality), pk=pk) if pk else model()
    form = section.form(request.POST or None, instance=copy(instance), municipality=municipality)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data, m2m = form.data_and_m2m()
            if pk is None and model is not PartnerContact:
                data["municipality"] = municipality
            try:
                record = services.record_save(instance=instance, data=data, m2m=m2m, by=request.user)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, gettext("%(record)s has been saved.") % {"record": record})
                return redirect("administration:section", slug=slug)
        status = 400
    context = {"section": section, "form": form, "record": instance if pk else None}
    context["history"] = _history(instance) if pk else []
    return render(request, "administration/form.html", context, status=status)


# --- users ------------------------------------------------------------------------------------------


@administrator_required
def user_list(request: HttpRequest) -> HttpResponse:
    """The municipality's professionals; the search box narrows the table in place (HTMX)."""
    municipality = _municipality(request)
    form = UserSearchForm(request.GET or None)
    users = User.objects.filter(municipality=municipality)
    if form.is_valid() and form.cleaned_data["q"]:
        for word in form.cleaned_data["q"].split():
            users = users.filter(
                Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(username__icontains=word)
            )
    users = users.prefetch_related("memberships__team").order_by("-is_active", "first_name", "last_name")
    template = "administration/_users_table.html" if request.headers.get("HX-Request") else "administration/users.html"
    return render(request, template, {"users": users, "form": form})


def _user(request: HttpRequest, pk: int) -> User:
    return get_object_or_404(User, pk=pk, municipality=_municipality(request))


@administrator_required
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    municipality = _municipality(request)
    user = _user(request, pk) if pk else User(municipality=municipality)
    form = UserForm(request.POST or None, instance=copy(user), municipality=municipality)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data, _m2m = form.data_and_m2m()
            saved = services.user_save(
                user=user if pk else None,
                by=request.user,
                data=data,
                team=form.cleaned_data["team"],
                leads=form.cleaned_data["leads"],
                password=form.cleaned_data.get("password", ""),
            )
            messages.success(request, gettext("%(record)s has been saved.") % {"record": saved.get_full_name()})
            return redirect("administration:user", pk=saved.pk)
        status = 400
    context = {
        "form": form,
        "record": user if pk else None,
        "history": _history(user) if pk else [],
        "move": MoveForm(user=user) if pk else None,
    }
    return render(request, "administration/user_form.html", context, status=status)


USER_ACTIONS = {
    "deactiveren": (services.user_deactivate, _("%(user)s can no longer sign in; their sessions have ended.")),
    "activeren": (services.user_reactivate, _("%(user)s can sign in again.")),
    "tweede-stap": (
        services.user_second_factor_reset,
        _("The second step of %(user)s has been reset: they set up an authenticator app at the next sign-in."),
    ),
}


@administrator_required
@require_POST
def user_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _user(request, pk)
    if action == "verhuizen":
        form = MoveForm(request.POST, user=user)
        if not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return redirect("administration:user", pk=pk)
        services.user_move(user=user, by=request.user, municipality=form.cleaned_data["municipality"])
        messages.success(
            request,
            gettext("%(user)s now works for %(municipality)s.")
            % {"user": user.get_full_name(), "municipality": form.cleaned_data["municipality"]},
        )
        return redirect("administration:users")
    if action not in USER_ACTIONS:
        raise Http404
    service, message = USER_ACTIONS[action]
    service(user=user, by=request.user)
    messages.success(request, message % {"user": user.get_full_name()})
    return redirect("administration:user", pk=pk)
