from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PeriodForm(forms.Form):
    """The period of the case aggregates; the last twelve months unless chosen."""

    van = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    tot = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        data["tot"] = data.get("tot") or today
        data["van"] = data.get("van") or data["tot"] - timedelta(days=365)
        if data["van"] > data["tot"]:
            raise forms.ValidationError(_("The start of the period lies after its end."))
        return data

    def period(self):
        if self.is_valid():
            return self.cleaned_data["van"], self.cleaned_data["tot"]
        today = timezone.localdate()
        return today - timedelta(days=365), today
