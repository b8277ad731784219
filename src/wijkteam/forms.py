"""Form helpers shared by every app."""

from django import forms
from django.core.exceptions import BadRequest, ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _


class ChoicesInOneQuery(ModelChoiceIterator):
    """The choices of a model choice field in one plain query. Django's iterator reads them with
    ``QuerySet.iterator()``, which on PostgreSQL opens a server-side cursor (DECLARE, FETCH, CLOSE:
    three round trips, and a cursor WITH HOLD outside a transaction) for what is a short list here:
    colleagues, life domains, frameworks. Installed for every model choice field by
    ``WijkteamConfig.ready`` (``ModelChoiceField.iterator`` is Django's documented hook)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


def attach_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: beside the field it names, or at the top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    rename = getattr(form, "error_field", None)  # a form whose fields are named apart from the model's
    for field, errors in error.message_dict.items():
        field = rename(field) if rename else field
        form.add_error(field if field in form.fields else None, errors)


class CorrectionForm(forms.Form):
    """The reason for a change, and whether the resident asked for it (AVG art. 16). Mixed into the
    forms that change recorded data; the history keeps both with the old and the new value."""

    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the history of changes. Required for a correction at the resident's request."),
    )
    rectification = forms.BooleanField(label=_("The resident asked for this correction (AVG art. 16)"), required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("rectification") and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give the reason for the correction."))
        return cleaned


class InvalidInput(BadRequest):
    """Input that no page can work with (a date out of range in a download's address, a NUL
    character): a 400 whose message says what is wrong (``wijkteam.views.bad_request``; under
    /api/ a problem with the message as its detail)."""


def refuse_invalid(form: forms.BaseForm) -> None:
    """For a form read from the address of a download or data request, where no page shows the
    errors beside the fields: an invalid form is a 400 with its messages (an unbound one is the
    default)."""
    if form.is_bound and not form.is_valid():
        raise InvalidInput(" ".join(message for messages in form.errors.values() for message in messages))
