import time

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import LegalFramework
from partners.models import Organisation, OrganisationKind
from people.forms import DateInput
from people.models import Resident
from people.validators import normalise_postcode, validate_birth_date, validate_postcode
from provisions.models import Provision, ProvisionKind
from zrm.models import LifeDomain

from .models import Channel, Outcome

# Where people already are: the places a question can be asked outside the desk.
VINDPLAATS_KINDS = [
    OrganisationKind.SCHOOL,
    OrganisationKind.CONSULTATIEBUREAU,
    OrganisationKind.HUISARTS,
    OrganisationKind.WELZIJN,
    OrganisationKind.WIJKPLATFORM,
    OrganisationKind.SPORTCLUB,
    OrganisationKind.KERK,
    OrganisationKind.GEMEENTE,
]


class DeskForm(forms.Form):
    """One screen for a question: who, what, how it came in, and what came of it."""

    resident = forms.IntegerField(required=False, widget=forms.HiddenInput)
    new_voornamen = forms.CharField(label=_("Given names"), required=False, max_length=200)
    new_voorvoegsel = forms.CharField(label=_("Surname prefix"), required=False, max_length=20)
    new_geslachtsnaam = forms.CharField(label=_("Surname"), required=False, max_length=200)
    new_birth_date = forms.DateField(
        label=_("Date of birth"), required=False, widget=DateInput(), validators=[validate_birth_date]
    )
    new_postcode = forms.CharField(label=_("Postcode"), required=False, max_length=7)
    new_huisnummer = forms.IntegerField(label=_("House number"), required=False, min_value=1, max_value=99999)
    text = forms.CharField(label=_("Question"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    life_domains = forms.ModelMultipleChoiceField(
        label=_("Life domains"),
        queryset=LifeDomain.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only the domains the question touches."),
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, widget=forms.RadioSelect, initial="balie")
    vindplaats = forms.ModelChoiceField(
        label=_("Which vindplaats"), queryset=Organisation.objects.none(), required=False
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect, initial=Outcome.ANSWERED
    )
    answer = forms.CharField(
        label=_("Answer or advice given"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    provision = forms.ModelChoiceField(
        label=_("General provision referred to"), queryset=Provision.objects.none(), required=False
    )
    frameworks = forms.ModelMultipleChoiceField(
        label=_("Legal framework of the melding"),
        queryset=LegalFramework.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Only for a melding; Wmo when left empty."),
    )
    started = forms.FloatField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.chosen_resident: Resident | None = None
        self.fields["life_domains"].label_from_instance = lambda d: d.label
        self.fields["frameworks"].label_from_instance = lambda f: f.name
        self.fields["vindplaats"].queryset = Organisation.objects.filter(
            municipality=municipality, kind__in=VINDPLAATS_KINDS, active=True
        ).order_by("name")
        self.fields["provision"].queryset = (
            Provision.objects.active().filter(municipality=municipality, kind=ProvisionKind.ALGEMEEN).order_by("name")
        )
        if not self.is_bound:
            self.initial["started"] = time.time()

    def clean_new_postcode(self) -> str:
        value = self.cleaned_data.get("new_postcode", "")
        if value:
            validate_postcode(value)
            return normalise_postcode(value)
        return ""

    def clean_resident(self) -> int | None:
        pk = self.cleaned_data.get("resident")
        if pk:
            self.chosen_resident = Resident.objects.visible_to(self.user).filter(pk=pk).first()
            if self.chosen_resident is None:
                raise forms.ValidationError(_("Choose a resident from the search results."))
        return pk

    def clean(self):
        cleaned = super().clean()
        if self.new_resident() and not self.chosen_resident:
            if not cleaned.get("new_geslachtsnaam"):
                self.add_error("new_geslachtsnaam", _("Enter the surname of the new resident."))
            if not cleaned.get("new_birth_date"):
                self.add_error("new_birth_date", _("Enter the date of birth of the new resident."))
        return cleaned

    def new_resident(self) -> dict | None:
        """The inline new resident's details, or None when none were entered."""
        data = getattr(self, "cleaned_data", {})
        details = {
            "voornamen": data.get("new_voornamen", ""),
            "voorvoegsel": data.get("new_voorvoegsel", ""),
            "geslachtsnaam": data.get("new_geslachtsnaam", ""),
            "birth_date": data.get("new_birth_date"),
            "postcode": data.get("new_postcode", ""),
            "huisnummer": data.get("new_huisnummer"),
        }
        return details if any(details.values()) else None

    def seconds_taken(self) -> int | None:
        started = self.cleaned_data.get("started")
        if not started:
            return None
        seconds = int(time.time() - started)
        return seconds if 0 <= seconds < 24 * 3600 else None
