"""The Django admin, signed in to through Wijkteam's one sign-in path.

Django's admin has a sign-in form of its own, which checks the password without the lockout and
without the second step. Here it sends everyone to ``accounts:login`` (the lockout, then the second
step), and back to the admin afterwards."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


class AdminSite(admin.AdminSite):
    def login(self, request, extra_context=None):
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse("admin:index", current_app=self.name)
        if not request.user.is_authenticated:
            return redirect_to_login(target, reverse("accounts:login"))
        if self.has_permission(request):
            return redirect(target)
        raise PermissionDenied  # signed in, but not staff: the admin is not for this role
