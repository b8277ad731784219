from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from . import twofactor
from .models import Expertise, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "municipality", "is_active"]
    list_filter = ["role", "municipality", "is_active"]
    search_fields = ["username", "first_name", "last_name", "email"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Work"), {"fields": ("role", "job_title", "phone", "municipality", "organisation", "expertises")}),
    )
    filter_horizontal = ["expertises", "groups", "user_permissions"]
    actions = ["reset_second_step"]

    @admin.action(description=_("Reset the second sign-in step (lost phone)"))
    def reset_second_step(self, request, queryset):
        for user in queryset:
            twofactor.reset(user=user)
        self.message_user(
            request, _("%(n)s accounts enrol a new authenticator app at their next sign-in.") % {"n": queryset.count()}
        )


@admin.register(Expertise)
class ExpertiseAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}
