from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import Organisation
from people.forms import DateInput
from people.validators import normalise_bsn, validate_bsn

from .models import BreakGlassReason, ConsentMode, DataCategory


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


CONSENT_TERM = timedelta(days=365)


class ConsentRecordForm(forms.Form):
    """A resident's consent to share: who, with which partner, what, why; given today and valid for
    a year unless changed."""

    resident = forms.ChoiceField(label=_("Resident"))
    organisation = forms.ModelChoiceField(label=_("Partner organisation"), queryset=Organisation.objects.none())
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
        super().__init__(*args, **kwargs)
        self.members = {str(m.resident_id): m.resident for m in members}
        self.fields["resident"].choices = [(key, r.display_name) for key, r in self.members.items()]
        self.fields["organisation"].queryset = Organisation.objects.filter(
            municipality_id=municipality_id, active=True
        ).order_by("name")
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.update({"given_on": today, "expires_on": today + CONSENT_TERM})

    def clean_resident(self):
        value = self.cleaned_data["resident"]
        if value not in self.members:
            raise forms.ValidationError(_("Choose a member of the household."))
        return self.members[value]


class ConsentWithdrawForm(forms.Form):
    form = forms.ChoiceField(
        label=_("How withdrawn"), choices=ConsentMode.choices, initial=ConsentMode.VERBAL, widget=forms.RadioSelect
    )
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["withdrawn_on"] = timezone.localdate()
