from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from privacy.middleware import address_of

from . import services


def locked_message() -> ValidationError:
    # The same words for a locked name, a locked address and a name that belongs to no account.
    return ValidationError(
        _(
            "Signing in is blocked for %(minutes)s minutes after too many attempts that did not succeed. "
            "Try again later, or ask your functional administrator."
        ),
        code="locked",
        params={"minutes": settings.WIJKTEAM["LOCKOUT_SECONDS"] // 60},
    )


class LoginForm(AuthenticationForm):
    """The password step, with the lockout after repeated failures (accounts.services)."""

    error_messages = {
        "invalid_login": _("The username or password is not correct. Both are case-sensitive."),
        "inactive": _("This account is not active. Ask your functional administrator."),
    }

    @sensitive_variables("password")
    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return super().clean()
        address = address_of(self.request) if self.request else None
        if services.sign_in_locked(username=username, address=address):
            raise locked_message()
        try:
            cleaned = super().clean()
        except ValidationError as error:
            if error.code == "invalid_login" and services.sign_in_failed(username=username, address=address):
                raise locked_message() from error
            raise
        services.sign_in_succeeded(username=username)
        return cleaned

    @property
    def locked(self) -> bool:
        return any(error.code == "locked" for error in self.errors.as_data().get("__all__", []))


class ChangePasswordForm(PasswordChangeForm):
    """A signed-in professional's new password, with the rules it must meet beside the field.
    A wrong current password counts towards the lockout like a failed sign-in."""

    def __init__(self, user, *args, **kwargs):
        self.request = kwargs.pop("request", None)
        super().__init__(user, *args, **kwargs)
        self.fields["new_password1"].help_text = format_html(
            '<ul class="utrecht-unordered-list">{}</ul>',
            format_html_join(
                "",
                '<li class="utrecht-unordered-list__item">{}</li>',
                ((text,) for text in password_validation.password_validators_help_texts()),
            ),
        )

    @sensitive_variables("old_password")
    def clean_old_password(self):
        address = address_of(self.request) if self.request else None
        if services.sign_in_locked(username=self.user.username, address=address):
            raise locked_message()
        try:
            return super().clean_old_password()
        except ValidationError as error:
            if services.sign_in_failed(username=self.user.username, address=address):
                raise locked_message() from error
            raise

    def clean(self):
        # The rules' messages belong beside the new password, not beside its confirmation.
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self)
