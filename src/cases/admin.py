from django.contrib import admin

from .models import LegalFramework


@admin.register(LegalFramework)
class LegalFrameworkAdmin(admin.ModelAdmin):
    """Reference data only: cases themselves are never shown in the admin (they pass the gate)."""

    list_display = ["name", "code", "retention_years", "legal_basis"]
