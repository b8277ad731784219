from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.lookups import IsNull
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import casework_required, role_required
from accounts.models import Role
from areas.models import Municipality
from areas.services import area_for_postcode
from cases.access import get_household_for, visible_households, visible_residents
from cases.queue import queued_households, why_waiting
from people.brp.fill import fill_from_brp
from people.districts import district_of_team
from people.search import search_residents
from people.services import resident_register
from privacy.models import Action, Purpose
from privacy.services import log_access
from teams.models import Team
from teams.services import team_ids_of
from wijkteam.forms import attach_errors
from wijkteam.middleware import address_of

from . import services
from .forms import (
    CloseReferralForm,
    DeskForm,
    KnownQueryForm,
    PartnerKeyForm,
    QueueAssignForm,
    ReferralForm,
    SelfReferralForm,
    TakeUpForm,
    name_parts,
)
from .models import Channel, KnownQuery, Outcome, PartnerToken, Question, Referral, ReferralSource, Route
from .queue import household_assign_team
from .ratelimit import allow


def municipality_of(user) -> Municipality:
    """The municipality a professional works for: their own, or that of their first team."""
    if user.municipality_id:
        return user.municipality
    team = Team.objects.filter(pk__in=team_ids_of(user)).select_related("municipality").first()
    if team is None:
        raise PermissionDenied
    return team.municipality


def _counts(municipality: Municipality, since) -> dict:
    """Questions registered since ``since``, by outcome: counted even when no case came of them."""
    return Question.objects.filter(municipality=municipality, registered_at__gte=since).aggregate(
        total=Count("pk"),
        answered=Count("pk", filter=Q(outcome=Outcome.ANSWERED)),
        referred=Count("pk", filter=Q(outcome=Outcome.REFERRED)),
        meldingen=Count("pk", filter=Q(outcome=Outcome.MELDING)),
        cases=Count("pk", filter=Q(route=Route.TEAM)),
    )


def _brp_filled(request: HttpRequest, form_class, **form_kwargs) -> tuple[object, dict] | None:
    """ "Look up in the BRP" on the inline new resident: the resident form's own lookup
    (``people.brp.fill``, logged with the purpose intake), the form again with what the BRP gave.
    The form and the context for the new resident's fragment, or None when not asked."""
    if "brp" not in request.POST and "brp_pick" not in request.POST:
        return None
    filled = fill_from_brp(request.POST, request.user, prefix="new_", purpose=Purpose.INTAKE)
    form = form_class(initial=filled.data, user=request.user, **form_kwargs)
    return form, {"brp_message": filled.message, "brp_ok": filled.ok, "brp_choices": filled.choices}


def _new_resident_fragment(request: HttpRequest, form, context: dict) -> HttpResponse:
    return render(request, "intake/_new_resident.html", {"form": form, **context})


@casework_required
@require_http_methods(["GET", "POST"])
def desk(request: HttpRequest) -> HttpResponse:
    """Register a question on one screen: who, what, channel and outcome."""
    municipality = municipality_of(request.user)
    brp = _brp_filled(request, DeskForm, municipality=municipality)
    if brp is not None and request.headers.get("HX-Request"):
        return _new_resident_fragment(request, *brp)
    form, brp_context = brp or (DeskForm(request.POST or None, user=request.user, municipality=municipality), {})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registered = services.question_register(
                by=request.user,
                municipality=municipality,
                text=data["text"],
                life_domains=data["life_domains"],
                channel=data["channel"],
                outcome=data["outcome"],
                vindplaats=data["vindplaats"],
                resident=form.chosen_resident,
                new_resident=form.new_resident(),
                provision=data["provision"],
                answer=data["answer"],
                frameworks=data["frameworks"],
                seconds_taken=form.seconds_taken(),
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            question = registered.question
            if registered.case is not None:
                case = registered.case
                if case.team_id in team_ids_of(request.user):
                    messages.success(
                        request,
                        _("Melding registered: case %(reference)s is in the team's work queue.")
                        % {"reference": case.reference},
                    )
                    return redirect("cases:detail", pk=case.pk)
                # Another team's district: say where it went, never send to a page one cannot open.
                messages.success(
                    request,
                    _("Melding registered: case %(reference)s is in the work queue of %(team)s.")
                    % {"reference": case.reference, "team": case.team},
                )
                return redirect("intake:questions")
            if question.route == Route.QUEUE:
                household = services.household_of(question.resident)
                messages.success(
                    request,
                    _("Melding registered. No team serves this address: it waits in the municipal intake queue."),
                )
                return redirect("people:household", pk=household.pk)
            messages.success(
                request,
                _("Question registered: %(outcome)s.") % {"outcome": Route(question.route).label}
                if question.route
                else _("Question registered: %(outcome)s.") % {"outcome": question.get_outcome_display().lower()},
            )
            return redirect("intake:desk")
    today = timezone.localdate()
    start = timezone.make_aware(timezone.datetime(today.year, today.month, today.day))
    return render(
        request,
        "intake/desk.html",
        {
            "form": form,
            "municipality": municipality,
            "chosen": form.chosen_resident,
            "today": _counts(municipality, start),
            "week": _counts(municipality, start - timedelta(days=today.weekday())),
            **brp_context,
        },
    )


@casework_required
@require_GET
def resident_search(request: HttpRequest) -> HttpResponse:
    """Search-as-you-type on the desk screen: the matches as choices."""
    text = request.GET.get("q", "")[:100]
    results, parsed = search_residents(visible_residents(request.user), text, limit=10)
    if not parsed.empty:
        log_access(
            user=request.user,
            action=Action.SEARCH,
            purpose=Purpose.INTAKE,
            detail=f"{parsed.kind}: {len(results)}",
        )
    return render(request, "intake/_resident_choices.html", {"results": results, "searched": not parsed.empty})


# --- referrals: partners, the team's inbox, the bekendheidsvraag ------------------------------


def _partner_organisation(request: HttpRequest):
    """A referrer signed in for a partner organisation; other roles get 403."""
    user = request.user
    if not user.is_authenticated:
        return None
    if user.role != Role.REFERRER or user.organisation_id is None:
        raise PermissionDenied
    return user.organisation


@login_required
@require_http_methods(["GET", "POST"])
def refer(request: HttpRequest) -> HttpResponse:
    """A partner professional refers a resident and sees the status of their organisation's referrals."""
    organisation = _partner_organisation(request)
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        submitted = services.referral_submit(
            municipality=organisation.municipality,
            source=ReferralSource.PARTNER,
            organisation=organisation,
            referred_by=request.user,
            **data,
        )
        if submitted.created:
            messages.success(request, _("Thank you: the team has received your referral."))
        else:
            messages.info(request, _("You had already sent this referral (same reference); it was not sent twice."))
        return redirect("intake:refer")
    referrals = list(
        Referral.objects.of_organisation(organisation)
        .select_related("case")
        .only("pk", "received_at", "client_reference", "name", "closed_at", "case__status")[:100]
    )
    return render(request, "intake/refer.html", {"form": form, "referrals": referrals, "organisation": organisation})


@login_required
@require_http_methods(["GET", "POST"])
def known_query(request: HttpRequest) -> HttpResponse:
    """Bekendheidsvraag: is this household known to the team? Yes or no, and the question is kept."""
    organisation = _partner_organisation(request)
    form = KnownQueryForm(request.POST or None)
    answer, status = None, 200
    if request.method == "POST":
        if not services.known_query_allowed(f"user:{request.user.pk}"):
            form.add_error(None, _("You have asked too many questions in the last hour. Try again later."))
            status = 429
        elif form.is_valid():
            answer = services.known_query_ask(
                organisation=organisation,
                asked_by=request.user,
                purpose=form.cleaned_data["purpose"],
                bsn=form.cleaned_data["bsn"],
            )
            form = KnownQueryForm()
        else:
            status = 400
    return render(request, "intake/known_query.html", {"form": form, "answer": answer}, status=status)


@casework_required
@require_GET
def referrals(request: HttpRequest) -> HttpResponse:
    """The team's inbox of referrals waiting to be taken up."""
    waiting = list(
        Referral.objects.visible_to(request.user)
        .waiting()
        .select_related("organisation", "team")
        .prefetch_related("life_domains")[:200]
    )
    return render(request, "intake/referrals.html", {"referrals": waiting})


def _referral(request: HttpRequest, pk: int) -> Referral:
    referral = (
        Referral.objects.visible_to(request.user)
        .select_related("organisation", "referred_by", "team", "case")
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise Http404
    return referral


def _take_up_resident(request: HttpRequest, details: dict):
    """A new resident for a referral the user's team takes up: where the postcode lies in several
    districts, the one the team serves (taking it up is the choice); otherwise the form asks."""
    details = dict(details)
    district = details.pop("district", None) or district_of_team(
        details.get("postcode", ""), details.get("huisnummer"), team_ids_of(request.user)
    )
    return resident_register(by=request.user, district=district, **details)


@casework_required
@require_http_methods(["GET", "POST"])
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    brp = _brp_filled(request, TakeUpForm)
    if brp is not None and request.headers.get("HX-Request"):
        return _new_resident_fragment(request, *brp)
    take_form = TakeUpForm(
        request.POST if "take_up" in request.POST and brp is None else None,
        user=request.user,
        initial={
            **name_parts(referral.name),  # the names the referrer gave
            "new_postcode": referral.postcode,
            "new_huisnummer": referral.huisnummer,
            "new_birth_date": referral.birth_date,
        },
    )
    take_form, brp_context = brp or (take_form, {})
    close_form = CloseReferralForm(request.POST if "close" in request.POST else None)
    if request.method == "POST" and brp is None:
        try:
            if "take_up" in request.POST and take_form.is_valid():
                with transaction.atomic():
                    resident = take_form.chosen_resident or _take_up_resident(request, take_form.new_resident())
                    case = services.referral_take_up(
                        referral=referral,
                        resident=resident,
                        frameworks=take_form.cleaned_data["frameworks"],
                        by=request.user,
                    )
                messages.success(request, _("Case %(reference)s has been opened.") % {"reference": case.reference})
                return redirect("cases:triage", pk=case.pk)
            if "close" in request.POST and close_form.is_valid():
                services.referral_close(referral=referral, note=close_form.cleaned_data["note"], by=request.user)
                messages.success(request, _("The referral has been closed."))
                return redirect("intake:referrals")
        except ValidationError as error:
            attach_errors(take_form if "take_up" in request.POST else close_form, error)
    log_access(user=request.user, action=Action.VIEW, purpose=Purpose.INTAKE, detail=f"referral {referral.pk}")
    return render(
        request,
        "intake/referral_detail.html",
        {
            "referral": referral,
            "life_domains": list(referral.life_domains.all()),
            "take_form": take_form,
            "close_form": close_form,
            "chosen": take_form.chosen_resident,
            **brp_context,
        },
        status=400 if request.method == "POST" and brp is None else 200,
    )


@casework_required
@require_GET
def known_queries(request: HttpRequest) -> HttpResponse:
    """Who asked whether a household is known, when, why, and what they were told."""
    municipality = municipality_of(request.user)
    rows = list(
        KnownQuery.objects.filter(organisation__municipality=municipality).select_related("organisation", "asked_by")[
            :200
        ]
    )
    visible = set(
        visible_households(request.user)
        .filter(pk__in={r.household_id for r in rows if r.household_id})
        .values_list("pk", flat=True)
    )
    return render(request, "intake/known_queries.html", {"rows": rows, "visible": visible})


# --- the public self-referral form -----------------------------------------------------------

SELF_REFERRAL_LIMIT = 5  # per client address per hour
SELF_REFERRAL_WINDOW = 3600
SELF_REFERRAL_MAX_BYTES = 16_384


@require_http_methods(["GET", "POST"])
def self_referral(request: HttpRequest) -> HttpResponse:
    """For residents, no login: ask the team for help. Short, plain language, with the privacy
    statement on the page; rate-limited per address and size-limited."""
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > SELF_REFERRAL_MAX_BYTES:
            return render(request, "intake/self_referral_refused.html", {"too_large": True}, status=413)
        if not allow(f"self-referral:{address_of(request)}", limit=SELF_REFERRAL_LIMIT, window=SELF_REFERRAL_WINDOW):
            response = render(request, "intake/self_referral_refused.html", {"too_many": True}, status=429)
            response["Retry-After"] = str(SELF_REFERRAL_WINDOW)
            return response
    form = SelfReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["website"]:  # filled in by a robot
            return redirect("intake:self_referral_thanks")
        area = area_for_postcode(data["postcode"])
        municipality = area.municipality if area else Municipality.objects.filter(teams__isnull=False).first()
        if municipality is None:
            form.add_error("postcode", _("We cannot find this postcode. Call us instead."))
        else:
            services.referral_submit(
                municipality=municipality,
                source=ReferralSource.SELF,
                name=data["name"],
                phone=data["phone"],
                email=data["email"],
                postcode=data["postcode"],
                huisnummer=data["huisnummer"],
                concern=data["concern"],
                resident_informed=True,
            )
            return redirect("intake:self_referral_thanks")
    return render(request, "intake/self_referral.html", {"form": form})


@require_GET
def self_referral_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/self_referral_thanks.html")


@casework_required
@require_GET
def questions(request: HttpRequest) -> HttpResponse:
    """The figures of the month (every question counts, also those that needed no case) and the
    questions I registered, with where they went: in a netwerk municipality this is my follow-up list."""
    municipality = municipality_of(request.user)
    today = timezone.localdate()
    since = timezone.make_aware(timezone.datetime(today.year, today.month, 1))
    month = Question.objects.filter(municipality=municipality, registered_at__gte=since)
    by_outcome = dict(month.values_list("outcome").annotate(n=Count("pk")).values_list("outcome", "n"))
    by_channel = dict(month.values_list("channel").annotate(n=Count("pk")).values_list("channel", "n"))
    quick = month.filter(case__isnull=True, seconds_taken__lt=60).count()
    mine = list(
        Question.objects.filter(registered_by=request.user)
        .select_related("resident", "vindplaats", "provision", "case", "team")
        .prefetch_related("life_domains")[:50]
    )
    return render(
        request,
        "intake/questions.html",
        {
            "municipality": municipality,
            "since": since,
            "total": sum(by_outcome.values()),
            "outcomes": [(label, by_outcome.get(value, 0)) for value, label in Outcome.choices],
            "channels": [(label, by_channel.get(value, 0)) for value, label in Channel.choices],
            "quick": quick,
            "mine": mine,
        },
    )


# --- partner API keys: the functional administrator ----------------------------------------------


@role_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def partner_keys(request: HttpRequest) -> HttpResponse:
    """Issue an API key to a partner organisation (shown once, stored as a hash), and every key of the
    municipality with who issued and who revoked it, and when."""
    municipality = request.user.municipality
    if municipality is None:
        raise Http404
    form = PartnerKeyForm(request.POST or None, municipality=municipality)
    issued, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            try:
                token, key = services.partner_key_issue(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                issued = (token, key)
                form = PartnerKeyForm(municipality=municipality)
        status = 201 if issued else 400
    keys = (
        PartnerToken.objects.filter(organisation__municipality=municipality)
        .select_related("organisation", "issued_by", "revoked_by")
        .order_by(IsNull(F("revoked_at"), True).desc(), "organisation__name", "-created_at")
    )
    return render(request, "intake/partner_keys.html", {"form": form, "keys": keys, "issued": issued}, status=status)


@role_required(Role.ADMINISTRATOR)
@require_POST
def partner_key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(PartnerToken, pk=pk, organisation__municipality_id=request.user.municipality_id)
    try:
        services.partner_key_revoke(token=token, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The key %(prefix)s… of %(organisation)s has been revoked.")
            % {"prefix": token.prefix, "organisation": token.organisation},
        )
    return redirect("intake:partner_keys")


# --- the municipal intake queue: nobody is lost ----------------------------------------------------


@casework_required
@require_GET
def intake_queue(request: HttpRequest) -> HttpResponse:
    """The households no team serves, waiting for a team: for the desk and the team leaders of the
    municipality; a team leader assigns each to a team. The list is logged as one reading."""
    households = list(
        queued_households(request.user)
        .select_related("area", "registered_by")
        .prefetch_related("members__resident")
        .order_by("created_at", "pk")[:200]
    )
    for household in households:
        main = next((m.resident for m in household.members.all() if m.relation == "main"), None)
        household.main = main
        household.why = why_waiting(household, main)
    log_access(
        user=request.user, action=Action.SEARCH, purpose=Purpose.INTAKE, detail=f"intake queue: {len(households)}"
    )
    leads = request.user.role == Role.TEAM_LEADER
    return render(
        request,
        "intake/queue.html",
        {"households": households, "assign_form": QueueAssignForm(user=request.user) if leads else None},
    )


@role_required(Role.TEAM_LEADER)
@require_POST
def intake_queue_assign(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_household_for(request.user, pk, purpose=Purpose.INTAKE)
    form = QueueAssignForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            cases = household_assign_team(household=household, team=form.cleaned_data["team"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                ngettext(
                    "%(household)s has been assigned to %(team)s; %(count)s case is in its work queue.",
                    "%(household)s has been assigned to %(team)s; %(count)s cases are in its work queue.",
                    len(cases),
                )
                % {"household": household.label, "team": form.cleaned_data["team"], "count": len(cases)},
            )
    else:
        messages.error(request, _("Choose a team."))
    return redirect("intake:queue")
