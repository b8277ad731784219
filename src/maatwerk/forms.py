from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.models import Municipality
from partners.models import Organisation, OrganisationKind
from people.forms import DateInput
from people.validators import validate_not_future
from provisions.models import Provision, ProvisionKind

from .istandaarden import REFUSAL_REASONS
from .models import FREQUENCY_CHOICES, DecisionOutcome, DeliveryForm


def _customised(municipality: Municipality):
    return Provision.objects.active().filter(municipality=municipality, kind=ProvisionKind.MAATWERK)


def _providers(municipality: Municipality):
    return Organisation.objects.filter(municipality=municipality, kind=OrganisationKind.AANBIEDER, active=True)


class AdviceForm(forms.Form):
    provision = forms.ModelChoiceField(label=_("Advised provision"), queryset=Provision.objects.none())
    requested_provision = forms.ModelChoiceField(
        label=_("Asked for"),
        queryset=Provision.objects.none(),
        required=False,
        help_text=_("Only when the resident asked for something else than you advise, e.g. a stairlift."),
    )
    volume = forms.IntegerField(label=_("Volume"), min_value=1, max_value=99999999)
    frequency = forms.ChoiceField(label=_("Frequency"), choices=FREQUENCY_CHOICES, initial="2")
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(label=_("Until"), widget=DateInput(), required=False)
    delivery_form = forms.ChoiceField(
        label=_("Delivery"), choices=DeliveryForm.choices, initial=DeliveryForm.IN_KIND, widget=forms.RadioSelect
    )
    preferred_provider = forms.ModelChoiceField(
        label=_("Provider chosen by the resident"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Under the keuzemodel the resident chooses among the contracted providers."),
    )
    grounds = forms.CharField(
        label=_("Grounds"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text=_("What the resident, the network and general provisions cannot do, and why this fits."),
    )
    aanvraag_date = forms.DateField(
        label=_("Date of the application (aanvraag)"),
        widget=DateInput(),
        validators=[validate_not_future],
        help_text=_("The decision term starts here: two weeks under the Wmo, eight under the Jeugdwet."),
    )

    def __init__(self, *args, municipality: Municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provision"].queryset = _customised(municipality)
        self.fields["requested_provision"].queryset = _customised(municipality)
        self.fields["preferred_provider"].queryset = _providers(municipality)
        self.fields["aanvraag_date"].initial = timezone.localdate()
        self.fields["starts_on"].initial = timezone.localdate()


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=DecisionOutcome.choices, widget=forms.RadioSelect)
    grounds = forms.CharField(
        label=_("Grounds"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text=_("The resident reads these in the decision; for a refusal, say what can help instead."),
    )
    volume = forms.IntegerField(label=_("Volume"), min_value=1, max_value=99999999, required=False)
    frequency = forms.ChoiceField(label=_("Frequency"), choices=FREQUENCY_CHOICES, required=False)
    starts_on = forms.DateField(label=_("From"), widget=DateInput(), required=False)
    ends_on = forms.DateField(label=_("Until"), widget=DateInput(), required=False)
    delivery_form = forms.ChoiceField(label=_("Delivery"), choices=DeliveryForm.choices, widget=forms.RadioSelect)
    provider = forms.ModelChoiceField(
        label=_("Provider"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Leave empty under the consortium model: the one contracted provider is allocated."),
    )

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers

    def clean(self):
        data = super().clean()
        if data.get("outcome") == DecisionOutcome.GRANTED:
            for name in ("volume", "frequency", "starts_on"):
                if not data.get(name):
                    self.add_error(name, _("Needed when the provision is granted."))
        return data


class MessageUploadForm(forms.Form):
    message = forms.FileField(
        label=_("iWmo or iJw message"),
        help_text=_(
            "The XML file a provider sent: a request (315, 317), a start or stop of care (305, 307), a "
            "declaration (323) or an iJw return message (302, 320)."
        ),
    )


class RefuseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "---------"), *REFUSAL_REASONS])


class CostsFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2015, max_value=2100)
