from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from wijkteam.middleware import address_of

from . import services, twofactor


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


@sensitive_variables("password")
def check_current_password(*, user, password: str, request, message: str) -> None:
    """A signed-in professional's password, checked as at sign-in: not while the name or address is
    locked, and a wrong one counts towards the lockout. Raises a ValidationError with ``message``."""
    address = address_of(request) if request else None
    if services.sign_in_locked(username=user.username, address=address):
        raise locked_message()
    if not user.check_password(password):
        if services.sign_in_failed(username=user.username, address=address):
            raise locked_message()
        raise ValidationError(message, code="password_incorrect")


class ReauthenticateForm(forms.Form):
    """Before another authenticator app replaces the enrolled one: the password and a code from the
    current app, or a recovery code (a lost phone), as at signing in."""

    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    code = forms.CharField(
        label=_("Code"),
        max_length=12,
        help_text=_("The six digits in your current authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def __init__(self, user, *args, request=None, **kwargs):
        self.user, self.request = user, request
        super().__init__(*args, **kwargs)

    @sensitive_variables("password")
    def clean_password(self):
        password = self.cleaned_data["password"]
        check_current_password(
            user=self.user, password=password, request=self.request, message=_("Your password is not correct.")
        )
        return password

    @property
    def locked(self) -> bool:
        return any(error.code == "locked" for error in self.errors.as_data().get("password", []))

    def clean(self):
        # The code is tried only after the right password, so a mistyped password uses up no recovery code.
        code = self.cleaned_data.get("code")
        if "password" in self.cleaned_data and code:
            if twofactor.throttled(self.user):
                self.add_error("code", _("Too many wrong codes. Wait a moment and try again."))
            elif twofactor.matching_device(self.user, code=code) is None:
                self.add_error("code", _("This code is not correct. Try the newest code in your app."))
        return self.cleaned_data


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
        old_password = self.cleaned_data["old_password"]
        check_current_password(
            user=self.user,
            password=old_password,
            request=self.request,
            message=self.error_messages["password_incorrect"],
        )
        return old_password

    def clean(self):
        # The rules' messages belong beside the new password, not beside its confirmation.
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self)
