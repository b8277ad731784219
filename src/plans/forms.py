import copy

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.forms import DateInput
from people.models import NetworkMember
from people.selectors import network_of, residents_of
from people.validators import validate_not_future
from provisions.models import Provision, ProvisionKind
from wijkteam.dates import add_months
from wijkteam.forms import CorrectionForm
from zrm.forms import numbered_scores
from zrm.models import LifeDomain

from .models import (
    Action,
    ActionStatus,
    Actor,
    AgreementKind,
    Arrangement,
    Frequency,
    Goal,
    GoalResult,
    GoalStatus,
    NextStep,
    Plan,
    Source,
)

TEXTAREA = {"rows": 3}


class ConversationForm(forms.Form):
    """The kitchen-table conversation on one screen; only the question and the conclusion are required."""

    held_on = forms.DateField(label=_("Date"), widget=DateInput(), validators=[validate_not_future])
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    residents = forms.ModelMultipleChoiceField(
        label=_("Residents at the table"), queryset=None, widget=forms.CheckboxSelectMultiple, required=False
    )
    network_members = forms.ModelMultipleChoiceField(
        label=_("Network at the table"), queryset=None, widget=forms.CheckboxSelectMultiple, required=False
    )
    others = forms.CharField(
        label=_("Others at the table"),
        required=False,
        max_length=300,
        help_text=_("For example: a professional of a partner organisation, an interpreter."),
    )
    question_asked = forms.CharField(
        label=_("The question as asked"), widget=forms.Textarea(attrs=TEXTAREA), max_length=4000
    )
    question_behind = forms.CharField(
        label=_("The question behind the question"),
        widget=forms.Textarea(attrs=TEXTAREA),
        max_length=4000,
        required=False,
        help_text=_("What turned out to matter at the table."),
    )
    own_strength = forms.CharField(
        label=_("What the resident can do"), widget=forms.Textarea(attrs=TEXTAREA), max_length=4000, required=False
    )
    network_strength = forms.CharField(
        label=_("What the network can do"), widget=forms.Textarea(attrs=TEXTAREA), max_length=4000, required=False
    )
    provisions = forms.ModelMultipleChoiceField(
        label=_("General provisions that fit"),
        queryset=Provision.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    conclusion = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs=TEXTAREA), max_length=4000)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        residents = residents_of(case.household)
        self.fields["residents"].queryset = residents
        self.fields["residents"].label_from_instance = lambda r: r.display_name
        network = network_of(residents).order_by("name")
        self.network = list(network)
        self.fields["network_members"].queryset = network
        self.fields["network_members"].label_from_instance = lambda m: f"{m.name} ({m.get_relation_display()})"
        self.fields["provisions"].queryset = Provision.objects.filter(
            municipality_id=case.team.municipality_id, kind=ProvisionKind.ALGEMEEN, active=True
        ).order_by("name")
        for member in self.network:
            self.fields[f"commitment_{member.pk}"] = forms.CharField(
                label=_("What %(name)s will do") % {"name": member.name},
                required=False,
                max_length=300,
                initial=member.support,
                help_text=_("Concrete: what, how often. For example: does the shopping every three weeks."),
            )
        if not self.is_bound:
            self.initial.setdefault("held_on", timezone.localdate())
            self.initial.setdefault("residents", [case.resident_id])
            self.initial.setdefault("question_asked", case.question)

    def commitment_fields(self):
        return [self[f"commitment_{m.pk}"] for m in self.network]

    def commitments(self) -> dict[NetworkMember, str]:
        return {m: self.cleaned_data.get(f"commitment_{m.pk}", "") for m in self.network}


class ReportCorrectionForm(CorrectionForm):
    """Correct the report of a conversation: its own fields (as in ``ConversationForm``), and
    the reason, which is required here."""

    def __init__(self, *args, conversation, **kwargs):
        from .conversations import REPORT_FIELDS

        super().__init__(*args, **kwargs)
        for name in REPORT_FIELDS:
            self.fields[name] = copy.deepcopy(ConversationForm.base_fields[name])
            if not self.is_bound:
                self.initial[name] = getattr(conversation, name)
        self.order_fields([*REPORT_FIELDS, "reason", "rectification"])
        self.fields["reason"].required = True


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment of the resident"), widget=forms.Textarea(attrs=TEXTAREA), max_length=4000)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput(), validators=[validate_not_future])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("received_on", timezone.localdate())


class VersionedForm(forms.ModelForm):
    """A plan form that carries the version it was opened on (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, plan: Plan, goals: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.known_goals = goals  # the plan's goals when the page has read them already
        if not self.is_bound:
            self.initial["version"] = plan.version

    def _goal_field(self) -> None:
        """The goal to choose, labelled with its life domain; from the goals read already if any."""
        field = self.fields["goal"]
        field.queryset = self.plan.goals.select_related("domain")
        field.label_from_instance = lambda g: f"{g.domain.label}: {g.description}"
        if self.known_goals is not None:
            field.choices = [
                ("", field.empty_label),
                *((g.pk, field.label_from_instance(g)) for g in self.known_goals),
            ]

    def refresh_version(self, version: int) -> None:
        """After a conflict: keep what the user typed, but let the next save go on the current version."""
        data = self.data.copy()
        data[self.add_prefix("version")] = str(version)
        self.data = data


class PlanForm(VersionedForm):
    class Meta:
        model = Plan
        fields = ["summary", "agreed_on", "agreement", "evaluate_on"]
        widgets = {"summary": forms.Textarea(attrs=TEXTAREA), "agreed_on": DateInput(), "evaluate_on": DateInput()}
        labels = {"agreement": _("How the resident agreed")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].choices = [("", _("Not agreed yet")), *AgreementKind.choices]
        self.fields["agreed_on"].help_text = _("Today when left empty.")
        if not self.is_bound and self.plan.evaluate_on is None:
            # A plan is looked at again after three months unless the worker says otherwise.
            self.initial["evaluate_on"] = add_months(timezone.localdate(), 3)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("agreement") and not cleaned.get("agreed_on") and "agreed_on" not in self.errors:
            cleaned["agreed_on"] = timezone.localdate()  # agreed at the table, today
        return cleaned


class GoalForm(VersionedForm):
    prefix = "doel"  # several plan forms share one page: their field ids must differ

    class Meta:
        model = Goal
        fields = ["domain", "description", "target_score", "due_on", "status"]
        widgets = {"due_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = LifeDomain.objects.all()
        self.fields["domain"].label_from_instance = lambda d: d.label
        self.fields["status"].initial = GoalStatus.OPEN
        self.fields["target_score"].help_text = _("The ZRM score the resident wants to reach on this domain.")
        self.fields["target_score"].choices = [("", "\u2013"), *numbered_scores()]


class ActionForm(VersionedForm):
    prefix = "actie"  # several plan forms share one page: their field ids must differ

    class Meta:
        model = Action
        fields = ["goal", "description", "actor", "network_member", "actor_name", "due_on", "status"]
        widgets = {"due_on": DateInput()}
        help_texts = {"actor_name": _("When it is not the resident or a network member: who exactly.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._goal_field()
        if not self.is_bound and self.instance.pk is None:
            # The goal added last is the one an action is usually for.
            last = (
                max((g.pk for g in self.known_goals), default=None)
                if self.known_goals is not None
                else self.plan.goals.order_by("-pk").values_list("pk", flat=True).first()
            )
            self.initial.setdefault("goal", last)
        residents = self.plan.household.members.values("resident_id")
        self.fields["network_member"].queryset = network_of(residents)
        self.fields["actor"].initial = Actor.RESIDENT
        self.fields["status"].initial = ActionStatus.TODO

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("actor") == Actor.NETWORK
            and not cleaned.get("network_member")
            and not cleaned.get("actor_name")
        ):
            self.add_error("network_member", _("Choose who from the network does this."))
        return cleaned


class ArrangementForm(VersionedForm):
    prefix = "regeling"  # several plan forms share one page: their field ids must differ

    class Meta:
        model = Arrangement
        fields = [
            "asked_for",
            "source",
            "description",
            "provision",
            "goal",
            "quantity",
            "frequency",
            "unit_price",
            "starts_on",
            "ends_on",
        ]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}
        labels = {"asked_for": _("This is what was asked for, not what is arranged")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._goal_field()
        self.fields["provision"].queryset = Provision.objects.filter(
            municipality_id=self.plan.household.area.municipality_id if self.plan.household.area_id else None
        ).order_by("name")
        self.fields["frequency"].initial = Frequency.ONCE
        self.fields["source"].initial = Source.GENERAL

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The end date comes after the start date."))
        return cleaned


class EvaluationForm(forms.Form):
    """The evaluation of the plan: per open goal whether it was reached (with a short note), and what
    comes next. The ZRM at evaluation is the zrm app's own form beside it (``zrm.forms.AssessmentForm``)."""

    held_on = forms.DateField(label=_("Date of the evaluation"), widget=DateInput(), validators=[validate_not_future])
    version = forms.IntegerField(widget=forms.HiddenInput)
    next_step = forms.ChoiceField(
        label=_("What next"), choices=NextStep.choices, widget=forms.RadioSelect, initial=NextStep.CONTINUE
    )
    next_evaluation_on = forms.DateField(
        label=_("Next evaluation"),
        widget=DateInput(),
        required=False,
        help_text=_("When the plan continues."),
    )
    referred_to = forms.CharField(
        label=_("Referred to"),
        max_length=200,
        required=False,
        help_text=_("When you refer on: the organisation or provision. The case closes."),
    )
    note = forms.CharField(
        label=_("What was agreed"), required=False, max_length=4000, widget=forms.Textarea(attrs=TEXTAREA)
    )

    def __init__(self, *args, plan: Plan, goals: list[Goal], **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = goals
        if not self.is_bound:
            today = timezone.localdate()
            period = (plan.evaluate_on - plan.agreed_on).days if plan.evaluate_on and plan.agreed_on else 0
            following = today + timezone.timedelta(days=period) if period > 0 else add_months(today, 6)
            self.initial.update(
                {
                    "held_on": today,
                    "version": plan.version,
                    # The next period as long as the last one; half a year when the plan had none.
                    "next_evaluation_on": following,
                }
            )
        for goal in goals:
            self.fields[f"goal_{goal.pk}"] = forms.ChoiceField(
                label=f"{goal.domain.label}: {goal.description}",
                choices=GoalResult.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Say whether the goal was reached.")},
            )
            self.fields[f"goal_{goal.pk}_note"] = forms.CharField(
                label=_("Note on %(goal)s") % {"goal": goal.description},
                max_length=300,
                required=False,
            )

    def goal_rows(self):
        for goal in self.goals:
            yield goal, self[f"goal_{goal.pk}"], self[f"goal_{goal.pk}_note"]

    def outcomes(self) -> dict:
        from .evaluations import GoalOutcome

        data = self.cleaned_data
        return {g: GoalOutcome(data[f"goal_{g.pk}"], data[f"goal_{g.pk}_note"]) for g in self.goals}
