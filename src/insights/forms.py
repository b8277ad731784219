from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.forms import DateInput  # renders the date as the browser's date field needs it (ISO)
from people.validators import validate_not_future
from wijkteam.dates import add_months
from wijkteam.limits import MAX_AMOUNT, MAX_BUDGET, MIN_BUDGET, amount_form_field


def default_period() -> tuple:
    """The last twelve calendar months, this one included."""
    today = timezone.localdate()
    return add_months(today.replace(day=1), -11), today


class PeriodForm(forms.Form):
    """The period of the case aggregates; the last twelve months unless chosen. Dates outside
    1900-2099 are refused (``wijkteam.limits``). Protected figures widen the period to whole
    calendar months (``wijkteam.suppression.whole_months``); the page says which months it shows."""

    van = forms.DateField(label=_("From"), required=False, widget=DateInput())
    tot = forms.DateField(label=_("Until"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        start, end = default_period()
        data["tot"] = data.get("tot") or end
        data["van"] = data.get("van") or min(start, data["tot"].replace(day=1))
        if data["van"] > data["tot"]:
            raise forms.ValidationError(_("The start of the period lies after its end."))
        return data

    @property
    def refused(self) -> bool:
        """Submitted with something that is not a period: the page answers 400 with the errors."""
        return self.is_bound and not self.is_valid()

    def period(self):
        """The chosen period, or the default when none (or no valid one) was chosen."""
        if self.is_valid():
            return self.cleaned_data["van"], self.cleaned_data["tot"]
        return default_period()


class SignalForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("What you see"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Describe the pattern, not the residents: no names or other personal data."),
    )
    area = forms.ModelChoiceField(label=_("District"), queryset=None, required=False)
    theme = forms.ModelChoiceField(label=_("Theme (life domain)"), queryset=None, required=False)
    evidence = forms.CharField(
        label=_("Evidence"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Optional: aggregate counts, for example from the district profile."),
    )

    def __init__(self, *args, user, **kwargs):
        from areas.models import Area
        from teams.models import Team
        from zrm.models import LifeDomain

        super().__init__(*args, **kwargs)
        teams = Team.objects.filter(memberships__user=user).order_by("name")
        self.fields["team"].queryset = teams
        if len(teams) == 1:
            self.fields["team"].initial = teams[0]
        self.fields["area"].queryset = Area.objects.filter(municipality=user.municipality_id, kind="wijk").order_by(
            "name"
        )
        self.fields["theme"].queryset = LifeDomain.objects.all()


class ForwardForm(forms.Form):
    policy_officer = forms.ModelChoiceField(label=_("Policy officer"), queryset=None)
    due_on = forms.DateField(label=_("Answer due"), widget=DateInput())
    note = forms.CharField(
        label=_("Note for the policy officer"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, municipality_id, **kwargs):
        from accounts.models import Role, User

        super().__init__(*args, **kwargs)
        self.fields["policy_officer"].queryset = User.objects.filter(
            role=Role.POLICY_OFFICER, municipality_id=municipality_id, is_active=True
        ).order_by("first_name", "last_name")
        self.fields["due_on"].initial = timezone.localdate() + timedelta(weeks=4)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 5}))


class InitiativeForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    area = forms.ModelChoiceField(label=_("District"), queryset=None)
    theme = forms.ModelChoiceField(label=_("Theme (life domain)"), queryset=None, required=False)
    budget = amount_form_field(label=_("Budget (EUR)"), minimum=MIN_BUDGET, maximum=MAX_BUDGET)
    started_on = forms.DateField(label=_("Start"), widget=DateInput())

    def __init__(self, *args, user, prefill=None, **kwargs):
        from areas.models import Area
        from teams.models import Team
        from zrm.models import LifeDomain

        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(memberships__user=user, memberships__is_leader=True)
        self.fields["area"].queryset = Area.objects.filter(municipality=user.municipality_id, kind="wijk").order_by(
            "name"
        )
        self.fields["theme"].queryset = LifeDomain.objects.all()
        self.fields["started_on"].initial = timezone.localdate()
        if prefill and not self.is_bound:
            self._prefill(prefill)

    def _prefill(self, given) -> None:
        """District, theme and team from the link on the district profile; what does not match one
        of the choices (another municipality's district, a team the user does not lead) is ignored."""
        area = self.fields["area"].queryset.filter(cbs_code=given.get("wijk", "")).first()
        theme = self.fields["theme"].queryset.filter(code=given.get("thema", "")).first()
        team = given.get("team", "")
        team = self.fields["team"].queryset.filter(pk=team).first() if team.isdigit() else None
        if team is None and area is not None:  # the led team that serves the district
            team = self.fields["team"].queryset.filter(areas=area).order_by("name").first()
        for name, value in (("area", area), ("theme", theme), ("team", team)):
            if value is not None:
                self.initial[name] = value.pk


class ExpenseForm(forms.Form):
    spent_on = forms.DateField(label=_("Date"), widget=DateInput(), validators=[validate_not_future])
    amount = amount_form_field(label=_("Amount (EUR)"), maximum=MAX_AMOUNT)
    description = forms.CharField(label=_("What for"), max_length=200)


class EvaluationForm(forms.Form):
    evaluation = forms.CharField(label=_("Evaluation"), widget=forms.Textarea(attrs={"rows": 4}))
    evaluated_on = forms.DateField(label=_("Evaluated on"), widget=DateInput())


class HouseholdSearchForm(forms.Form):
    """Finding the household that joins an initiative: by name or case reference as you type, or
    (a team leader's question, ``leads``) every open case of a district or with a life domain. Who
    does not lead the team has no district or life-domain fields: they search their own cases."""

    q = forms.CharField(
        label=_("Name or case reference"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    wijk = forms.ModelChoiceField(label=_("District"), queryset=None, required=False, empty_label=_("All districts"))
    thema = forms.ModelChoiceField(label=_("Theme (life domain)"), queryset=None, required=False, empty_label=_("All"))

    def __init__(self, *args, initiative, leads: bool, **kwargs):
        from areas.models import Area
        from zrm.models import LifeDomain

        super().__init__(*args, **kwargs)
        if not leads:
            del self.fields["wijk"], self.fields["thema"]
            return
        self.fields["wijk"].queryset = Area.objects.filter(teams=initiative.team_id, kind="wijk").order_by("name")
        self.fields["thema"].queryset = LifeDomain.objects.all()
        if not self.is_bound:
            self.initial["wijk"] = initiative.area_id  # the theme narrows only when chosen


class JoinForm(forms.Form):
    reference = forms.CharField(
        label=_("Case reference of the household"),
        max_length=20,
        help_text=_("The household of this case takes part. Only the number of households leaves the team."),
    )


class ManagementFilterForm(PeriodForm):
    team = forms.ModelChoiceField(label=_("Team"), queryset=None, required=False)
    wijk = forms.ModelChoiceField(label=_("District"), queryset=None, required=False)

    def __init__(self, *args, municipality, **kwargs):
        from areas.models import Area
        from teams.models import Team

        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(municipality=municipality)
        self.fields["wijk"].queryset = Area.objects.filter(municipality=municipality, kind="wijk").order_by("name")

    def filters(self, municipality, *, user=None):
        """The chosen filters. A team leader who chose a team they lead gets its exact counts: they
        see every case of it anyway. Everyone else gets the protected figures, in whole months."""
        from teams.services import led_team_ids_of

        from .management_info import Filters

        start, end = self.period()
        data = self.cleaned_data if self.is_valid() else {}
        team = data.get("team")
        exact = team is not None and user is not None and team.pk in led_team_ids_of(user)
        return Filters(municipality, start, end, team=team, area=data.get("wijk"), exact=exact)
