from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import casework_required
from areas.models import Municipality
from people.search import search_residents
from privacy.access import log_access
from privacy.models import Action, Purpose
from teams.models import Team
from teams.services import team_ids_of
from wijkteam.forms import attach_errors

from . import services
from .forms import DeskForm
from .models import Outcome, Question, Route


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


@casework_required
@require_http_methods(["GET", "POST"])
def desk(request: HttpRequest) -> HttpResponse:
    """Register a question on one screen: who, what, channel and outcome."""
    municipality = municipality_of(request.user)
    form = DeskForm(request.POST or None, user=request.user, municipality=municipality)
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
                messages.success(
                    request,
                    _("Melding registered: case %(reference)s is in the team's work queue.")
                    % {"reference": registered.case.reference},
                )
                return redirect("cases:detail", pk=registered.case.pk)
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
        },
    )


@casework_required
@require_GET
def resident_search(request: HttpRequest) -> HttpResponse:
    """Search-as-you-type on the desk screen: the matches as choices."""
    text = request.GET.get("q", "")[:100]
    results, parsed = search_residents(request.user, text, limit=10)
    if not parsed.empty:
        log_access(
            user=request.user,
            action=Action.SEARCH,
            purpose=Purpose.INTAKE,
            detail=f"{parsed.kind}: {len(results)}",
        )
    return render(request, "intake/_resident_choices.html", {"results": results, "searched": not parsed.empty})
