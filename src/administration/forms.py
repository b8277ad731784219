"""Forms of the functional administration: each limited to the administrator's own municipality."""

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from areas.models import Area, AreaKind, Municipality
from maatwerk.models import Budget
from partners.models import Organisation, PartnerContact
from provisions.models import Provision
from teams.models import Team


def _districts(municipality: Municipality):
    return Area.objects.filter(municipality=municipality, kind=AreaKind.WIJK, ended_in__isnull=True).order_by("name")


class ScopedForm(forms.ModelForm):
    """A form whose choices (districts, organisations, provisions) are the municipality's own."""

    def __init__(self, *args, municipality: Municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        if "areas" in self.fields:
            self.fields["areas"].queryset = _districts(municipality)
            self.fields["areas"].widget = forms.CheckboxSelectMultiple(choices=self.fields["areas"].choices)
        if "organisation" in self.fields:
            self.fields["organisation"].queryset = Organisation.objects.filter(municipality=municipality)
        if "provision" in self.fields:
            self.fields["provision"].queryset = Provision.objects.filter(municipality=municipality)

    def data_and_m2m(self) -> tuple[dict, dict]:
        """The cleaned values split into plain fields and many-to-many fields, for ``record_save``."""
        m2m = {name: value for name, value in self.cleaned_data.items() if name == "areas"}
        data = {
            name: value for name, value in self.cleaned_data.items() if name in self._meta.fields and name not in m2m
        }
        return data, m2m


class MunicipalityForm(ScopedForm):
    class Meta:
        model = Municipality
        fields = ["name", "positioning", "procurement_model"]
        widgets = {"positioning": forms.RadioSelect, "procurement_model": forms.RadioSelect}


class TeamForm(ScopedForm):
    class Meta:
        model = Team
        fields = ["name", "areas", "phone", "email", "address"]


class OrganisationForm(ScopedForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "agb_code",
            "referrer_code",
            "areas",
            "phone",
            "email",
            "address",
            "website",
            "active",
        ]


class ContactForm(ScopedForm):
    class Meta:
        model = PartnerContact
        fields = ["organisation", "name", "role", "expertise", "phone", "email", "areas", "active"]


class BudgetForm(ScopedForm):
    class Meta:
        model = Budget
        fields = ["year", "provision", "amount"]

    def clean(self):
        data = super().clean()
        others = Budget.objects.filter(
            municipality=self.municipality, year=data.get("year"), provision=data.get("provision")
        ).exclude(pk=self.instance.pk)
        if data.get("year") and others.exists():
            raise forms.ValidationError(_("There is already a budget for this year and provision."))
        return data


class UserForm(ScopedForm):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    leads = forms.BooleanField(label=_("Leads the team"), required=False)
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text=_("Give it to the professional safely. At the first sign-in they set up the second step."),
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "role", "job_title", "phone", "organisation"]

    def __init__(self, *args, municipality: Municipality, **kwargs):
        super().__init__(*args, municipality=municipality, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(municipality=municipality).order_by("name")
        self.fields["first_name"].required = self.fields["last_name"].required = True
        if self.instance.pk:
            del self.fields["password"]
            membership = self.instance.memberships.first()
            if membership:
                self.initial.setdefault("team", membership.team_id)
                self.initial.setdefault("leads", membership.is_leader)
        else:
            self.fields["password"].required = True

    def clean_password(self):
        password = self.cleaned_data.get("password", "")
        if password:
            validate_password(password, User(username=self.data.get("username", "")))
        return password

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.REFERRER and not data.get("organisation"):
            self.add_error("organisation", _("A referrer works for a partner organisation: choose it."))
        if data.get("leads") and not data.get("team"):
            self.add_error("leads", _("Choose the team they lead."))
        return data


class MoveForm(forms.Form):
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=Municipality.objects.none())

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.exclude(pk=user.municipality_id).order_by("name")


class UserSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search by name or user name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
