from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F, OuterRef, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import casework_required
from contacts.models import Contact, ContactStatus
from people.models import Household
from privacy.access import get_case_for, get_household_for, involved_case_ids
from privacy.models import Purpose
from teams.services import led_team_ids_of

from . import services
from .forms import AssignForm, CaseOpenForm, CloseForm, NoteForm, ReopenForm, StatusForm
from .models import Case

DEADLINE_HORIZON = timedelta(days=14)
AGENDA_HORIZON = timedelta(days=14)


@login_required
@require_GET
def my_work(request: HttpRequest) -> HttpResponse:
    """'Mijn werk': the professional's open cases, planned visits and deadlines."""
    user = request.user
    if not user.does_casework:
        return render(request, "cases/my_work.html", {"casework": False})
    today = timezone.localdate()
    planned = Contact.objects.filter(case=OuterRef("pk"), status=ContactStatus.PLANNED).order_by("planned_at")
    done = Contact.objects.filter(case=OuterRef("pk"), status=ContactStatus.DONE).order_by("-happened_at")
    my_cases = list(
        Case.objects.visible_to(user)
        .open()
        .filter(Q(regisseur=user) | Q(pk__in=involved_case_ids(user)))
        .select_related("resident", "team")
        .annotate(
            next_contact=Subquery(planned.values("planned_at")[:1]),
            last_contact=Subquery(done.values("happened_at")[:1]),
        )
        .order_by(F("onderzoek_due").asc(nulls_last=True), "-opened_at")[:200]
    )
    deadlines = [
        case for case in my_cases if case.onderzoek_running and case.onderzoek_due <= today + DEADLINE_HORIZON
    ]
    agenda = list(
        Contact.objects.filter(
            professional=user,
            status=ContactStatus.PLANNED,
            planned_at__date__lte=today + AGENDA_HORIZON,
            case__in=Case.objects.visible_to(user),
        )
        .select_related("case__resident")
        .order_by("planned_at")[:50]
    )
    led = led_team_ids_of(user)
    unassigned = (
        Case.objects.visible_to(user).open().filter(team_id__in=led, regisseur__isnull=True).count() if led else None
    )
    return render(
        request,
        "cases/my_work.html",
        {
            "casework": True,
            "cases": my_cases,
            "deadlines": deadlines,
            "agenda": agenda,
            "today": today,
            "soon": today + timedelta(days=7),
            "unassigned": unassigned,
        },
    )


def _case(request: HttpRequest, pk: int) -> Case:
    return get_case_for(
        request.user,
        pk,
        purpose=Purpose.CASEWORK,
        queryset=Case.objects.select_related("resident", "household", "team", "regisseur"),
    )


@casework_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    return render(request, "cases/case_detail.html", _detail_context(case))


def _detail_context(case: Case, **forms) -> dict:
    return {
        "case": case,
        "frameworks": list(case.frameworks.all()),
        "life_domains": list(case.life_domains.all()),
        "members": list(case.household.members.select_related("resident")),
        "involved": list(case.involvements.filter(ended_at__isnull=True).select_related("user")),
        "planned": list(
            case.contacts.filter(status=ContactStatus.PLANNED).select_related("professional").order_by("planned_at")
        ),
        "events": list(case.events.select_related("by")[:200]),
        "status_form": forms.get("status_form") or StatusForm(case=case),
        "assign_form": forms.get("assign_form") or AssignForm(case=case),
        "note_form": forms.get("note_form") or NoteForm(),
        "reopen_form": forms.get("reopen_form") or ReopenForm(),
        "today": timezone.localdate(),
    }


@casework_required
@require_http_methods(["GET", "POST"])
def case_open(request: HttpRequest, household_pk: int) -> HttpResponse:
    household = get_household_for(
        request.user, household_pk, purpose=Purpose.CASEWORK, queryset=Household.objects.select_related("area")
    )
    members = list(household.members.select_related("resident"))
    form = CaseOpenForm(request.POST or None, user=request.user, household=household, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_open(
                household=household,
                resident=data["resident"],
                team=data["team"],
                question=data["question"],
                frameworks=data["frameworks"],
                life_domains=data["life_domains"],
                melding_date=data["melding_date"],
                regisseur=data["regisseur"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Case %(reference)s has been opened.") % {"reference": case.reference})
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/case_open.html", {"form": form, "household": household})


def _act(request: HttpRequest, case: Case, form, action, success: str, form_name: str) -> HttpResponse:
    """Run a write on a case from a form on the case page: redirect on success, else show the
    page again with the error beside the field."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, success)
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/case_detail.html", _detail_context(case, **{form_name: form}), status=400)


@casework_required
@require_POST
def case_status(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = StatusForm(request.POST, case=case)
    return _act(
        request,
        case,
        form,
        lambda d: services.case_change_status(case=case, to=d["to"], note=d["note"], by=request.user),
        _("The status has been changed."),
        "status_form",
    )


@casework_required
@require_POST
def case_assign(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = AssignForm(request.POST, case=case)
    return _act(
        request,
        case,
        form,
        lambda d: services.case_assign_regisseur(case=case, regisseur=d["regisseur"], note=d["note"], by=request.user),
        _("The regisseur has been changed."),
        "assign_form",
    )


@casework_required
@require_POST
def case_note(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = NoteForm(request.POST)
    return _act(
        request,
        case,
        form,
        lambda d: services.case_add_note(case=case, text=d["text"], by=request.user),
        _("The note has been added."),
        "note_form",
    )


@casework_required
@require_POST
def case_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = ReopenForm(request.POST)
    return _act(
        request,
        case,
        form,
        lambda d: services.case_reopen(case=case, reason=d["reason"], by=request.user),
        _("The case has been reopened."),
        "reopen_form",
    )


@casework_required
@require_http_methods(["GET", "POST"])
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_close(
                case=case, end_reason=form.cleaned_data["end_reason"], note=form.cleaned_data["note"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The case has been closed."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/case_close.html", {"case": case, "form": form})
