from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.models import Area, AreaKind, Municipality
from people.forms import DateInput
from zrm.models import LifeDomain

from .models import ProvisionKind, ReferralOutcome


class ProvisionSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Need or keyword"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("For example: post, eenzaam, opvoeden, huishouden."),
    )
    domain = forms.ModelChoiceField(
        label=_("Life domain"), queryset=LifeDomain.objects.all(), required=False, empty_label=_("All life domains")
    )
    area = forms.ModelChoiceField(
        label=_("District"), queryset=Area.objects.none(), required=False, empty_label=_("Whole municipality")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *ProvisionKind.choices], required=False)

    def __init__(self, *args, municipality: Municipality | None, public: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        areas = Area.objects.filter(kind=AreaKind.WIJK)
        self.fields["area"].queryset = areas.filter(municipality=municipality) if municipality else areas.none()
        if public:
            self.fields["kind"].choices = [
                ("", _("All kinds")),
                (ProvisionKind.ALGEMEEN, ProvisionKind.ALGEMEEN.label),
                (ProvisionKind.COLLECTIEF, ProvisionKind.COLLECTIEF.label),
            ]


class ReferForm(forms.Form):
    note = forms.CharField(
        label=_("Hand-over note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Who you spoke to at the provision and what you agreed: a warm hand-over."),
    )
    follow_up_on = forms.DateField(
        label=_("Ask whether it worked on"),
        widget=DateInput(),
        help_text=_("You get a reminder in your follow-up list."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["follow_up_on"].initial = timezone.localdate() + timezone.timedelta(weeks=3)

    def clean_follow_up_on(self):
        day = self.cleaned_data["follow_up_on"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("Choose a day from today on."))
        return day


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Did it work?"),
        choices=[c for c in ReferralOutcome.choices if c[0] != ReferralOutcome.PENDING],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False)


class CatalogueImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("Start from an export: one row per provision, matched on the name."),
    )

    MAX_SIZE = 5 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_SIZE:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Choose a .csv or .xlsx file."))
        return upload
