"""The representatives of a household's members, registered by the team (issue 25): a parent for a
child under 16, a curator, bewindvoerder or mentor. In Mijn Wijkteam the representative, signed in
with their own DigiD, can act for the represented resident. Dossier: only who may open the
household's cases."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import casework_required
from cases.access import get_household_for
from people.forms import RepresentationForm
from people.models import Household, Representation
from people.services import representation_end, representation_register
from privacy.models import Purpose
from wijkteam.forms import attach_errors


def _household(request: HttpRequest, pk: int) -> Household:
    return get_household_for(request.user, pk, purpose=Purpose.CASEWORK, dossier=True)


def _page(request: HttpRequest, household: Household, form: RepresentationForm | None = None) -> HttpResponse:
    members = list(household.members.select_related("resident"))
    today = timezone.localdate()
    representations = list(
        Representation.objects.filter(resident__in=[m.resident for m in members])
        .select_related("resident", "representative", "registered_by", "ended_by")
        .order_by("ended_on", "resident__geslachtsnaam", "pk")
    )
    for representation in representations:
        representation.valid = representation.valid_on(today)
    return render(
        request,
        "people/representations.html",
        {
            "household": household,
            "representations": representations,
            "form": form or RepresentationForm(members=members),
        },
        status=400 if form is not None and form.errors else 200,
    )


@casework_required
@require_http_methods(["GET", "POST"])
def representations(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household(request, pk)
    if request.method == "GET":
        return _page(request, household)
    form = RepresentationForm(request.POST, members=list(household.members.select_related("resident")))
    if form.is_valid():
        try:
            representation_register(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The representative has been registered."))
            return redirect("people:representations", pk=household.pk)
    return _page(request, household, form)


@casework_required
@require_POST
def representation_stop(request: HttpRequest, pk: int, representation_pk: int) -> HttpResponse:
    household = _household(request, pk)
    representation = Representation.objects.filter(
        pk=representation_pk, resident__memberships__household=household
    ).first()
    if representation is None:
        raise Http404
    try:
        representation_end(representation=representation, by=request.user)
    except ValidationError:
        messages.info(request, _("This representation has already ended."))
    else:
        messages.success(request, _("The representation has ended."))
    return redirect("people:representations", pk=household.pk)
