from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import casework_required
from cases.access import get_case_for, get_household_for
from cases.models import Case
from people.models import Household
from privacy.models import Action as AccessAction
from privacy.models import Purpose
from wijkteam.forms import attach_errors
from wijkteam.pdf import pdf_response, render_pdf

from . import conversations, services
from .evaluations import with_details
from .flow import next_step, work_done
from .forms import (
    ActionForm,
    ArrangementForm,
    CommentForm,
    ConversationForm,
    GoalForm,
    PlanForm,
    ReportCorrectionForm,
)
from .models import Action, Arrangement, Comment, Goal, Plan
from .versions import changed_items, differences

# ---------------------------------------------------------------------------------------------
# Conversations


@casework_required
@require_http_methods(["GET", "POST"])
def conversation_new(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = get_case_for(request.user, case_pk, purpose=Purpose.CASEWORK)
    form = ConversationForm(request.POST or None, case=case)
    status_before = case.status
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conversation = conversations.conversation_record(
                case=case,
                by=request.user,
                held_on=data["held_on"],
                place=data["place"],
                residents=data["residents"],
                network_members=data["network_members"],
                others=data["others"],
                question_asked=data["question_asked"],
                question_behind=data["question_behind"],
                own_strength=data["own_strength"],
                network_strength=data["network_strength"],
                commitments=form.commitments(),
                provisions=data["provisions"],
                conclusion=data["conclusion"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            text = _("The conversation has been recorded.")
            if case.status != status_before:
                text += " " + _("The case is now: %(status)s.") % {"status": case.get_status_display()}
            messages.success(request, text)
            return redirect("plans:conversation", case_pk=case.pk, pk=conversation.pk)
    return render(
        request, "plans/conversation_form.html", {"case": case, "form": form}, status=400 if form.errors else 200
    )


def _conversation(request: HttpRequest, case_pk: int, pk: int, **gate):
    case = get_case_for(request.user, case_pk, purpose=Purpose.CASEWORK, **gate)
    conversation = (
        case.conversations.filter(pk=pk)
        .select_related("by")
        .prefetch_related("residents", "network_members", "professionals", "provisions", "commitments__network_member")
        .first()
    )
    if conversation is None:
        raise Http404
    return case, conversation


@casework_required
@require_http_methods(["GET", "POST"])
def conversation_detail(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    case, conversation = _conversation(request, case_pk, pk)
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            conversations.comment_add(conversation=conversation, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The comment has been added to the report."))
            return redirect("plans:conversation", case_pk=case.pk, pk=conversation.pk)
    return render(
        request,
        "plans/conversation_detail.html",
        {"case": case, "conversation": conversation, "comments": list(conversation.comments.all()), "form": form},
        status=400 if form.errors else 200,
    )


@casework_required
@require_GET
def conversation_pdf(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    """The report for the resident, in plain language, with their comments."""
    case, conversation = _conversation(request, case_pk, pk, action=AccessAction.PRINT)
    pdf = render_pdf(
        "plans/conversation_pdf.html",
        {"case": case, "conversation": conversation, "comments": list(conversation.comments.all())},
        request=request,
    )
    return pdf_response(pdf, f"verslag-{case.reference}-{conversation.held_on:%Y%m%d}.pdf")


@casework_required
@require_http_methods(["GET", "POST"])
def conversation_correct(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    """Correct the report, for example at the resident's request; the old text stays in the
    history of changes with the reason."""
    case, conversation = _conversation(request, case_pk, pk)
    form = ReportCorrectionForm(request.POST or None, conversation=conversation)
    if request.method == "POST" and form.is_valid():
        try:
            conversations.conversation_correct(conversation=conversation, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The report has been corrected; the old text is kept in the history."))
            return redirect("plans:conversation", case_pk=case.pk, pk=conversation.pk)
    return render(
        request,
        "cases/case_action.html",
        {
            "case": case,
            "form": form,
            "title": _("Correct the report of %(day)s") % {"day": conversation.held_on.strftime("%d-%m-%Y")},
            "intro": _("The old and the new text are kept in the history of changes, with the reason."),
        },
        status=400 if form.errors else 200,
    )


# ---------------------------------------------------------------------------------------------
# The plan


def _household(request: HttpRequest, household_pk: int, **gate) -> Household:
    return get_household_for(
        request.user,
        household_pk,
        purpose=Purpose.CASEWORK,
        queryset=Household.objects.select_related("area", "plan__regisseur"),
        dossier=True,
        **gate,
    )


def _plan_of(household: Household) -> Plan:
    try:
        return household.plan
    except Plan.DoesNotExist:
        raise Http404 from None


def _plan_context(household: Household, plan: Plan | None, user=None) -> dict:
    # The household's open cases the user may open: the way back, and the step the plan's work proves.
    cases = list(Case.objects.visible_to(user).open().filter(household=household)) if user else []
    if plan is None:
        return {"household": household, "plan": None, "cases": cases}
    steps = [(case, next_step(case, work_done(case, plan=plan))) for case in cases]
    goals = list(plan.goals.select_related("domain").prefetch_related("actions__network_member"))
    arrangements = list(plan.arrangements.select_related("provision", "goal"))
    return {
        "household": household,
        "plan": plan,
        "goals": goals,
        "asked": [a for a in arrangements if a.asked_for],
        "arranged": [a for a in arrangements if not a.asked_for],
        "costs": services.plan_costs(plan, arrangements),
        "members": list(household.members.select_related("resident")),
        "versions": list(plan.versions.select_related("by")[:10]),
        "plan_form": PlanForm(instance=plan, plan=plan),
        "goal_form": GoalForm(plan=plan),
        "action_form": ActionForm(plan=plan, goals=goals) if goals else None,
        "arrangement_form": ArrangementForm(plan=plan, goals=goals),
        "cases": cases,
        "steps": [(case, step) for case, step in steps if step],
        "evaluations": with_details(plan.evaluations.all()),
        # The resident's comments on the reports written in Mijn Wijkteam, of the cases the user may open.
        "portal_comments": list(
            Comment.objects.filter(via_portal=True, conversation__case__in=cases)
            .select_related("conversation__case")
            .order_by("-created_at")[:10]
        ),
    }


@casework_required
@require_GET
def plan_detail(request: HttpRequest, household_pk: int) -> HttpResponse:
    household = _household(request, household_pk)
    plan = getattr(household, "plan", None)
    return render(request, "plans/plan_detail.html", _plan_context(household, plan, request.user))


@casework_required
@require_POST
def plan_start(request: HttpRequest, household_pk: int) -> HttpResponse:
    household = _household(request, household_pk)
    try:
        services.plan_start(household=household, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The plan has been started."))
    return redirect("plans:plan", household_pk=household.pk)


# One view edits every part of the plan: the form, the model it edits and the service that saves it.
PARTS = {
    "gegevens": (PlanForm, None),
    "doel": (GoalForm, Goal),
    "actie": (ActionForm, Action),
    "regeling": (ArrangementForm, Arrangement),
}


def _save(part: str, form, plan: Plan, item, by) -> None:
    data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
    version = form.cleaned_data["version"]
    if part == "gegevens":
        services.plan_update(plan=plan, expected_version=version, by=by, **data)
    elif part == "doel":
        services.goal_save(plan=plan, expected_version=version, by=by, goal=item, **data)
    elif part == "actie":
        services.action_save(plan=plan, expected_version=version, by=by, action=item, **data)
    else:
        services.arrangement_save(plan=plan, expected_version=version, by=by, arrangement=item, **data)


@casework_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, household_pk: int, part: str, item_pk: int | None = None) -> HttpResponse:
    """Add or change one part of the plan. A save on an older version than the current one is
    refused with what changed in between, and the form keeps what the user typed."""
    if part not in PARTS:
        raise Http404
    household = _household(request, household_pk)
    plan = _plan_of(household)
    form_class, model = PARTS[part]
    item = plan if model is None else _item(model, plan, item_pk)
    form = form_class(request.POST or None, instance=item, plan=plan)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            _save(part, form, plan, item if model is not None else None, request.user)
        except services.PlanConflict as error:
            conflict = error.info
            form.refresh_version(conflict.current_version)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The plan has been saved (version %(version)s).") % {"version": plan.version})
            return redirect("plans:plan", household_pk=household.pk)
    status = 409 if conflict else 400 if form.errors else 200
    return render(
        request,
        "plans/plan_part_form.html",
        {"household": household, "plan": plan, "form": form, "part": part, "item": item, "conflict": conflict},
        status=status,
    )


def _item(model, plan: Plan, item_pk: int | None):
    if item_pk is None:
        return None
    filters = {"goal__plan": plan} if model is Action else {"plan": plan}
    item = model.objects.filter(pk=item_pk, **filters).first()
    if item is None:
        raise Http404
    return item


@casework_required
@require_GET
def plan_versions(request: HttpRequest, household_pk: int) -> HttpResponse:
    """Every version of the plan; two of them side by side with the differences marked."""
    household = _household(request, household_pk)
    plan = _plan_of(household)
    versions = list(plan.versions.select_related("by"))
    numbers = {v.number: v for v in versions}
    try:
        left = numbers.get(int(request.GET.get("a", plan.version - 1)))
        right = numbers.get(int(request.GET.get("b", plan.version)))
    except ValueError:
        left = right = None
    comparison = None
    if left and right:
        comparison = {
            "left": left,
            "right": right,
            "changes": differences(left.snapshot, right.snapshot),
            "marks": changed_items(left.snapshot, right.snapshot),
        }
    return render(
        request,
        "plans/plan_versions.html",
        {"household": household, "plan": plan, "versions": versions, "comparison": comparison},
    )


@casework_required
@require_GET
def plan_pdf(request: HttpRequest, household_pk: int) -> HttpResponse:
    """The resident's own copy of the plan, in plain language."""
    household = _household(request, household_pk, action=AccessAction.PRINT)
    plan = _plan_of(household)
    context = _plan_context(household, plan)
    pdf = render_pdf("plans/plan_pdf.html", context, request=request)
    return pdf_response(pdf, f"plan-{household.pk}-v{plan.version}.pdf")
