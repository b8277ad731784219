from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import casework_required
from accounts.models import User
from cases import selectors, services
from cases.access import (
    break_glass_visibility,
    get_case_for,
    get_consultation_for,
    get_household_for,
    may_open,
    may_open_visibility,
)
from cases.deadlines import AT_RISK
from cases.models import Case, Consultation, Triage
from cases.queue import queue_count
from cases.suggestions import suggest_regisseurs
from cases.workflow import OPEN_STATUSES, Status
from contacts import selectors as contact_selectors
from contacts.models import Contact, ContactStatus
from contacts.selectors import with_contact_dates
from intake.services import open_referral_count
from people.models import Household, names_of
from plans.evaluations import goals_to_evaluate, with_details
from plans.flow import next_step, work_done
from plans.forms import EvaluationForm
from plans.history import case_history as changes_of
from plans.models import GoalStatus, Plan
from plans.services import PlanConflict, plan_costs, regisseur_assign
from privacy.models import BreakGlass, Purpose, RectificationRequest, RectificationStatus
from teams.models import Team
from teams.services import team_ids_of
from wijkteam.forms import attach_errors
from wijkteam.pagination import page_of
from zrm.charts import trend_chart
from zrm.forms import AssessmentForm
from zrm.services import case_trend

from .forms import (
    AanvraagForm,
    AnswerForm,
    AssignForm,
    CaseOpenForm,
    CloseForm,
    ConsultationForm,
    DeescalateForm,
    EscalateForm,
    InvolveForm,
    InvolvementEndForm,
    NoteForm,
    ReopenForm,
    StatusForm,
    TriageForm,
)
from .services import case_close_with_outcome, evaluation_record

AGENDA_HORIZON = timedelta(days=14)
MY_CASES_PER_PAGE = 25
QUEUE_PER_PAGE = 50


@login_required
@require_GET
def my_work(request: HttpRequest) -> HttpResponse:
    """'Mijn werk': the professional's open cases, planned visits and deadlines. A role that works in
    no dossier has its own start page (``User.home_url``): no dead end here."""
    user = request.user
    if not user.does_casework:
        return redirect(user.home_url())
    today = timezone.localdate()
    mine = selectors.my_open_cases(user)
    page, rows = _resident_rows(request, mine, MY_CASES_PER_PAGE)
    deadlines = selectors.deadlines_within(mine, until=today + AT_RISK)
    agenda = contact_selectors.agenda(user, until=today + AGENDA_HORIZON)
    reminders = contact_selectors.reminders(user)
    open_questions = selectors.open_questions_for(user)
    unassigned = selectors.unassigned_count(user)
    opened_with_reason = (
        BreakGlass.objects.filter(break_glass_visibility(user)).unreviewed().count()
        if unassigned is not None
        else None
    )
    return render(
        request,
        "cases/my_work.html",
        {
            "rows": rows,
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
            "unread_messages": contact_selectors.unread_count(user),
            # Nothing of one's own yet (a new team member): how work reaches them.
            "team_open": None if rows else selectors.team_open_count(user),
        },
    )


def _resident_rows(request: HttpRequest, cases, per_page: int):
    """A page of ``cases`` with one row per resident (``selectors.residents_of``): the page, and
    (resident, their cases on it) in the order of ``selectors.CASE_ORDER``. Three queries."""
    page = page_of(request, selectors.residents_of(cases), per_page)
    ids = [row["resident_id"] for row in page.object_list]
    found = selectors.ordered(
        with_contact_dates(
            cases.filter(resident_id__in=ids)
            .select_related("resident", "team", "regisseur")
            .only(
                *("reference", "status", "triage", "onderzoek_due", "decision_due", "opened_at"),
                *("regisseur_id", "team__name", "regisseur__first_name", "regisseur__last_name"),
                *("regisseur__username", *names_of("resident")),
            )
        )
    )
    by_resident: dict[int, list[Case]] = {}
    for case in found:
        by_resident.setdefault(case.resident_id, []).append(case)
    return page, [(by_resident[pk][0].resident, by_resident[pk]) for pk in ids if pk in by_resident]


@casework_required
@require_GET
def team_cases(request: HttpRequest) -> HttpResponse:
    """The open cases of the user's teams, one row per resident, by phase and then the nearest legal
    term; narrowed to one team, regisseur (``geen``: none yet), status or triage (``geen``: not yet),
    as the team leader's overview links to it. A case the user may not open in full (``may_open``:
    a colleague's case of a team they do not lead) shows only what its minimal card shows
    (resident, team, regisseur, status): no legal term (it reveals an application), no contacts, and
    the triage filter finds only the cases the user may open."""
    user = request.user
    teams = {team.pk: team for team in Team.objects.filter(pk__in=team_ids_of(user)).order_by("name")}
    cases = Case.objects.visible_to(user).open().filter(team_id__in=teams)
    chosen = {}
    team = request.GET.get("team", "")
    if team:
        if not team.isdigit() or int(team) not in teams:
            raise Http404
        cases = cases.filter(team_id=int(team))
        chosen["team"] = teams[int(team)].name
    regisseur = request.GET.get("regisseur", "")
    if regisseur == selectors.NONE_YET:
        cases = cases.filter(regisseur__isnull=True)
        chosen["regisseur"] = _("no regisseur yet")
    elif regisseur.isdigit():
        member = (
            User.objects.filter(Q(memberships__team_id__in=teams) | Q(cases_as_regisseur__team_id__in=teams))
            .filter(pk=int(regisseur))
            .first()
        )
        if member is None:
            raise Http404
        cases = cases.filter(regisseur=member)
        chosen["regisseur"] = _("regisseur %(name)s") % {"name": member}
    status = request.GET.get("status", "")
    if status in OPEN_STATUSES:
        cases = cases.filter(status=status)
        chosen["status"] = Status(status).label
    triage = request.GET.get("triage", "")
    if triage == selectors.NONE_YET:
        cases = cases.filter(triage="")
        chosen["triage"] = _("not triaged")
    elif triage in Triage.values:
        cases = cases.filter(triage=triage)
        chosen["triage"] = Triage(triage).label
    if "triage" in chosen:  # the triage is not on the minimal card
        cases = cases.filter(may_open_visibility(user))
    page, rows = _resident_rows(request, cases, MY_CASES_PER_PAGE)
    for _resident, found in rows:
        for case in found:
            if not may_open(user, case):
                case.card_only = True
                case.due = case.last_contact = case.next_contact = None
    return render(
        request,
        "cases/team_cases.html",
        {
            "rows": rows,
            "page": page,
            "shown": list(chosen.values()),
            "team": team if "team" in chosen else "",
            "filtered": bool(chosen.keys() - {"team"}),
            "today": timezone.localdate(),
            "soon": timezone.localdate() + timedelta(days=7),
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
        "next_step": _proposal(case, plan),
        "evaluations": with_details(plan.evaluations.filter(case=case)) if plan else [],
        "evaluation_due": _evaluation_due(case, plan),
        "trend": trend,
        "chart": trend_chart(trend) if trend.assessments else None,
        "conversations": list(case.conversations.order_by("-held_on", "-pk")),
        # The resident's open reports of a mistake from Mijn Wijkteam (AVG art. 16), with their due date.
        "rectifications": list(
            RectificationRequest.objects.filter(resident_id=case.resident_id, status=RectificationStatus.RECEIVED)
        ),
        "plan": plan,
        "costs": plan_costs(plan) if plan else None,
        "series": list(case.contact_series.filter(stopped_at__isnull=True).select_related("professional")),
        "consultations": list(case.consultations.select_related("asked_by", "colleague", "expertise", "answered_by")),
        "deescalate_form": forms.get("deescalate_form") or DeescalateForm(),
        "frameworks": list(case.frameworks.all()),
        "life_domains": list(case.life_domains.all()),
        "members": list(case.household.members.select_related("resident")),
        "involved": list(case.involvements.filter(ended_at__isnull=True).select_related("user")),
        "thread": case.messages.aggregate(
            total=Count("pk"), unread=Count("pk", filter=Q(from_resident=True, read_at__isnull=True))
        ),
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


def _proposal(case: Case, plan: Plan | None):
    """The status the work on the case proves, offered as one click (``plans.flow.next_step``)."""
    visited = plan is not None and case.contacts.filter(status=ContactStatus.DONE).exists()
    return next_step(case, work_done(case, plan=plan, visited=visited))


def _evaluation_due(case: Case, plan: Plan | None) -> bool:
    """The plan's evaluation is what the case page offers first: its date has come, or the case is in
    evaluation. Only an agreed plan is evaluated (``plans.evaluations.evaluation_record``)."""
    if plan is None or not plan.agreed or case.is_closed:
        return False
    return case.status == Status.EVALUATIE or (
        plan.evaluate_on is not None and plan.evaluate_on <= timezone.localdate()
    )


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
    if "work" in request.POST:
        return _advance(request, case, request.POST["work"])
    form = StatusForm(request.POST, case=case)
    return _act(
        request,
        case,
        form,
        lambda d: services.case_change_status(case=case, to=d["to"], note=d["note"], by=request.user),
        _("The status has been changed."),
        "status_form",
    )


def _advance(request: HttpRequest, case: Case, work: str) -> HttpResponse:
    """The one-click step the work proves (``cases.workflow.WORK``), offered on the case and plan
    pages; refused when the work was not done or proves nothing new."""
    step = _proposal(case, Plan.objects.filter(household_id=case.household_id).only("agreed_on").first())
    if step is None or step.work != work or services.case_advance(case=case, work=work, by=request.user) is None:
        messages.error(request, _("The case has moved on already; check its status."))
    else:
        messages.success(request, _("The case is now: %(status)s.") % {"status": case.get_status_display()})
    if request.POST.get("next") == "plan":
        return redirect("plans:plan", household_pk=case.household_id)
    return redirect("cases:detail", pk=case.pk)


@casework_required
@require_POST
def case_assign(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = AssignForm(request.POST, case=case)
    return _act(
        request,
        case,
        form,
        lambda d: regisseur_assign(case=case, regisseur=d["regisseur"], note=d["note"], by=request.user),
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
@require_http_methods(["GET", "POST"])
def case_involve(request: HttpRequest, pk: int) -> HttpResponse:
    """Involve a professional beside the regisseur, with the reason (history, access review)."""
    case = _case(request, pk)
    form = InvolveForm(request.POST or None, case=case)
    return _page_act(
        request,
        case,
        form,
        lambda d: services.case_involve(case=case, user=d["user"], by=request.user, reason=d["reason"]),
        _("The professional has been involved in the case."),
        _("Involve a professional"),
        _(
            "An involved professional opens the full dossier, as the regisseur does. The reason is kept in "
            "the case's history and shown in the privacy officer's access review."
        ),
    )


@casework_required
@require_http_methods(["GET", "POST"])
def case_involvement_end(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = InvolvementEndForm(request.POST or None, case=case)
    return _page_act(
        request,
        case,
        form,
        lambda d: services.case_involvement_end(involvement=d["involvement"], by=request.user, reason=d["reason"]),
        _("The involvement has ended."),
        _("End an involvement"),
        _("From now on they open the dossier only as anyone else in the team would."),
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
def case_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    """Evaluate the household's plan: per goal what was reached, the ZRM at evaluation (the zrm
    app's form, starting from the latest scores, beside the start scores) and what comes next."""
    case = _case(request, pk)
    if case.is_closed:
        raise Http404
    plan = Plan.objects.filter(household_id=case.household_id).first()
    if plan is None or not plan.agreed:
        messages.error(request, _("Start and agree the plan before evaluating it."))
        return redirect("cases:detail", pk=case.pk)
    trend = case_trend(case)
    domains = trend.last_domains
    form = EvaluationForm(request.POST or None, plan=plan, goals=goals_to_evaluate(plan))
    zrm_form = AssessmentForm(
        request.POST or None,
        prefix="zrm",
        domains=sorted(domains, key=lambda d: d.order),
        previous={t.domain.pk: t.last for t in trend.domains},
        first={t.domain.pk: t.first for t in trend.domains},
        dated=False,
        changes_only=True,
    )
    # Both forms are checked (not ``and``), so every message shows at once.
    if request.method == "POST" and form.is_valid() & zrm_form.is_valid():
        data = form.cleaned_data
        try:
            evaluation_record(
                case=case,
                by=request.user,
                held_on=data["held_on"],
                outcomes=form.outcomes(),
                ratings=zrm_form.ratings(),
                next_step=data["next_step"],
                next_evaluation_on=data["next_evaluation_on"],
                referred_to=data["referred_to"],
                note=data["note"],
                expected_version=data["version"],
            )
        except PlanConflict as error:
            form.add_error(None, error)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            case.refresh_from_db()
            messages.success(
                request,
                _("The evaluation has been recorded. The case is now: %(status)s.")
                % {"status": case.get_status_display()},
            )
            return redirect("cases:detail", pk=case.pk)
    return render(
        request,
        "cases/case_evaluate.html",
        {"case": case, "plan": plan, "form": form, "zrm_form": zrm_form},
        status=400 if form.errors or zrm_form.errors else 200,
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
    conditions = selectors.queue_conditions(now=timezone.now(), today=today, new_for=NEW_FOR, horizon=AT_RISK)
    show = request.GET.get("toon", "")
    cases, counts = selectors.work_queue(user, conditions, show=show)
    page = page_of(request, cases, QUEUE_PER_PAGE)

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
                    regisseur_assign(case=case, regisseur=data["regisseur"], by=request.user)
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
