from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from partners.models import Organisation
from privacy.models import ConsentMode, DataCategory
from privacy.services import CONSENT_TERM
from wijkteam.forms import CorrectionForm

from .districts import districts_for
from .models import NameUse, NetworkMember, Relation, RepresentationKind, Resident
from .names import TITLES
from .services import find_duplicates
from .validators import normalise_bsn, normalise_postcode, validate_bsn, validate_postcode

TITLE_CHOICES = [("", _("None")), *((code, description) for code, (description, *_rest) in TITLES.items())]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ResidentForm(forms.ModelForm):
    """Only the surname and date of birth are required: everything else when the question needs it."""

    bsn = forms.CharField(
        label=_("BSN"),
        required=False,
        max_length=11,
        help_text=_("Citizen service number, 9 digits. Only when the question needs it."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=7, help_text=_("For example 8921 AB."))
    adellijke_titel = forms.ChoiceField(label=_("Title or predicate"), required=False, choices=TITLE_CHOICES)
    partner_adellijke_titel = forms.ChoiceField(
        label=_("Partner's title or predicate"), required=False, choices=TITLE_CHOICES
    )
    district = forms.CharField(
        label=_("District"),
        required=False,
        widget=forms.HiddenInput,
        help_text=_("This postcode lies in several districts: choose the one the address is in."),
    )
    confirm_different = forms.BooleanField(
        label=_("This is a different person with the same name and date of birth"), required=False
    )

    class Meta:
        model = Resident
        fields = [
            "voornamen",
            "adellijke_titel",
            "voorvoegsel",
            "geslachtsnaam",
            "geslacht",
            "birth_date",
            "bsn",
            "naamgebruik",
            "partner_adellijke_titel",
            "partner_voorvoegsel",
            "partner_geslachtsnaam",
            "partner_ended",
            "postcode",
            "huisnummer",
            "huisletter",
            "huisnummertoevoeging",
            "straat",
            "woonplaats",
            "country",
            "address_abroad",
            "rni",
            "geheimhouding",
            "phone",
            "email",
        ]
        widgets = {"birth_date": DateInput(), "address_abroad": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"voorvoegsel": _("For example 'van der'.")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.duplicates: list[Resident] = []
        self.fields["naamgebruik"].required = False  # own name unless said otherwise
        self._offer_districts()

    def _offer_districts(self) -> None:
        """Where the address cannot decide the district, the candidates to choose from."""
        if self.is_bound:
            postcode = str(self.data.get(self.add_prefix("postcode")) or "")
            number = str(self.data.get(self.add_prefix("huisnummer")) or "")
        else:  # a resident's change form: the district can be corrected among the candidates
            postcode, number = self.instance.postcode or "", str(self.instance.huisnummer or "")
            self.initial.setdefault("district", str(self.instance.area_id or ""))
        postcode = postcode.replace(" ", "").upper()
        self.candidates = districts_for(postcode, int(number) if number.isdigit() else None).candidates
        if len(self.candidates) > 1:
            self.fields["district"].widget = forms.RadioSelect(choices=[(str(a.pk), a.name) for a in self.candidates])

    def clean_district(self) -> Area | None:
        """One of the candidates; what else was sent (a district no longer in question) is ignored."""
        value = self.cleaned_data.get("district")
        chosen = next((a for a in self.candidates if str(a.pk) == value), None)
        if value and chosen is None and len(self.candidates) > 1:
            raise forms.ValidationError(_("Choose one of the districts this address can lie in."))
        return chosen
        if "confirm_different" in self.fields and not self.is_bound:
            self.fields["confirm_different"].widget = forms.HiddenInput()

    def clean_bsn(self) -> str:
        value = normalise_bsn(self.cleaned_data.get("bsn", ""))
        if value:
            validate_bsn(value)
        return value

    def clean_naamgebruik(self) -> str:
        return self.cleaned_data.get("naamgebruik") or NameUse.OWN

    def clean_postcode(self) -> str:
        value = self.cleaned_data.get("postcode", "")
        if value:
            validate_postcode(value)
            return normalise_postcode(value)
        return ""

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if cleaned.get("huisnummer") and not cleaned.get("postcode"):
            self.add_error("postcode", _("Enter the postcode with the house number."))
        bsn_matches, name_matches = find_duplicates(
            bsn=cleaned.get("bsn", ""),
            geslachtsnaam=cleaned.get("geslachtsnaam", ""),
            birth_date=cleaned.get("birth_date"),
            exclude_pk=self.instance.pk,
        )
        if bsn_matches:
            self.duplicates = bsn_matches
            self.add_error("bsn", _("A resident with this BSN is already registered."))
        elif name_matches and not cleaned.get("confirm_different"):
            self.duplicates = name_matches
            self.fields["confirm_different"].widget = forms.CheckboxInput()
            self.add_error(
                "confirm_different",
                _(
                    "A resident with this surname and date of birth is already registered. Open that "
                    "resident, or confirm this is a different person."
                ),
            )
        return cleaned


class MemberForm(ResidentForm):
    relation = forms.ChoiceField(
        label=_("Relation to the main person"), choices=[c for c in Relation.choices if c[0] != Relation.MAIN]
    )
    lives_here = forms.BooleanField(label=_("Lives in the household"), required=False, initial=True)

    class Meta(ResidentForm.Meta):
        fields = ["relation", "lives_here", *ResidentForm.Meta.fields]


class NetworkMemberForm(forms.ModelForm):
    class Meta:
        model = NetworkMember
        fields = ["name", "relation", "phone", "support"]
        help_texts = {"support": _("What they do, for example: does the shopping every three weeks.")}


class NetworkMemberChangeForm(CorrectionForm, NetworkMemberForm):
    """Change someone in the network, with the reason; the history keeps the old values."""

    def changes(self) -> dict:
        """The keyword arguments for ``people.services.network_member_update``: only what changed."""
        data = {name: self.cleaned_data[name] for name in self.changed_data if name in NetworkMemberForm.Meta.fields}
        return {**data, "reason": self.cleaned_data["reason"], "rectification": self.cleaned_data["rectification"]}


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, date of birth, BSN or postcode and house number"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
    )


class ResidentChangeForm(CorrectionForm, ResidentForm):
    """Change or correct a resident's personal data, with the reason. The BSN field starts empty:
    fill it only to change the BSN (the history records that it changed, never the number)."""

    def __init__(self, *args, rectification: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bsn"].help_text = _("Leave empty to keep the BSN as it is.")
        if not self.is_bound:
            self.initial["postcode"] = self.instance.postcode
        if rectification:
            self.fields["reason"].required = True
            self.fields["rectification"].initial = True
            self.fields["rectification"].widget = forms.HiddenInput()

    def changes(self) -> dict:
        """The keyword arguments for ``people.services.resident_update``."""
        data = dict(self.cleaned_data)
        data.pop("confirm_different", None)
        bsn = data.pop("bsn")
        return {**data, "bsn": bsn or None}


class MemberChoiceForm(forms.Form):
    """A form with a field ``resident`` that chooses one of the household's ``members``."""

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(m.resident_id): m.resident for m in members}
        self.fields["resident"].choices = [(key, r.display_name) for key, r in self.members.items()]

    def clean_resident(self):
        value = self.cleaned_data["resident"]
        if value not in self.members:
            raise forms.ValidationError(_("Choose a member of the household."))
        return self.members[value]


class ConsentRecordForm(MemberChoiceForm):
    """A resident's consent to share: who, with which partner, what, why; given today and valid for
    a year unless changed."""

    resident = forms.ChoiceField(label=_("Resident"))
    # Several partners at once: a case conference with three partners is one consent form, not three.
    organisation = forms.ModelMultipleChoiceField(
        label=_("Partner organisations"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every organisation the resident agreed to share these data with for this purpose."),
    )
    categories = forms.MultipleChoiceField(
        label=_("Data that may be shared"), choices=DataCategory.choices, widget=forms.CheckboxSelectMultiple
    )
    purpose = forms.CharField(
        label=_("Purpose"), max_length=300, help_text=_("For example: a warm hand-over to the debt counselling.")
    )
    form = forms.ChoiceField(
        label=_("How given"), choices=ConsentMode.choices, initial=ConsentMode.WRITTEN, widget=forms.RadioSelect
    )
    given_on = forms.DateField(label=_("Given on"), widget=DateInput())
    expires_on = forms.DateField(label=_("Valid until"), widget=DateInput(), required=False)

    def __init__(self, *args, members, municipality_id, **kwargs):
        super().__init__(*args, members=members, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            municipality_id=municipality_id, active=True
        ).order_by("name")
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.update({"given_on": today, "expires_on": today + CONSENT_TERM})


class ConsentWithdrawForm(forms.Form):
    """One per consent on the page: ``ConsentWithdrawForm(consent=c)`` has ids of its own
    (``id_withdraw12_form_0``), so each label points at its own radio button."""

    form = forms.ChoiceField(
        label=_("How withdrawn"), choices=ConsentMode.choices, initial=ConsentMode.VERBAL, widget=forms.RadioSelect
    )
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=DateInput())

    def __init__(self, *args, consent=None, **kwargs):
        if consent is not None:
            kwargs.setdefault("auto_id", f"id_withdraw{consent.pk}_%s")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["withdrawn_on"] = timezone.localdate()


class RepresentationForm(MemberChoiceForm):
    """Register a representative of a household member: the member, the representative's BSN (a
    registered resident) and how they represent them."""

    resident = forms.ChoiceField(label=_("Who is represented"))
    representative_bsn = forms.CharField(
        label=_("BSN of the representative"),
        max_length=9,
        help_text=_("The representative must be registered as a resident; they sign in with their own DigiD."),
    )
    kind = forms.ChoiceField(label=_("As"), choices=RepresentationKind.choices, widget=forms.RadioSelect)

    def clean_representative_bsn(self):
        value = normalise_bsn(self.cleaned_data["representative_bsn"])
        validate_bsn(value)
        return value
