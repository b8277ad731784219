import copy
import re
import time

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.access import visible_residents
from cases.models import LegalFramework
from partners.models import Organisation, OrganisationKind
from people.brp.fill import FORM_FIELDS
from people.districts import districts_for
from people.forms import DateInput, ResidentForm
from people.models import Resident
from people.validators import (
    normalise_bsn,
    normalise_postcode,
    validate_birth_date,
    validate_bsn,
    validate_postcode,
)
from provisions.models import Provision, ProvisionKind
from teams.models import Team
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


class ResidentPickForm(forms.Form):
    """Who: a resident chosen from search-as-you-type results, or a new one added inline."""

    resident = forms.IntegerField(required=False, widget=forms.HiddenInput)
    new_voornamen = forms.CharField(label=_("Given names"), required=False, max_length=200)
    new_voorvoegsel = forms.CharField(label=_("Surname prefix"), required=False, max_length=20)
    new_geslachtsnaam = forms.CharField(label=_("Surname"), required=False, max_length=200)
    new_birth_date = forms.DateField(
        label=_("Date of birth"), required=False, widget=DateInput(), validators=[validate_birth_date]
    )
    new_postcode = forms.CharField(label=_("Postcode"), required=False, max_length=7)
    new_huisnummer = forms.IntegerField(label=_("House number"), required=False, min_value=1, max_value=99999)
    new_district = forms.CharField(label=_("District"), required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The inline new resident typed by hand is the six fields above; a BRP lookup (``people.brp.fill``,
        # the resident form's own path) fills the resident form's other fields too (``new_`` + its name),
        # so the desk registers what the resident form would. Empty unless the BRP filled them.
        self.brp_extra_names = [name for name in ("bsn", *FORM_FIELDS) if f"new_{name}" not in self.fields]
        for name in self.brp_extra_names:
            field = copy.deepcopy(ResidentForm.base_fields[name])
            field.required, field.initial = False, None
            if isinstance(field, forms.ChoiceField) and not any(value == "" for value, _label in field.choices):
                field.choices = [("", "—"), *field.choices]
            self.fields[f"new_{name}"] = field
        self.user = user
        self.chosen_resident: Resident | None = None
        # Where the new resident's postcode lies in several districts: the candidates to choose from
        # (also when the BRP just filled the address in).
        given = self.data if self.is_bound else self.initial
        postcode = str(given.get(self.add_prefix("new_postcode")) or "").replace(" ", "").upper()
        number = str(given.get(self.add_prefix("new_huisnummer")) or "")
        self.candidates = districts_for(postcode, int(number) if number.isdigit() else None).candidates
        if len(self.candidates) > 1:
            choices = [(str(a.pk), a.name) for a in self.candidates]
            self.fields["new_district"].widget = forms.RadioSelect(choices=choices)

    def clean_new_district(self):
        value = self.cleaned_data.get("new_district")
        return next((a for a in self.candidates if str(a.pk) == value), None)

    def clean_new_postcode(self) -> str:
        value = self.cleaned_data.get("new_postcode", "")
        if value:
            validate_postcode(value)
            return normalise_postcode(value)
        return ""

    def clean_new_bsn(self) -> str:
        value = normalise_bsn(self.cleaned_data.get("new_bsn", ""))
        if value:
            validate_bsn(value)
        return value

    def error_field(self, name: str) -> str:
        """A resident service's error names the resident's field (``bsn``): shown beside ``new_bsn``
        (``wijkteam.forms.attach_errors``)."""
        return name if name in self.fields or f"new_{name}" not in self.fields else f"new_{name}"

    def brp_extra(self):
        """The fields a BRP lookup filled besides the six typed by hand (shown folded)."""
        return [self[f"new_{name}"] for name in self.brp_extra_names if name != "bsn"]

    def brp_extra_open(self) -> bool:
        return any(bound.errors or bound.value() not in (None, "", False) for bound in self.brp_extra())

    def clean_resident(self) -> int | None:
        pk = self.cleaned_data.get("resident")
        if pk:
            self.chosen_resident = visible_residents(self.user).filter(pk=pk).first()
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
        details = {name: data.get(f"new_{name}") for name in ("bsn", *FORM_FIELDS)}
        if not any(details.values()):
            return None
        # What the form holds empty is left to the model's defaults (name use: own name).
        return {**{k: v for k, v in details.items() if v not in (None, "")}, "district": data.get("new_district")}


class DeskForm(ResidentPickForm):
    """One screen for a question: who, what, how it came in, and what came of it."""

    text = forms.CharField(label=_("Question"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    life_domains = forms.ModelMultipleChoiceField(
        label=_("Life domains"),
        queryset=LifeDomain.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only the domains the question touches."),
    )
    # A default the worker rarely changes: not required, an empty choice means the desk (balie).
    channel = forms.ChoiceField(
        label=_("Channel"), choices=Channel.choices, widget=forms.RadioSelect, initial="balie", required=False
    )
    vindplaats = forms.ModelChoiceField(
        label=_("Which vindplaats"), queryset=Organisation.objects.none(), required=False
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect, initial=Outcome.ANSWERED
    )

    def clean_channel(self):
        return self.cleaned_data.get("channel") or "balie"

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
        super().__init__(*args, user=user, **kwargs)
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

    def seconds_taken(self) -> int | None:
        started = self.cleaned_data.get("started")
        if not started:
            return None
        seconds = int(time.time() - started)
        return seconds if 0 <= seconds < 24 * 3600 else None


class TakeUpForm(ResidentPickForm):
    frameworks = forms.ModelMultipleChoiceField(
        label=_("Legal framework"),
        queryset=LegalFramework.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Wmo when left empty."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["frameworks"].label_from_instance = lambda f: f.name

    def clean(self):
        cleaned = super().clean()
        if not self.chosen_resident and not self.new_resident() and not self.errors:
            self.add_error("resident", _("Find the resident or add them."))
        return cleaned


# Surname prefixes (voorvoegsels) as the BRP writes them, one word each; a prefix is a run of them
# ("van der", "in 't"). The referrer types the name as one line.
PREFIX_WORDS = {"van", "de", "der", "den", "het", "'t", "te", "ten", "ter", "in", "op", "uit", "la", "le", "d'", "von"}


def name_parts(name: str) -> dict[str, str]:
    """A name as a referrer typed it ("Jan van der Berg", "Berg, Jan van der", "Familie de Jong") as
    the given names, the surname prefix and the surname of the new-resident fields: a start the
    worker checks."""
    name = " ".join(name.split())
    # "Familie de Jong", "mevrouw Bakker", "De heer Visser": the salutation is no given name.
    name = re.sub(r"^(de heer|familie|fam\.?|mevrouw|mevr\.?|mw\.?|meneer|dhr\.?)\s+", "", name, flags=re.IGNORECASE)
    if "," in name:  # "Surname, given names prefix"
        surname, _comma, rest = name.partition(",")
        words = rest.split()
        cut = len(words)
        while cut and words[cut - 1].lower() in PREFIX_WORDS:
            cut -= 1
        return {
            "new_voornamen": " ".join(words[:cut]),
            "new_voorvoegsel": " ".join(words[cut:]).lower(),
            "new_geslachtsnaam": surname.strip(),
        }
    words = name.split()
    if len(words) < 2:
        return {"new_voornamen": "", "new_voorvoegsel": "", "new_geslachtsnaam": name}
    start = next((i for i in range(len(words) - 1) if words[i].lower() in PREFIX_WORDS), len(words) - 1)
    end = start
    while end < len(words) - 1 and words[end].lower() in PREFIX_WORDS:
        end += 1
    return {
        "new_voornamen": " ".join(words[:start]),
        "new_voorvoegsel": " ".join(words[start:end]).lower(),
        "new_geslachtsnaam": " ".join(words[end:]),
    }


class CloseReferralForm(forms.Form):
    note = forms.CharField(
        label=_("Why no case"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For the team only; the referrer sees just 'closed'."),
    )


class ReferralForm(forms.Form):
    """What a partner professional reports: the person, the concern, and that the resident knows."""

    client_reference = forms.CharField(
        label=_("Your reference"), required=False, max_length=64, help_text=_("So you recognise it later.")
    )
    name = forms.CharField(label=_("Name of the resident"), max_length=200)
    birth_date = forms.DateField(
        label=_("Date of birth"), required=False, widget=DateInput(), validators=[validate_birth_date]
    )
    postcode = forms.CharField(label=_("Postcode"), max_length=7)
    huisnummer = forms.IntegerField(label=_("House number"), required=False, min_value=1, max_value=99999)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=20)
    concern = forms.CharField(
        label=_("Your concern"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you see, and what you have already done. Only what the team needs."),
    )
    life_domains = forms.ModelMultipleChoiceField(
        label=_("Life domains"), queryset=LifeDomain.objects.all(), widget=forms.CheckboxSelectMultiple, required=False
    )
    resident_informed = forms.BooleanField(
        label=_("The resident knows I am referring them"),
        help_text=_("Refer only with the resident's knowledge, unless safety requires otherwise."),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["life_domains"].label_from_instance = lambda d: d.label

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"]
        validate_postcode(value)
        return normalise_postcode(value)


class KnownQueryForm(forms.Form):
    bsn = forms.CharField(label=_("BSN"), max_length=11, help_text=_("The resident's citizen service number."))
    purpose = forms.CharField(label=_("Why you ask"), max_length=300)

    def clean_bsn(self) -> str:
        value = normalise_bsn(self.cleaned_data.get("bsn", ""))
        validate_bsn(value)
        return value


class SelfReferralForm(forms.Form):
    """The public form, in plain language (B1)."""

    name = forms.CharField(label=_("Your name"), max_length=200)
    phone = forms.CharField(label=_("Your phone number"), required=False, max_length=20)
    email = forms.EmailField(label=_("Your e-mail address"), required=False, max_length=200)
    postcode = forms.CharField(label=_("Your postcode"), max_length=7, help_text=_("For example 8921 AB."))
    huisnummer = forms.IntegerField(label=_("Your house number"), required=False, min_value=1, max_value=99999)
    concern = forms.CharField(
        label=_("What do you need help with?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Write it in your own words. You do not have to tell everything now."),
    )
    privacy = forms.BooleanField(label=_("I have read how the team uses my details"))
    website = forms.CharField(required=False, widget=forms.HiddenInput)  # honeypot: people leave it empty

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"]
        validate_postcode(value)
        return normalise_postcode(value)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("phone") and not cleaned.get("email"):
            self.add_error("phone", _("Give a phone number or an e-mail address, so we can reach you."))
        return cleaned


class PartnerKeyForm(forms.Form):
    """A new API key for a partner organisation's system."""

    organisation = forms.ModelChoiceField(label=_("Partner organisation"), queryset=None)
    name = forms.CharField(
        label=_("System"), max_length=100, help_text=_("Which system uses the key, e.g. the GP's information system.")
    )

    def __init__(self, *args, municipality, **kwargs):
        from partners.models import Organisation

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            municipality=municipality, active=True
        ).order_by("name")


class QueueAssignForm(forms.Form):
    """A team leader assigns a household from the intake queue to a team of the municipality."""

    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(municipality_id=user.municipality_id).order_by("name")
