"""The second step of signing in, and enrolling a second factor."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from . import twofactor


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


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    if twofactor.confirmed_device(request.user) is not None and not twofactor.is_verified(request):
        return redirect("accounts:twofactor")
    device = twofactor.pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = twofactor.enrol_confirm(request, code=form.cleaned_data["code"])
        except ValueError as error:
            form.add_error("code", str(error))
        else:
            messages.success(request, _("Two-step sign-in is on. Keep your recovery codes somewhere safe."))
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": request.user.home_url()})
    return render(
        request,
        "accounts/second_factor_setup.html",
        {"form": form, "qr": twofactor.qr_svg(device), "secret": twofactor.secret_for_typing(device)},
        status=400 if form.errors else 200,
    )
