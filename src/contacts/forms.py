from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.forms import DateInput

from .models import ContactKind


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class ContactForm(forms.Form):
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("day", timezone.localdate())

    @property
    def moment(self) -> datetime:
        day = self.cleaned_data["day"]
        at = self.cleaned_data.get("at") or time(9, 0)
        return timezone.make_aware(datetime.combine(day, at))

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


class CompleteForm(forms.Form):
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=600, required=False)
    note = forms.CharField(
        label=_("Short note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
