"""The privacy officer's screens: the review of the access log with its anomaly list, and the
resident's request to see everything held about them (scenario 8)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef
from django.db.models.lookups import IsNull
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import casework_required, role_required
from accounts.models import Role, User
from cases.access import (
    break_glass_visibility,
    get_case_card_for,
    get_resident_for_request,
    may_open,
    rectification_requests_for,
    residents_for_request,
)
from cases.models import CaseEvent
from casework.residents import change_resident
from privacy import chain
from privacy import services as privacy_services
from privacy.models import Action, BreakGlass, Purpose
from privacy.services import log_access
from wijkteam.exports import csv_response
from wijkteam.forms import attach_errors, refuse_invalid

from . import services
from .documents import file_json, file_pdf
from .forms import BreakGlassForm, BreakGlassReviewForm, PeriodForm, RequestSearchForm
from .review import (
    KNOWN_QUERY_MINIMUM,
    KNOWN_QUERY_RATIO,
    findings,
    involvement_changes,
    known_query_review,
    log_search,
)
from .rights import resident_file

privacy_officer_required = role_required(Role.PRIVACY_OFFICER)
reviewer_required = role_required(Role.TEAM_LEADER, Role.PRIVACY_OFFICER)


def _own_municipality(request: HttpRequest) -> None:
    """A privacy officer works for one municipality; without one there is nothing to show."""
    if request.user.municipality_id is None:
        raise Http404


LOG_ROWS = 500


@privacy_officer_required
@require_GET
def review(request: HttpRequest) -> HttpResponse:
    """Anomalies in the access log over a period (default: the last 30 days)."""
    _own_municipality(request)
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    found = findings(start=start, end=end, municipality_id=request.user.municipality_id)
    partners = known_query_review(start=start, end=end, municipality_id=request.user.municipality_id)
    involvements = list(involvement_changes(start=start, end=end, municipality_id=request.user.municipality_id))
    if request.GET.get("formaat") == "csv":
        refuse_invalid(form)
        return csv_response(
            f"toegangslog-signalen-{start:%Y%m%d}-{end:%Y%m%d}.csv",
            ["Signaal", "Medewerker", "Rol", "Eerste", "Laatste", "Aantal dossiers"],
            [
                *(
                    [
                        f.label,
                        str(f.user or ""),
                        getattr(f.user, "role", ""),
                        f"{f.first:%d-%m-%Y %H:%M}",
                        f"{f.last:%d-%m-%Y %H:%M}",
                        f.count,
                    ]
                    for f in found
                ),
                *(
                    [
                        _("Many bekendheidsvragen, few referrals: %(questions)s questions, %(referrals)s referrals")
                        % {"questions": p.questions, "referrals": p.referrals},
                        str(p.organisation),
                        _("partner organisation"),
                        f"{start:%d-%m-%Y}",
                        f"{end:%d-%m-%Y}",
                        p.known,
                    ]
                    for p in partners
                    if p.marked
                ),
            ],
        )
    return render(
        request,
        "privacy/review.html",
        {
            "form": form,
            "findings": found,
            "partners": partners,
            "involvements": involvements,
            "minimum": KNOWN_QUERY_MINIMUM,
            "ratio": KNOWN_QUERY_RATIO,
            "start": start,
            "end": end,
        },
        status=400 if form.refused else 200,
    )


@privacy_officer_required
@require_GET
def log(request: HttpRequest) -> HttpResponse:
    """Who read what: the log about one resident, or by one user."""
    _own_municipality(request)
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    resident = user = None
    rows = []
    if request.GET.get("inwoner"):
        resident = get_resident_for_request(request.user, request.GET["inwoner"], action=Action.SEARCH)
        rows = list(log_search(resident_id=resident.pk, start=start, end=end)[:LOG_ROWS])
    elif request.GET.get("medewerker"):
        user = User.objects.filter(
            pk=request.GET["medewerker"] if request.GET["medewerker"].isdigit() else 0,
            municipality_id=request.user.municipality_id,
        ).first()
        if user is not None:
            rows = list(log_search(user_id=user.pk, start=start, end=end)[:LOG_ROWS])
            log_access(user=request.user, action=Action.SEARCH, purpose=Purpose.PRIVACY_REQUEST, detail="log by user")
    staff = User.objects.filter(municipality_id=request.user.municipality_id, is_active=True).order_by(
        "first_name", "last_name"
    )
    return render(
        request,
        "privacy/log.html",
        {"form": form, "rows": rows, "resident": resident, "person": user, "staff": staff, "limit": LOG_ROWS},
        status=400 if form.refused else 200,
    )


@privacy_officer_required
@require_GET
def log_check(request: HttpRequest) -> HttpResponse:
    """Whether any row of the access log was forged, changed or removed (privacy.chain): the whole
    chain is checked when the officer asks, as ``manage.py verify_access_log`` does."""
    report = chain.verify() if request.GET.get("controleren") else None
    return render(request, "privacy/log_check.html", {"report": report})


@privacy_officer_required
@require_GET
def requests(request: HttpRequest) -> HttpResponse:
    """Find the resident who asked to see their file."""
    form = RequestSearchForm(request.GET or None)
    found = None
    if form.is_valid():
        found = residents_for_request(request.user, bsn=form.cleaned_data["bsn"], name=form.cleaned_data["naam"])
    # Reports of a mistake from Mijn Wijkteam, the open ones first, the oldest due first.
    rectifications = list(
        rectification_requests_for(request.user).order_by(F("handled_on").desc(nulls_first=True), "due_on", "pk")[:50]
    )
    if rectifications:  # names of residents on the page: logged, without them
        log_access(
            user=request.user,
            action=Action.VIEW,
            purpose=Purpose.PRIVACY_REQUEST,
            detail=f"{len(rectifications)} rectification requests",
        )
    return render(
        request,
        "privacy/requests.html",
        {"form": form, "found": found, "rectifications": rectifications, "today": timezone.localdate()},
        status=400 if form.errors else 200,
    )


@privacy_officer_required
@require_GET
def resident_request(request: HttpRequest, pk: int) -> HttpResponse:
    return _resident_page(request, get_resident_for_request(request.user, pk))


def _resident_page(request: HttpRequest, resident, *, answer_errors: dict | None = None, status: int = 200):
    """Everything held about the resident, with their reports of a mistake to answer. ``answer_errors``:
    the refused answer of one request (its id, the messages and the text as written)."""
    return render(
        request,
        "privacy/resident_file.html",
        {
            "resident": resident,
            "file": resident_file(resident),
            "rectifications": list(rectification_requests_for(request.user).filter(resident=resident)),
            "answer_errors": answer_errors or {},
            "today": timezone.localdate(),
        },
        status=status,
    )


@privacy_officer_required
@require_POST
def rectification_answer(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    """The officer answers a resident's report of a mistake (after correcting what was wrong, on
    the resident's or the case's page); the resident reads the answer in Mijn Wijkteam."""
    resident = get_resident_for_request(request.user, pk)
    asked = rectification_requests_for(request.user).filter(resident=resident, pk=request_pk).first()
    if asked is None:
        raise Http404
    answer = request.POST.get("answer", "")
    try:
        privacy_services.rectification_answer(request=asked, by=request.user, answer=answer)
    except ValidationError as error:
        errors = {"pk": asked.pk, "messages": error.messages, "text": answer}
        return _resident_page(request, resident, answer_errors=errors, status=400)
    messages.success(request, _("The answer is recorded; the resident can read it in Mijn Wijkteam."))
    return redirect(reverse("privacy:resident", args=[resident.pk]) + f"#rectification-{asked.pk}")


@privacy_officer_required
@require_GET
def resident_request_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything held about the resident, in one document for them."""
    return file_pdf(request, get_resident_for_request(request.user, pk, action=Action.EXPORT))


@privacy_officer_required
@require_GET
def resident_request_json(request: HttpRequest, pk: int) -> HttpResponse:
    """The same, machine-readable (AVG art. 15(3) and 20)."""
    return file_json(get_resident_for_request(request.user, pk, action=Action.EXPORT))


# ---------------------------------------------------------------------------------------------
# Break the glass: a team member opens a colleague's dossier with a stated reason


def case_card(request: HttpRequest, case, *, form: BreakGlassForm | None = None, status: int = 403) -> HttpResponse:
    """The minimal card of a case the user knows of but is not on, with the form to open it.
    Shown by ``BreakGlassMiddleware`` on any page of the dossier; the gate has logged it."""
    if form is None:
        next_url = request.get_full_path() if request.method == "GET" else ""
        form = BreakGlassForm(initial={"next": next_url})
    return render(request, "privacy/case_card.html", {"case": case, "form": form}, status=status)


def _next_url(request: HttpRequest, candidate: str, case) -> str:
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return case.get_absolute_url()


@casework_required
@require_POST
def break_glass(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = get_case_card_for(request.user, case_pk, log=False)
    form = BreakGlassForm(request.POST)
    if may_open(request.user, case):
        return redirect(case.get_absolute_url())
    if form.is_valid():
        try:
            services.break_glass_open(
                user=request.user,
                case=case,
                reason=form.cleaned_data["reason"],
                explanation=form.cleaned_data["explanation"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.info(request, _("You have opened the dossier. Your reason has been sent to your team leader."))
            return redirect(_next_url(request, form.cleaned_data["next"], case))
    return case_card(request, case, form=form, status=400)


REVIEW_ROWS = 200


@reviewer_required
@require_GET
def break_glass_list(request: HttpRequest) -> HttpResponse:
    """For the team leader (their teams) and the privacy officer (the municipality): every dossier
    opened with a reason, those not yet reviewed first, and whether anything was recorded after."""
    followed_up = CaseEvent.objects.filter(
        case_id=OuterRef("case_id"), by_id=OuterRef("user_id"), at__gte=OuterRef("at")
    )
    grants = list(
        BreakGlass.objects.filter(break_glass_visibility(request.user))
        .select_related("case__team", "user", "reviewed_by")
        .annotate(followed_up=Exists(followed_up))
        .order_by(IsNull(F("reviewed_at"), True).desc(), "-at")[:REVIEW_ROWS]  # not yet reviewed first
    )
    return render(
        request,
        "privacy/break_glass_list.html",
        {"grants": grants, "limit": REVIEW_ROWS},
    )


@reviewer_required
@require_POST
def break_glass_review(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_object_or_404(BreakGlass.objects.filter(break_glass_visibility(request.user)), pk=pk)
    form = BreakGlassReviewForm(request.POST)
    if form.is_valid():
        try:
            services.break_glass_review(grant=grant, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Marked as reviewed."))
    return redirect("privacy:break_glass_list")


@privacy_officer_required
@require_http_methods(["GET", "POST"])
def resident_rectify(request: HttpRequest, pk: int) -> HttpResponse:
    """The resident asks to correct their personal data (AVG art. 16): the officer records the
    correction with its reason; it shows in the history and in the resident's file."""
    resident = get_resident_for_request(request.user, pk)
    return change_resident(request, resident, rectification=True, done=reverse("privacy:resident", args=[resident.pk]))
