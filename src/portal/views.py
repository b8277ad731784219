"""Mijn Wijkteam: the resident's own pages (URL prefix /mijn/). Every page that shows the
resident's data is written to the access log with the resident as the actor (no user, role
"resident", purpose "own file"); what is shown goes through ``portal.access``."""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from accounts.oidc import REFUSALS, answer_from_other_issuer
from cases.deadlines import term_end
from contacts import services as contact_services
from contacts.models import MessageNotice
from oversight.documents import file_json, file_pdf
from plans.services import PlanConflict
from plans.versions import agreement_stands
from privacy.models import RESIDENT_ROLE, Action, ConsentStatus, Purpose
from privacy.services import log_access

from . import access, digid, services
from .session import WAS_SIGNED_IN, resident_required, sign_in, sign_out

log = logging.getLogger("portal.signin")

OBJECTION_WEEKS = 6  # Awb 6:7: an objection to a decision within six weeks (Algemene termijnenwet)


def _log(request: HttpRequest, *, detail: str, action: str = Action.VIEW, case_id: int | None = None) -> None:
    """A row about the resident whose pages these are; a page of one of their cases with its
    ``case_id``. Never a household's id: the household's other members would find this resident's
    use of the portal in their own file."""
    log_access(
        user=None,
        role=RESIDENT_ROLE,
        action=action,
        purpose=Purpose.OWN_FILE,
        resident_id=request.resident.resident.pk,
        case_id=case_id,
        detail=f"Mijn Wijkteam: {detail}{request.resident.actor_note}",
    )


# --- Signing in and out ----------------------------------------------------------------------


class _RequestView(OIDCAuthenticationRequestView):
    get_settings = staticmethod(digid.setting)


@require_GET
def sign_in_page(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/sign_in.html", {"enabled": digid.enabled(), "next": request.GET.get("next", "")})


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """To the DigiD broker, with a state, a nonce and a PKCE challenge."""
    if not digid.enabled():
        raise Http404
    try:
        return _RequestView.as_view()(request)
    except REFUSALS as error:
        log.warning("DigiD sign-in unavailable: %s", type(error).__name__)
        messages.error(request, _("DigiD cannot be reached right now. Try again later."))
        return redirect("portal:sign_in")


@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    """Back from the broker, with a code (or an error) and the state, which is used once."""
    if not digid.enabled():
        raise Http404
    if answer_from_other_issuer(request, digid.setting("OIDC_ISSUER")):
        log.warning("DigiD sign-in refused: the answer comes from another issuer")
    states = request.session.get("oidc_states") or {}
    state = request.GET.get("state", "")
    entry = states.pop(state, None)
    request.session.modified = True
    if entry is None or request.GET.get("error") or not request.GET.get("code"):
        log.info("DigiD sign-in refused: %s", "unknown state" if entry is None else "no code")
        return _failed(request)
    try:
        resident = digid.authenticate(request, nonce=entry["nonce"], code_verifier=entry.get("code_verifier"))
    except REFUSALS as error:
        log.warning("DigiD sign-in refused: %s", type(error).__name__)
        return _failed(request)
    reason = getattr(request, "wt_digid_refused", None)
    if reason == digid.UNKNOWN:
        return redirect("portal:unknown")
    if reason == digid.LOA_TOO_LOW:
        return redirect("portal:level_too_low")
    if resident is None:
        return _failed(request)
    next_url = request.session.get("oidc_login_next") or ""
    sign_in(request, resident=resident, loa=request.wt_digid_level)
    log.info("DigiD sign-in: resident id %s, level %s", resident.pk, request.wt_digid_level)
    return redirect(next_url if next_url.startswith("/mijn/") else "portal:home")


def _failed(request: HttpRequest) -> HttpResponse:
    messages.error(request, _("Signing in with DigiD did not succeed. Try again."))
    return redirect("portal:sign_in")


@require_GET
def unknown(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/unknown.html")


@require_GET
def level_too_low(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/level_too_low.html")


@require_GET
def signed_out(request: HttpRequest) -> HttpResponse:
    response = render(request, "portal/signed_out.html")
    response.delete_cookie(WAS_SIGNED_IN)
    return response


@require_POST
def sign_out_view(request: HttpRequest) -> HttpResponse:
    sign_out(request)
    response = redirect("portal:sign_in")
    response.delete_cookie(WAS_SIGNED_IN)
    messages.info(request, _("You are signed out."))
    return response


# --- The resident's pages --------------------------------------------------------------------


@resident_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    resident = request.resident.resident
    cases = list(access.own_cases(resident).open().select_related("team", "regisseur"))
    decisions = list(access.own_decisions(resident))
    for advice in decisions:
        decision = getattr(advice, "decision", None)
        advice.objection_until = term_end(decision.decided_on, OBJECTION_WEEKS) if decision else None
    _log(request, detail="start")
    unread, unread_cases = access.unread_answers(resident)
    return render(
        request,
        "portal/home.html",
        {
            "resident": resident,
            "cases": cases,
            "plans": list(access.own_plans(resident).select_related("regisseur")),
            "visits": list(access.planned_visits(resident)[:20]),
            "decisions": decisions,
            "reports": list(access.own_reports(resident)[:20]),
            # whom the signed-in resident may act for (a parent, curator, bewindvoerder, mentor)
            "represents": access.representations_of(request.resident.signed_in),
            "today": timezone.localdate(),
            "unread": unread,
            # the new messages are all in one thread: the notice opens that thread
            "unread_case": unread_cases[0] if len(unread_cases) == 1 else None,
        },
    )


def _plan_page(request: HttpRequest, plan, *, form_errors: dict | None = None, text: str = "", status: int = 200):
    resident = request.resident.resident
    # Whom to ask about the plan: the regisseur of the resident's own case in the household now (the
    # plan's regisseur may have left the case, after a move say), or else its team.
    case = (
        access.own_cases(resident)
        .open()
        .filter(household_id=plan.household_id)
        .select_related("team", "regisseur")
        .order_by(F("regisseur").asc(nulls_last=True), "opened_at", "pk")
        .first()
    )
    goals = list(plan.goals.select_related("domain").prefetch_related("actions__network_member"))
    arrangements = list(plan.arrangements.filter(asked_for=False).select_related("provision"))
    _log(request, detail="plan")
    return render(
        request,
        "portal/plan.html",
        {
            "plan": plan,
            "case": case,
            "goals": goals,
            "arrangements": arrangements,
            "errors": form_errors or {},
            "text": text,
            "requests": list(plan.resident_responses.filter(resident=resident)),
            # agreed to as it is now: nothing to agree to; changed since the agreement: agree again
            "agreement_stands": agreement_stands(plan),
        },
        status=status,
    )


@resident_required
@require_GET
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_page(request, access.get_own_plan(request.resident.resident, pk))


@resident_required
@require_POST
def plan_agree(request: HttpRequest, pk: int) -> HttpResponse:
    resident = request.resident.resident
    plan = access.get_own_plan(resident, pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        services.plan_agree(plan=plan, resident=resident, expected_version=version, level=request.resident.loa)
    except PlanConflict:
        messages.warning(request, _("The plan changed after you opened it. Read it again before you agree."))
        return redirect("portal:plan", pk=plan.pk)
    except ValidationError as error:
        return _plan_page(request, plan, form_errors=error.message_dict, status=400)
    messages.success(request, _("Thank you. Your team can see that you agree to the plan."))
    return redirect("portal:plan", pk=plan.pk)


@resident_required
@require_POST
def plan_change(request: HttpRequest, pk: int) -> HttpResponse:
    resident = request.resident.resident
    plan = access.get_own_plan(resident, pk)
    text = request.POST.get("text", "")
    try:
        services.plan_change_ask(plan=plan, resident=resident, text=text, level=request.resident.loa)
    except ValidationError as error:
        return _plan_page(request, plan, form_errors=error.message_dict, text=text, status=400)
    messages.success(request, _("Thank you. Your regisseur will read your question and contact you."))
    return redirect("portal:plan", pk=plan.pk)


@resident_required
@require_GET
def own_file(request: HttpRequest) -> HttpResponse:
    _log(request, detail="own file page")
    return render(request, "portal/own_file.html", {"resident": request.resident.resident})


@resident_required
@require_GET
def own_file_download(request: HttpRequest, form: str) -> HttpResponse:
    """The resident's own file (scenario 8), as the privacy officer would give it: the request is
    in the access log as an export, so the privacy officer sees it."""
    if form not in ("pdf", "json"):
        raise Http404
    resident = request.resident.resident
    _log(request, detail=f"own file ({form})", action=Action.EXPORT)
    return file_pdf(request, resident) if form == "pdf" else file_json(resident)


@resident_required
@require_GET
def consents(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = list(access.own_consents(request.resident.resident).order_by("-given_on", "-pk"))
    for consent in rows:
        consent.status = consent.status_on(today)
    _log(request, detail="consents")
    return render(request, "portal/consents.html", {"consents": rows, "valid": ConsentStatus.VALID})


@resident_required
@require_POST
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    resident = request.resident.resident
    consent = access.get_own_consent(resident, pk)
    try:
        services.consent_withdraw_by_resident(consent=consent, resident=resident)
    except ValidationError:
        messages.error(request, _("This consent was already withdrawn."))
        return redirect("portal:consents")
    messages.success(
        request,
        _("You withdrew your consent. From today %(organisation)s receives nothing more from us.")
        % {"organisation": consent.organisation.name},
    )
    return redirect("portal:consents")


# --- Secure messages with the team ---------------------------------------------------------------


@resident_required
@require_GET
def messages_overview(request: HttpRequest) -> HttpResponse:
    """The threads of the resident's own cases (one per case) and the choice of an e-mail notice.
    With one case, its thread at once."""
    resident = request.resident.resident
    cases = list(
        access.own_cases(resident)
        .select_related("team", "regisseur")
        .annotate(
            unread=Count("messages", filter=Q(messages__from_resident=False, messages__read_at__isnull=True)),
            total=Count("messages"),
        )
        .order_by("-opened_at", "-pk")
    )
    if len(cases) == 1:
        return redirect("portal:thread", pk=cases[0].pk)
    _log(request, detail="messages")
    return render(request, "portal/messages.html", {"cases": cases, **_notice_context(resident)})


def _notice_context(resident, *, errors: dict | None = None, email: str | None = None) -> dict:
    notice = MessageNotice.objects.filter(resident=resident).first()
    return {
        "notice": notice,
        "notice_email": email if email is not None else (notice.email if notice else resident.email),
        "notice_errors": errors or {},
    }


def _thread(request: HttpRequest, case, *, errors: dict | None = None, text: str = "", status: int = 200, **notice):
    resident = request.resident.resident
    contact_services.messages_read(case=case, by=None)
    _log(request, detail=f"messages {case.reference}", case_id=case.pk)
    return render(
        request,
        "portal/thread.html",
        {
            "case": case,
            "thread": list(case.messages.select_related("author", "contact__professional")),
            "errors": errors or {},
            "text": text,
            "several": access.own_cases(resident).count() > 1,
            **_notice_context(resident, **notice),
        },
        status=status,
    )


@resident_required
@require_http_methods(["GET", "POST"])
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    """The thread of one of the resident's cases: read (the team's messages count as read), write."""
    case = access.get_own_case(request.resident.resident, pk)
    if request.method == "GET":
        return _thread(request, case)
    text = request.POST.get("text", "")
    try:
        contact_services.message_from_resident(case=case, text=text)
    except ValidationError as error:
        return _thread(request, case, errors=error.message_dict, text=text, status=400)
    messages.success(request, _("Your message has been sent. Your contact person will answer here."))
    return redirect("portal:thread", pk=case.pk)


@resident_required
@require_POST
def message_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The resident's choice of an e-mail (without content) when the team writes."""
    resident = request.resident.resident
    case = access.get_own_case(resident, pk)
    email = request.POST.get("email", "") if request.POST.get("wanted") else ""
    try:
        notice = contact_services.message_notice_set(resident=resident, email=email)
    except ValidationError as error:
        return _thread(request, case, errors=error.message_dict, status=400, email=email)
    if notice:
        messages.success(request, _("You will get an e-mail when there is a new message for you."))
    else:
        messages.success(request, _("You will not get an e-mail about new messages."))
    return redirect("portal:thread", pk=case.pk)


@resident_required
@require_http_methods(["GET", "POST"])
def visit_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask to move a planned visit: the request reaches the regisseur as a message on that visit,
    in the thread of its case."""
    visit = access.get_planned_visit(request.resident.resident, pk)
    errors, text, preferred = {}, "", ""
    if request.method == "POST":
        text, preferred = request.POST.get("text", ""), request.POST.get("preferred", "")
        try:
            contact_services.message_from_resident(case=visit.case, text=text, contact=visit, preferred=preferred)
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"preferred": error.messages}
        else:
            messages.success(request, _("Your request has been sent. Your contact person will answer you here."))
            return redirect("portal:thread", pk=visit.case_id)
    _log(request, detail="appointment", case_id=visit.case_id)
    return render(
        request,
        "portal/visit_move.html",
        {"visit": visit, "errors": errors, "text": text, "preferred": preferred},
        status=400 if errors else 200,
    )
