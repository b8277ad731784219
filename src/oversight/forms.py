from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.forms import DateInput
from people.validators import normalise_bsn, validate_bsn
from privacy.models import BreakGlassReason


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput(), required=False)
    end = forms.DateField(label=_("Up to and including"), widget=DateInput(), required=False)

    @property
    def refused(self) -> bool:
        """Submitted with a date that is not one (out of 1900-2099): the page answers 400."""
        return self.is_bound and not self.is_valid()

    def period(self):
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start") or end - timedelta(days=30)
        return (start, end) if start <= end else (end, start)


class RequestSearchForm(forms.Form):
    bsn = forms.CharField(label=_("BSN"), max_length=11, required=False)
    naam = forms.CharField(label=_("or surname"), max_length=200, required=False)

    def clean_bsn(self):
        bsn = normalise_bsn(self.cleaned_data["bsn"])
        if bsn:
            validate_bsn(bsn)
        return bsn

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("bsn") and not cleaned.get("naam", "").strip():
            self.add_error("bsn", _("Give the BSN, or the surname as on the identity document."))
        return cleaned


class BreakGlassForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why do you need the full dossier?"), choices=BreakGlassReason.choices, widget=forms.RadioSelect
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        help_text=_("Your team leader reads this. Keep it short and factual."),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class BreakGlassReviewForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
