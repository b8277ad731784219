import functools
import operator
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case as SqlCase
from django.db.models import Count, F, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce, Least
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import casework_required
from contacts.models import Contact, ContactStatus
from contacts.services import UNREGISTERED_AFTER, unregistered
from people.models import Household, names_of
from people.queue import queue_count
from plans.models import GoalStatus, Plan
from plans.services import case_close_with_outcome, plan_costs
from privacy.access import (
    break_glass_visibility,
    get_case_for,
    get_consultation_for,
    get_household_for,
    involved_case_ids,
)
from privacy.models import BreakGlass, Purpose
from teams.services import led_team_ids_of, team_ids_of
from wijkteam.forms import attach_errors
from wijkteam.pagination import page_of
from zrm.charts import trend_chart
from zrm.services import case_trend

from . import services
from .forms import (
    AanvraagForm,
    AnswerForm,
    AssignForm,
    CaseOpenForm,
    CloseForm,
    ConsultationForm,
    DeescalateForm,
    EscalateForm,
    NoteForm,
    ReopenForm,
    StatusForm,
    TriageForm,
)
from .models import Case, Consultation
from .suggestions import suggest_regisseurs
from .workflow import DECIDING, INVESTIGATING

DEADLINE_HORIZON = timedelta(days=14)
AGENDA_HORIZON = timedelta(days=14)
MY_CASES_PER_PAGE = 25
QUEUE_PER_PAGE = 50


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
    mine = Case.objects.visible_to(user).open().filter(Q(regisseur=user) | Q(pk__in=involved_case_ids(user)))
    page = page_of(
        request,
        mine.select_related("resident", "team")
        .only("reference", "status", "onderzoek_due", "regisseur_id", "team__name", *names_of("resident"))
        .annotate(
            next_contact=Subquery(planned.values("planned_at")[:1]),
            last_contact=Subquery(done.values("happened_at")[:1]),
        )
        .order_by(F("onderzoek_due").asc(nulls_last=True), "-opened_at", "-pk"),
        MY_CASES_PER_PAGE,
    )
    deadlines = list(
        mine.filter(status__in=INVESTIGATING, onderzoek_due__lte=today + DEADLINE_HORIZON)
        .select_related("resident")
        .only("reference", "status", "onderzoek_due", *names_of("resident"))
        .order_by("onderzoek_due", "pk")[:50]
    )
    agenda = list(
        Contact.objects.filter(
            professional=user,
            status=ContactStatus.PLANNED,
            planned_at__gte=timezone.now() - UNREGISTERED_AFTER,
            planned_at__date__lte=today + AGENDA_HORIZON,
            case__in=Case.objects.visible_to(user),
        )
        .select_related("case__resident")
        .only("planned_at", "kind", "case_id", "case__resident", *names_of("case__resident"))
        .order_by("planned_at")[:50]
    )
    reminders = list(
        unregistered(user)
        .filter(case__in=Case.objects.visible_to(user))
        .select_related("case__resident")
        .only("planned_at", "kind", "case_id", "case__resident", *names_of("case__resident"))[:50]
    )
    open_questions = (
        Consultation.objects.visible_to(user).filter(answered_at__isnull=True).exclude(asked_by=user).count()
    )
    led = led_team_ids_of(user)
    unassigned = (
        Case.objects.visible_to(user).open().filter(team_id__in=led, regisseur__isnull=True).count() if led else None
    )
    opened_with_reason = BreakGlass.objects.filter(break_glass_visibility(user)).unreviewed().count() if led else None
    return render(
        request,
        "cases/my_work.html",
        {
            "casework": True,
            "cases": page.object_list,
            "page": page,
            "deadlines": deadlines,
            "agenda": agenda,
            "agenda_days": _by_local_day(agenda),
            "today": today,
            "soon": today + timedelta(days=7),
            "unassigned": unassigned,
            "opened_with_reason": opened_with_reason,
            "reminders": reminders,
            "open_questions": open_questions,
            "intake_queue": queue_count(user),
        },
    )


def _by_local_day(contacts: list[Contact]) -> list[tuple]:
    """Planned contacts grouped by their day in local time, as (day, contacts) in order; each
    contact gets ``local_time`` ("09:30") so that the list writes one date per day, not per visit."""
    days: dict = {}
    for contact in contacts:
        moment = timezone.localtime(contact.planned_at)
        contact.local_time = f"{moment.hour:02d}:{moment.minute:02d}"
        days.setdefault(moment.date(), []).append(contact)
    return list(days.items())


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
    return render(request, "cases/case_detail.html", _detail_context(case, request.user))


def _detail_context(case: Case, user, **forms) -> dict:
    trend = case_trend(case)
    plan = (
        Plan.objects.filter(household_id=case.household_id)
        .annotate(
            goals_total=Count("goals"),
            goals_open=Count("goals", filter=Q(goals__status=GoalStatus.OPEN)),
            goals_reached=Count("goals", filter=Q(goals__status=GoalStatus.REACHED)),
        )
        .prefetch_related("arrangements")
        .first()
    )
    return {
        "case": case,
        "trend": trend,
        "chart": trend_chart(trend) if trend.assessments else None,
        "conversations": list(case.conversations.order_by("-held_on", "-pk")),
        "plan": plan,
        "costs": plan_costs(plan) if plan else None,
        "series": list(case.contact_series.filter(stopped_at__isnull=True).select_related("professional")),
        "consultations": list(case.consultations.select_related("asked_by", "colleague", "expertise", "answered_by")),
        "deescalate_form": forms.get("deescalate_form") or DeescalateForm(),
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


def _saved(request: HttpRequest, form, action, success: str) -> bool:
    """Run a write from a valid form; a refusal lands beside the field it names."""
    if not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except ValidationError as error:
        attach_errors(form, error)
        return False
    messages.success(request, success)
    return True


def _act(request: HttpRequest, case: Case, form, action, success: str, form_name: str) -> HttpResponse:
    """Run a write on a case from a form on the case page: redirect on success, else show the
    page again with the error beside the field."""
    if _saved(request, form, action, success):
        return redirect("cases:detail", pk=case.pk)
    return render(
        request, "cases/case_detail.html", _detail_context(case, request.user, **{form_name: form}), status=400
    )


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


def _page_act(request: HttpRequest, case: Case, form, action, success: str, title: str, intro: str) -> HttpResponse:
    """A write on a case from a form on its own small page (GET shows it, POST saves it)."""
    if request.method == "POST" and _saved(request, form, action, success):
        return redirect("cases:detail", pk=case.pk)
    return render(
        request,
        "cases/case_action.html",
        {"case": case, "form": form, "title": title, "intro": intro},
        status=400 if form.errors else 200,
    )


@casework_required
@require_http_methods(["GET", "POST"])
def case_escalate(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = EscalateForm(request.POST or None, case=case)
    return _page_act(
        request,
        case,
        form,
        lambda d: services.case_escalate(case=case, to=d["to"], reason=d["reason"], by=request.user),
        _("The case has been scaled up; the team keeps regie."),
        _("Scale up"),
        _("Specialist or safety-chain care comes in; the team keeps regie and the plan."),
    )


@casework_required
@require_POST
def case_deescalate(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = DeescalateForm(request.POST)
    return _act(
        request,
        case,
        form,
        lambda d: services.case_deescalate(case=case, reason=d["reason"], by=request.user),
        _("The case has been scaled down."),
        "deescalate_form",
    )


@casework_required
@require_http_methods(["GET", "POST"])
def consultation_ask(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = ConsultationForm(request.POST or None, case=case, user=request.user)
    return _page_act(
        request,
        case,
        form,
        lambda d: services.consultation_ask(
            case=case, by=request.user, question=d["question"], colleague=d["colleague"], expertise=d["expertise"]
        ),
        _("Your question has been sent. The colleague sees the question, not the dossier."),
        _("Ask a colleague"),
        _("The colleague or expertise group sees your question, not the dossier."),
    )


@casework_required
@require_GET
def consultations(request: HttpRequest) -> HttpResponse:
    """Requests for advice addressed to me or my expertise groups, and the ones I asked."""
    visible = Consultation.objects.visible_to(request.user).select_related(
        "case", "asked_by", "colleague", "expertise", "answered_by"
    )
    return render(
        request,
        "cases/consultations.html",
        {
            "to_me": list(visible.exclude(asked_by=request.user)[:100]),
            "mine": list(visible.filter(asked_by=request.user)[:100]),
        },
    )


@casework_required
@require_http_methods(["GET", "POST"])
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One request for advice: the question and the answer. It does not open the dossier."""
    consultation = get_consultation_for(
        request.user,
        pk,
        queryset=Consultation.objects.select_related("case", "asked_by", "colleague", "expertise", "answered_by"),
    )
    can_answer = consultation.answered_at is None and consultation.asked_by_id != request.user.pk
    form = AnswerForm(request.POST or None) if can_answer else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.consultation_answer(
                    consultation=consultation, by=request.user, answer=form.cleaned_data["answer"]
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Your answer has been sent."))
                return redirect("cases:consultations")
    return render(
        request,
        "cases/consultation_detail.html",
        {"consultation": consultation, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


@casework_required
@require_http_methods(["GET", "POST"])
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close a case with its outcome: the end reason, a final ZRM on the domains scored before,
    and for each open goal of the plan whether it was reached."""
    case = _case(request, pk)
    trend = case_trend(case)
    plan = Plan.objects.filter(household_id=case.household_id).first()
    goals = list(plan.goals.filter(status=GoalStatus.OPEN).select_related("domain")) if plan else []
    form = CloseForm(
        request.POST or None,
        final_domains=[(t.domain, t.last) for t in trend.domains],
        goals=goals,
        initial={"plan_version": plan.version if plan else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            case_close_with_outcome(
                case=case,
                by=request.user,
                end_reason=form.cleaned_data["end_reason"],
                note=form.cleaned_data["note"],
                final_ratings=form.ratings(),
                goal_statuses=form.goal_statuses(),
                expected_plan_version=form.cleaned_data.get("plan_version"),
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The case has been closed."))
            return redirect("cases:detail", pk=case.pk)
    return render(
        request,
        "cases/case_close.html",
        {"case": case, "form": form, "trend": trend},
        status=400 if form.errors else 200,
    )


QUEUE_FILTERS = ("new", "untriaged", "unassigned", "deadlines")
NEW_FOR = timedelta(days=7)


@casework_required
@require_GET
def werkbak(request: HttpRequest) -> HttpResponse:
    """The team's work queue: new, untriaged and unassigned cases and legal deadlines, overdue first."""
    user = request.user
    today = timezone.localdate()
    horizon = today + DEADLINE_HORIZON
    conditions = {
        "new": Q(opened_at__gte=timezone.now() - NEW_FOR),
        "untriaged": Q(triage=""),
        "unassigned": Q(regisseur__isnull=True),
        "deadlines": Q(onderzoek_due__lte=horizon, status__in=INVESTIGATING)
        | Q(decision_due__lte=horizon, status__in=DECIDING),
    }
    team_cases = Case.objects.visible_to(user).open().filter(team_id__in=team_ids_of(user))
    counts = team_cases.aggregate(**{name: Count("pk", filter=condition) for name, condition in conditions.items()})
    show = request.GET.get("toon", "")
    chosen = conditions.get(show) or functools.reduce(operator.or_, conditions.values())
    page = page_of(
        request,
        team_cases.filter(chosen)
        .select_related("resident", "regisseur")
        .only(
            *("reference", "status", "triage", "melding_date", "opened_at", "onderzoek_due", "decision_due"),
            *("regisseur__first_name", "regisseur__last_name", "regisseur__username"),
            *names_of("resident"),
        )
        .annotate(due=_next_due())
        .order_by(F("due").asc(nulls_last=True), "-opened_at", "-pk"),
        QUEUE_PER_PAGE,
    )
    from intake.services import open_referral_count  # intake builds on cases

    return render(
        request,
        "cases/werkbak.html",
        {
            "cases": page.object_list,
            "page": page,
            "counts": counts,
            "show": show if show in conditions else "",
            "filters": QUEUE_FILTERS,
            "today": today,
            "soon": today + timedelta(days=7),
            "new_since": timezone.now() - NEW_FOR,
            "referrals": open_referral_count(user),
        },
    )


def _next_due():
    """``Case.next_due`` in SQL, so that the database orders the queue and fetches only one page:
    the nearer of the running investigation term and the running decision term."""
    investigation = SqlCase(When(status__in=INVESTIGATING, then=F("onderzoek_due")))
    decision = SqlCase(When(status__in=DECIDING, then=F("decision_due")))
    # LEAST is NULL on SQLite when either side is: compare each with the other as its fallback.
    return Least(Coalesce(investigation, decision), Coalesce(decision, investigation))


@casework_required
@require_http_methods(["GET", "POST"])
def case_triage(request: HttpRequest, pk: int) -> HttpResponse:
    """Triage 80-20-5 with its reason, and a regisseur chosen with the suggestions beside it."""
    case = _case(request, pk)
    form = TriageForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.case_triage(case=case, triage=data["triage"], reason=data["reason"], by=request.user)
                if data["regisseur"]:
                    services.case_assign_regisseur(case=case, regisseur=data["regisseur"], by=request.user)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Case %(reference)s has been triaged.") % {"reference": case.reference})
            return redirect("cases:werkbak")
    return render(
        request,
        "cases/case_triage.html",
        {
            "case": case,
            "form": form,
            "aanvraag_form": AanvraagForm(case=case),
            "suggestions": suggest_regisseurs(case),
            "life_domains": list(case.life_domains.all()),
        },
    )


@casework_required
@require_POST
def case_aanvraag(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = AanvraagForm(request.POST, case=case)
    if form.is_valid():
        try:
            services.case_record_aanvraag(
                case=case,
                aanvraag_date=form.cleaned_data["aanvraag_date"],
                framework=form.cleaned_data["framework"],
                by=request.user,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The application has been recorded; the decision term runs."))
            return redirect("cases:triage", pk=case.pk)
    return render(
        request,
        "cases/case_triage.html",
        {
            "case": case,
            "form": TriageForm(case=case),
            "aanvraag_form": form,
            "suggestions": suggest_regisseurs(case),
            "life_domains": list(case.life_domains.all()),
        },
        status=400,
    )


# ---------------------------------------------------------------------------------------------
# The history of changes (issue 6: data protection)


@casework_required
@require_GET
def case_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who changed what in the case and its household, when, with the old and the new value."""
    from privacy.history import case_history as changes_of

    case = _case(request, pk)
    return render(request, "cases/case_history.html", {"case": case, "changes": changes_of(case)})


@casework_required
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the question, the legal frameworks and the life domains, with a reason."""
    from .forms import CaseEditForm

    case = _case(request, pk)
    form = CaseEditForm(request.POST or None, case=case)
    return _page_act(
        request,
        case,
        form,
        lambda d: services.case_update(
            case=case,
            by=request.user,
            question=d["question"],
            frameworks=d["frameworks"],
            life_domains=d["life_domains"],
            reason=d["reason"],
            rectification=d["rectification"],
        ),
        _("The case has been changed."),
        _("Change the question and its legal basis"),
        _("The old and the new values are kept in the history of changes, with the reason."),
    )
