from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.forms import DateInput
from people.validators import validate_not_future

from .models import LifeDomain, Score
from .services import MIN_REASON, Rating


def numbered_scores() -> list[tuple[int, str]]:
    """The five scores as a person picks them: "3 · Limited self-reliance"."""
    return [(value, f"{value} · {label}") for value, label in Score.choices]


def has_reason(cleaned: dict, code: str, *, before: int | None) -> bool:
    """Whether the score of domain ``code`` in a form's ``cleaned`` data has its reason: a score that
    did not change since ``before`` gets the standard one, filled in here; a changed one needs words."""
    score, reason = cleaned.get(f"score_{code}"), (cleaned.get(f"reason_{code}") or "").strip()
    if not score or len(reason) >= MIN_REASON:
        return True
    if score == before and not reason:
        cleaned[f"reason_{code}"] = str(_("Unchanged since the last assessment."))
        return True
    return False


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
    """Step two: a score and a reason for each chosen domain, and nothing else.

    The one way a ZRM is entered: on its own (``zrm:new``) and inside the evaluation of a plan
    (``dated=False``: the evaluation gives the date; ``first``: the start scores shown beside each
    domain; ``changes_only``: an unchanged score needs no new reason)."""

    assessed_on = forms.DateField(label=_("Date"), widget=DateInput(), validators=[validate_not_future])
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self,
        *args,
        domains: list[LifeDomain],
        previous: dict[int, int] | None = None,
        first: dict[int, int] | None = None,
        dated: bool = True,
        changes_only: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.domains = domains
        previous = previous or {}
        self.previous, self.first = previous, first or {}
        self.changes_only = changes_only
        if not dated:
            del self.fields["assessed_on"], self.fields["note"]
        elif not self.is_bound:
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
                required=not (changes_only and domain.pk in previous),
                help_text=_("Needed when the score changed.")
                if changes_only and domain.pk in previous
                else _("What you saw or heard that leads to this score."),
                error_messages={"required": _("Give the reason for this score in a few words.")},
            )

    def clean(self):
        cleaned = super().clean()
        for domain in self.domains if self.changes_only else ():
            if not has_reason(cleaned, domain.code, before=self.previous.get(domain.pk)):
                self.add_error(f"reason_{domain.code}", _("Give the reason for this score in a few words."))
        return cleaned

    def rows_with_start(self):
        """Each domain with its score and reason fields and its score at the start (or None)."""
        for domain in self.domains:
            yield domain, self[f"score_{domain.code}"], self[f"reason_{domain.code}"], self.first.get(domain.pk)

    def rows(self):
        for domain in self.domains:
            yield domain, self[f"score_{domain.code}"], self[f"reason_{domain.code}"]

    def ratings(self) -> list[Rating]:
        data = self.cleaned_data
        return [Rating(d, data[f"score_{d.code}"], data[f"reason_{d.code}"]) for d in self.domains]
