"""Form helpers shared by every app."""

from django import forms
from django.core.exceptions import ValidationError


def attach_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: beside the field it names, or at the top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)
