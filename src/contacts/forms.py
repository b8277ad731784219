from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.deadlines import extend_to_working_day
from partners.models import Organisation
from people.forms import DateInput
from privacy.models import ConsentMode
from teams.services import colleagues
from wijkteam.forms import CorrectionForm

from .models import ContactKind, Every


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class GoalsField(forms.ModelMultipleChoiceField):
    """The goals of the household's plan a contact worked on; hidden when there is no plan."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, goal):
        return f"{goal.domain.label}: {goal.description}"


def goals_of(case):
    from plans.models import Goal, GoalStatus

    return (
        Goal.objects.filter(plan__household_id=case.household_id)
        .exclude(status__in=[GoalStatus.REACHED, GoalStatus.STOPPED])
        .select_related("domain")
        .order_by("domain__order", "pk")
    )


class _WithGoals:
    def _add_goals(self, case):
        goals = goals_of(case)
        self.fields["goals"] = GoalsField(label=_("Goals worked on"), queryset=goals, required=False)
        self.has_goals = goals.exists()


class ContactForm(_WithGoals, forms.Form):
    """One form for both: a contact that took place (the default) and one to plan."""

    PLANNED, DONE = "planned", "done"
    mode = forms.ChoiceField(
        label=_("This contact"),
        choices=[(DONE, _("took place")), (PLANNED, _("is planned"))],
        widget=forms.RadioSelect,
        initial=DONE,
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactKind.choices, initial=ContactKind.HUISBEZOEK)
    day = forms.DateField(label=_("Date"), widget=DateInput())
    at = forms.TimeField(label=_("Time"), widget=TimeInput(), required=False)
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=600, required=False)
    note = forms.CharField(
        label=_("Short note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("day", timezone.localdate())
        self._add_goals(case)

    @property
    def moment(self) -> datetime:
        """The contact's moment. Without a time a contact that took place happened 'some time that
        day': today that is now (the moment it is recorded, never later), an earlier day its noon."""
        day = self.cleaned_data["day"]
        at = self.cleaned_data.get("at")
        if at is None and self.cleaned_data.get("mode") == self.DONE and day == timezone.localdate():
            return timezone.now().replace(second=0, microsecond=0)
        return timezone.make_aware(datetime.combine(day, at or time(12, 0)))

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        now = timezone.now()
        if cleaned["mode"] == self.DONE and self.moment > now:
            self.add_error("day", _("A contact that took place cannot be in the future."))
        if cleaned["mode"] == self.PLANNED:
            if self.moment < now - timezone.timedelta(minutes=5):
                self.add_error("day", _("A planned contact must be in the future."))
            if not cleaned.get("at"):
                self.add_error("at", _("Give the time of the planned contact."))
        return cleaned


class CompleteForm(_WithGoals, forms.Form):
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=600, required=False)
    note = forms.CharField(
        label=_("Short note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, case, contact, **kwargs):
        super().__init__(*args, **kwargs)
        planned_duration = contact.duration_minutes or (contact.series.duration_minutes if contact.series else None)
        if planned_duration and not self.is_bound:
            self.initial["duration_minutes"] = planned_duration
        self._add_goals(case)


class ContactCorrectionForm(CorrectionForm):
    """Correct the note and the duration of a contact that took place; the reason is required."""

    field_order = ["note", "duration_minutes"]

    note = CompleteForm.base_fields["note"]
    duration_minutes = CompleteForm.base_fields["duration_minutes"]

    def __init__(self, *args, contact, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = True
        if not self.is_bound:
            self.initial.update({"note": contact.note, "duration_minutes": contact.duration_minutes})


class SeriesForm(forms.Form):
    """'One hour every month': a recurring contact, with or without an end date."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ContactKind.choices, initial=ContactKind.HUISBEZOEK)
    interval = forms.IntegerField(label=_("Every"), min_value=1, max_value=52, initial=1)
    every = forms.ChoiceField(label=_("Period"), choices=Every.choices, initial=Every.MONTH)
    starts_on = forms.DateField(label=_("First contact on"), widget=DateInput())
    at = forms.TimeField(label=_("Time"), widget=TimeInput(), initial=time(10, 0))
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=5, max_value=600, initial=60)
    ends_on = forms.DateField(
        label=_("Last contact on or before"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave empty for no end date; you can stop the series at any time."),
    )
    note = forms.CharField(label=_("What the contact is for"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # A week from now, on a working day.
            self.initial.setdefault(
                "starts_on", extend_to_working_day(timezone.localdate() + timezone.timedelta(days=7))
            )


class ConferenceForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DateInput())
    at = forms.TimeField(label=_("Time"), widget=TimeInput(), initial=time(10, 0))
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=600, required=False)
    attendees = forms.ModelMultipleChoiceField(
        label=_("Colleagues present"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Partner organisations present"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They hear the case: each needs the resident's consent to share (household page)."),
    )
    partners = forms.CharField(
        label=_("Present from partner organisations"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: name, organisation. For example: J. de Vries, Kredietbank Leeuwarden."),
    )
    decisions = forms.CharField(label=_("Decisions"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    regisseur = forms.ModelChoiceField(
        label=_("Regisseur agreed"),
        queryset=None,
        required=False,
        help_text=_("Only when the conference decided who has regie; the case gets this regisseur."),
    )
    # Shown when a partner at the table has no valid consent: recorded with the conference, so
    # nobody has to leave the form (and lose what they wrote) to record it on the household page.
    consent_now = forms.ModelMultipleChoiceField(
        label=_("The resident gave consent at the conference for"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "To share personal data, the question and the plan with these organisations for this case; "
            "recorded with the conference, valid for a year."
        ),
    )
    consent_form = forms.ChoiceField(
        label=_("How the consent was given"),
        choices=ConsentMode.choices,
        initial=ConsentMode.VERBAL,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, case, user, **kwargs):
        super().__init__(*args, **kwargs)
        team_members = colleagues({case.team_id})
        self.fields["attendees"].queryset = team_members.exclude(pk=user.pk)
        self.fields["regisseur"].queryset = team_members
        self.fields["organisations"].queryset = Organisation.objects.filter(
            municipality_id=case.team.municipality_id, active=True
        ).order_by("name")
        self.fields["consent_now"].queryset = self.fields["organisations"].queryset
        if not self.is_bound:
            self.initial.setdefault("day", timezone.localdate())

    @property
    def asks_consent(self) -> bool:
        """Whether to show the consent fields: a partner lacked consent, or they were filled in."""
        return bool(self.errors.get("organisations") or self.data.get("consent_now"))

    @property
    def moment(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.cleaned_data["day"], self.cleaned_data["at"]))

    def clean(self):
        cleaned = super().clean()
        if not self.errors and self.moment > timezone.now():
            self.add_error("day", _("Record a case conference after it took place."))
        return cleaned


class AnswerForm(forms.Form):
    """The professional's answer to the resident, shown in Mijn Wijkteam."""

    text = forms.CharField(
        label=_("Your answer to the resident"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class MoveForm(forms.Form):
    """A planned visit to another moment."""

    day = forms.DateField(label=_("New date"), widget=DateInput())
    at = forms.TimeField(label=_("New time"), widget=TimeInput())

    def __init__(self, *args, contact, **kwargs):
        super().__init__(*args, prefix=f"move-{contact.pk}", **kwargs)
        if not self.is_bound and contact.planned_at:
            here = timezone.localtime(contact.planned_at)
            self.initial.update({"day": here.date(), "at": here.time()})

    @property
    def moment(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.cleaned_data["day"], self.cleaned_data["at"]))
