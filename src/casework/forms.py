from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import CASEWORK_ROLES, Expertise, User
from cases.models import TRIAGE_MODEL, LegalFramework, Triage
from cases.workflow import Status, allowed_next, end_reason_choices
from partners.models import Organisation
from people.forms import DateInput
from people.validators import validate_not_future
from plans.models import GoalStatus
from teams.models import Team
from teams.services import colleagues, team_ids_of
from wijkteam.forms import CorrectionForm
from zrm.forms import has_reason, numbered_scores
from zrm.models import LifeDomain
from zrm.services import Rating


class CaseDetailsForm(forms.Form):
    """The question, its legal basis and its life domains: asked when a case opens, changeable later."""

    question = forms.CharField(
        label=_("Question"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("In the resident's own words, as far as possible."),
    )
    frameworks = forms.ModelMultipleChoiceField(
        label=_("Legal framework"),
        queryset=LegalFramework.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The law the question falls under: the legal basis for processing."),
    )
    life_domains = forms.ModelMultipleChoiceField(
        label=_("Life domains the question touches"),
        queryset=LifeDomain.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["frameworks"].label_from_instance = lambda f: f.name
        self.fields["life_domains"].label_from_instance = lambda d: d.label


class CaseEditForm(CaseDetailsForm, CorrectionForm):
    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.update(
                {
                    "question": case.question,
                    "frameworks": list(case.frameworks.all()),
                    "life_domains": list(case.life_domains.all()),
                }
            )


class CaseOpenForm(CaseDetailsForm):
    field_order = ["resident"]

    resident = forms.ChoiceField(label=_("Main person"))
    melding_date = forms.DateField(
        label=_("Date of the report (melding)"), widget=DateInput(), validators=[validate_not_future]
    )
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    regisseur = forms.ModelChoiceField(
        label=_("Regisseur"),
        queryset=None,
        required=False,
        empty_label=_("Not yet: to the team's work queue"),
    )

    def __init__(self, *args, user, household, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(m.resident_id): m.resident for m in members}
        self.fields["resident"].choices = [(str(m.resident_id), m.resident.display_name) for m in members]
        teams = Team.objects.filter(pk__in=team_ids_of(user))
        self.fields["team"].queryset = teams
        self.fields["regisseur"].queryset = colleagues(team_ids_of(user))
        if not self.is_bound:
            serving = teams.filter(areas=household.area_id).first() if household.area_id else None
            self.initial.update(
                {
                    "melding_date": timezone.localdate(),
                    "team": serving or teams.first(),
                    "regisseur": user,
                    "frameworks": LegalFramework.objects.filter(code="wmo"),
                }
            )
            main = next((m for m in members if m.relation == "main"), None)
            if main:
                self.initial["resident"] = str(main.resident_id)

    def clean_resident(self):
        value = self.cleaned_data["resident"]
        if value not in self.members:
            raise forms.ValidationError(_("Choose a member of the household."))
        return self.members[value]


class StatusForm(forms.Form):
    to = forms.ChoiceField(label=_("New status"))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [
            (status.value, status.label) for status in allowed_next(case.status) if status != Status.AFGESLOTEN
        ]


class AssignForm(forms.Form):
    regisseur = forms.ModelChoiceField(label=_("Regisseur"), queryset=None)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args, case, **kwargs):
        kwargs.setdefault("auto_id", "id_assign_%s")  # its note beside the status form's on the case page
        super().__init__(*args, **kwargs)
        self.fields["regisseur"].queryset = colleagues({case.team_id})
        if case.regisseur_id:
            self.initial["regisseur"] = case.regisseur_id


class InvolveForm(forms.Form):
    """Involve a professional beside the regisseur: they open the full dossier from then on."""

    user = forms.ModelChoiceField(label=_("Professional"), queryset=None)
    reason = forms.CharField(
        label=_("Why they need the dossier"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        involved = case.involvements.filter(ended_at__isnull=True).values("user_id")
        self.fields["user"].queryset = (
            User.objects.filter(municipality_id=case.team.municipality_id, is_active=True, role__in=CASEWORK_ROLES)
            .exclude(pk=case.regisseur_id)
            .exclude(pk__in=involved)
            .order_by("first_name", "last_name")
        )


class InvolvementEndForm(forms.Form):
    involvement = forms.ModelChoiceField(label=_("Professional"), queryset=None)
    reason = forms.CharField(
        label=_("Why their involvement ends"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["involvement"].queryset = case.involvements.filter(ended_at__isnull=True).select_related("user")
        self.fields["involvement"].label_from_instance = lambda involvement: involvement.user.get_full_name()


class CloseForm(forms.Form):
    end_reason = forms.ChoiceField(label=_("End reason"), choices=())
    plan_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(
        label=_("Closing note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("What was achieved, and what the resident takes with them."),
    )

    def __init__(self, *args, final_domains=(), goals=(), **kwargs):
        """``final_domains``: (domain, last score) pairs for the final ZRM; ``goals``: the open goals
        of the household's plan, to say whether each was reached."""
        super().__init__(*args, **kwargs)
        self.fields["end_reason"].choices = end_reason_choices()
        self.initial.setdefault("end_reason", "19")
        self.final_domains = [domain for domain, _score in final_domains]
        self.last_scores = {domain.code: score for domain, score in final_domains}
        for domain, score in final_domains:
            self.fields[f"score_{domain.code}"] = forms.TypedChoiceField(
                label=domain.label,
                choices=[("", _("not scored")), *numbered_scores()],
                coerce=int,
                empty_value=None,
                required=False,
                initial=score,
            )
            self.fields[f"reason_{domain.code}"] = forms.CharField(
                label=_("Reason for %(domain)s") % {"domain": domain.label},
                required=False,
                max_length=500,
                help_text=_("Needed when the score changed."),
            )
        self.goals = list(goals)
        for goal in self.goals:
            self.fields[f"goal_{goal.pk}"] = forms.ChoiceField(
                label=f"{goal.domain.label}: {goal.description}",
                choices=[(v, label) for v, label in GoalStatus.choices],
                initial=goal.status,
            )

    def clean(self):
        cleaned = super().clean()
        for domain in self.final_domains:
            # An unchanged score needs no new words; the final measurement says so itself.
            if not has_reason(cleaned, domain.code, before=self.last_scores.get(domain.code)):
                self.add_error(f"reason_{domain.code}", _("Give the reason for this score in a few words."))
        return cleaned

    def final_rows(self):
        return [(self[f"score_{d.code}"], self[f"reason_{d.code}"]) for d in self.final_domains]

    def goal_fields(self):
        return [self[f"goal_{g.pk}"] for g in self.goals]

    def ratings(self):
        data = self.cleaned_data
        return [
            Rating(d, data[f"score_{d.code}"], data[f"reason_{d.code}"])
            for d in self.final_domains
            if data.get(f"score_{d.code}")
        ]

    def goal_statuses(self):
        return {g: self.cleaned_data[f"goal_{g.pk}"] for g in self.goals}


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class EscalateForm(forms.Form):
    to = forms.ModelChoiceField(label=_("Scale up to"), queryset=Organisation.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = Organisation.objects.filter(municipality_id=case.team.municipality_id).order_by(
            "name"
        )


class DeescalateForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for scaling down"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConsultationForm(forms.Form):
    colleague = forms.ModelChoiceField(label=_("Colleague"), queryset=None, required=False)
    expertise = forms.ModelChoiceField(
        label=_("or an expertise group"), queryset=Expertise.objects.all(), required=False
    )
    question = forms.CharField(
        label=_("Question"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The colleague sees only this question, not the dossier. Leave out what they do not need."),
    )

    def __init__(self, *args, case, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["colleague"].queryset = colleagues(team_ids_of(user)).exclude(pk=user.pk)

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("colleague")) == bool(cleaned.get("expertise")):
            self.add_error("colleague", _("Ask one colleague or one expertise group."))
        return cleaned


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))


class TriageForm(forms.Form):
    triage = forms.ChoiceField(
        label=_("Triage"), choices=Triage.choices, widget=forms.RadioSelect, help_text=TRIAGE_MODEL
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the triage is based on, in a sentence."),
    )
    regisseur = forms.ModelChoiceField(label=_("Regisseur"), queryset=None, required=False, empty_label=_("Not yet"))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regisseur"].queryset = colleagues({case.team_id})
        if not self.is_bound:
            self.initial.update({"triage": case.triage or None, "reason": case.triage_reason})
            if case.regisseur_id:
                self.initial["regisseur"] = case.regisseur_id


class AanvraagForm(forms.Form):
    aanvraag_date = forms.DateField(
        label=_("Date of the application (aanvraag)"), widget=DateInput(), validators=[validate_not_future]
    )
    framework = forms.ModelChoiceField(
        label=_("Legal framework"), queryset=LegalFramework.objects.filter(code__in=["wmo", "jeugdwet"])
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].label_from_instance = lambda f: f.name
        if not self.is_bound:
            self.initial.update(
                {"aanvraag_date": case.aanvraag_date or timezone.localdate(), "framework": case.frameworks.first()}
            )
