from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Expertise, SignInCounter, User


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
    actions = ["reset_second_step", "unlock_sign_in", "deactivate"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            services.account_deactivate(user=obj)

    @admin.action(description=_("Reset the second sign-in step (lost phone)"))
    def reset_second_step(self, request, queryset):
        for user in queryset:
            services.second_factor_reset(user=user)
        self.message_user(
            request, _("%(n)s accounts enrol a new authenticator app at their next sign-in.") % {"n": queryset.count()}
        )

    @admin.action(description=_("Unlock signing in (after too many wrong passwords)"))
    def unlock_sign_in(self, request, queryset):
        unlocked = sum(services.sign_in_unlock(user=user) for user in queryset)
        self.message_user(request, _("%(n)s accounts unlocked.") % {"n": unlocked})

    @admin.action(description=_("Deactivate (ends all sessions)"))
    def deactivate(self, request, queryset):
        for user in queryset:
            services.account_deactivate(user=user)
        self.message_user(request, _("%(n)s accounts deactivated.") % {"n": queryset.count()})


@admin.register(SignInCounter)
class SignInCounterAdmin(admin.ModelAdmin):
    """Current counters and locks, under their keyed hash (no names, no addresses). Deleting a row
    unlocks that account name or client address."""

    list_display = ["__str__", "kind", "failures", "window_start", "locked_until"]
    list_filter = ["kind"]
    readonly_fields = ["kind", "key", "failures", "window_start", "locked_until"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Expertise)
class ExpertiseAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}
