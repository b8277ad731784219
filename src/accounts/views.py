"""Signing in (the password step with its lockout, the second step, enrolling a second factor) and
changing one's password."""

import time

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from . import services, sso, twofactor
from .forms import ChangePasswordForm, LoginForm, ReauthenticateForm


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=12,
        help_text=gettext_lazy("The six digits in your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return request.user.home_url()


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        # "Inloggen met <provider>" only when single sign-on is configured (accounts.sso).
        return super().get_context_data(**kwargs, sso_provider=sso.provider_name() if sso.enabled() else "")

    def form_invalid(self, form):
        # 429 while locked, so monitoring can tell a lockout from a typing error.
        return self.render_to_response(self.get_context_data(form=form), status=429 if form.locked else 200)


login = LoginView.as_view()


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """A new password; every other session of the account ends (the session hash changes), this
    one goes on."""
    form = ChangePasswordForm(request.user, request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)
        messages.success(request, _("Your password has been changed. Other sessions of your account have ended."))
        return redirect(request.user.home_url())
    return render(request, "accounts/password_change.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    if twofactor.is_verified(request):
        return redirect(_next(request))
    if twofactor.confirmed_device(request.user) is None:
        return redirect("accounts:twofactor_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.throttled(request.user):
            form.add_error("code", _("Too many wrong codes. Wait a moment and try again."))
        elif twofactor.verify(request, code=form.cleaned_data["code"]):
            return redirect(_next(request))
        else:
            form.add_error("code", _("This code is not correct. Try the newest code in your app."))
    return render(
        request,
        "accounts/second_factor.html",
        {"form": form, "next": _next(request), "demo_code": twofactor.demo_code(request.user)},
        status=400 if form.errors else 200,
    )


REAUTHENTICATED_AT = "wt_reauthenticated_at"
REAUTHENTICATION_SECONDS = 600


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: the first one after the first password, or another one (a new
    phone) after signing in again here with the password and a code of the current app or a
    recovery code; then every other session ends and the professional is told (accounts.services)."""
    replacing = twofactor.confirmed_device(request.user) is not None
    if replacing and not twofactor.is_verified(request):
        return redirect("accounts:twofactor")
    if replacing and time.time() - request.session.get(REAUTHENTICATED_AT, 0) > REAUTHENTICATION_SECONDS:
        return _reauthenticate(request)
    device = twofactor.pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.second_factor_enrol(request=request, code=form.cleaned_data["code"])
        except ValueError as error:
            form.add_error("code", str(error))
        else:
            request.session.pop(REAUTHENTICATED_AT, None)
            if replacing:
                messages.success(request, _("Your new authenticator app is on. Your other sessions have ended."))
                if request.user.email:
                    messages.info(
                        request, _("We sent an e-mail about it to %(email)s.") % {"email": request.user.email}
                    )
            else:
                messages.success(request, _("Two-step sign-in is on. Keep your recovery codes somewhere safe."))
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": request.user.home_url()})
    return render(
        request,
        "accounts/second_factor_setup.html",
        {"form": form, "qr": twofactor.qr_svg(device), "secret": twofactor.secret_for_typing(device)},
        status=400 if form.errors else 200,
    )


def _reauthenticate(request: HttpRequest) -> HttpResponse:
    """Sign in again before another app replaces the enrolled one: a session left open is not enough."""
    form = ReauthenticateForm(request.user, request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        request.session[REAUTHENTICATED_AT] = int(time.time())
        return redirect("accounts:twofactor_setup")
    return render(
        request,
        "accounts/second_factor_reauthenticate.html",
        {"form": form, "demo_code": twofactor.demo_code(request.user)},
        status=(429 if form.locked else 400) if form.errors else 200,
    )
