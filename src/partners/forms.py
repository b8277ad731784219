from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import Area, AreaKind, Municipality

from .models import OrganisationKind


class DirectorySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, role or expertise"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("For example: wijkagent, schuldhulp, jeugd, a name."),
    )
    area = forms.ModelChoiceField(
        label=_("Who knows this district?"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("All districts"),
    )
    kind = forms.ChoiceField(label=_("Kind of organisation"), choices=[("", _("All"))], required=False)

    def __init__(self, *args, municipality: Municipality | None, **kwargs):
        super().__init__(*args, **kwargs)
        areas = Area.objects.filter(kind=AreaKind.WIJK)
        self.fields["area"].queryset = (
            areas.filter(municipality=municipality) if municipality else areas.none()
        ).order_by("name")
        self.fields["kind"].choices = [("", _("All")), *OrganisationKind.choices]
