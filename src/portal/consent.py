"""Mijn Wijkteam: giving a consent to share. The resident chooses a partner organisation of their
municipality, what may be shared and for what; it is recorded in the consent registry through its
own service (``privacy.services.consent_record``, marked as given in Mijn Wijkteam) and is valid at
once, for a year, until the resident withdraws it (which the consents page offers)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from partners.models import Organisation
from privacy.models import DataCategory
from wijkteam.forms import attach_errors

from . import services
from .session import resident_required
from .views import _log


def municipality_of(resident) -> int | None:
    """The resident's municipality: of their district, else of the team of one of their cases."""
    if resident.area_id:
        return resident.area.municipality_id
    case = resident.cases.select_related("team").first()
    return case.team.municipality_id if case else None


class ConsentGiveForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Which organisation may receive it?"),
        queryset=Organisation.objects.none(),
        empty_label=gettext_lazy("Choose an organisation"),
    )
    categories = forms.MultipleChoiceField(
        label=gettext_lazy("What may they receive?"), choices=DataCategory.choices, widget=forms.CheckboxSelectMultiple
    )
    purpose = forms.CharField(
        label=gettext_lazy("What for?"),
        max_length=300,
        help_text=gettext_lazy("For example: so that the debt counsellor knows my situation."),
    )

    def __init__(self, *args, municipality_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            municipality_id=municipality_id, active=True
        ).order_by("name")


@resident_required
@require_http_methods(["GET", "POST"])
def consent_give(request: HttpRequest) -> HttpResponse:
    resident = request.resident.resident
    form = ConsentGiveForm(request.POST or None, municipality_id=municipality_of(resident))
    if request.method == "POST" and form.is_valid():
        try:
            consent = services.consent_give_by_resident(resident=resident, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("Thank you. From today %(organisation)s may receive what you chose, until you withdraw it.")
                % {"organisation": consent.organisation.name},
            )
            return redirect("portal:consents")
    _log(request, detail="give a consent")
    return render(request, "portal/consent_give.html", {"form": form}, status=400 if form.errors else 200)
