from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.forms import DateInput
from people.validators import validate_not_future

from .models import LifeDomain, Score
from .services import Rating


def numbered_scores() -> list[tuple[int, str]]:
    """The five scores as a person picks them: "3 · Limited self-reliance"."""
    return [(value, f"{value} · {label}") for value, label in Score.choices]


class DomainPickForm(forms.Form):
    """Step one: which life domains does this question need? Never all thirteen by default."""

    domein = forms.ModelMultipleChoiceField(
        label=_("Life domains the question needs"),
        queryset=LifeDomain.objects.all(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Score only what the question is about. Each score needs a short reason."),
        error_messages={"required": _("Choose the life domains the question is about.")},
    )


class AssessmentForm(forms.Form):
    """Step two: a score and a reason for each chosen domain, and nothing else."""

    assessed_on = forms.DateField(label=_("Date"), widget=DateInput(), validators=[validate_not_future])
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, domains: list[LifeDomain], previous: dict[int, int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.domains = domains
        previous = previous or {}
        if not self.is_bound:
            self.initial.setdefault("assessed_on", timezone.localdate())
        for domain in domains:
            self.fields[f"score_{domain.code}"] = forms.TypedChoiceField(
                label=_("Score for %(domain)s") % {"domain": domain.label},
                choices=numbered_scores(),
                coerce=int,
                widget=forms.RadioSelect,
                initial=previous.get(domain.pk),
                error_messages={"required": _("Choose a score from 1 to 5.")},
            )
            self.fields[f"reason_{domain.code}"] = forms.CharField(
                label=_("Reason for %(domain)s") % {"domain": domain.label},
                max_length=500,
                help_text=_("What you saw or heard that leads to this score."),
                error_messages={"required": _("Give the reason for this score in a few words.")},
            )

    def rows(self):
        for domain in self.domains:
            yield domain, self[f"score_{domain.code}"], self[f"reason_{domain.code}"]

    def ratings(self) -> list[Rating]:
        data = self.cleaned_data
        return [Rating(d, data[f"score_{d.code}"], data[f"reason_{d.code}"]) for d in self.domains]
