from django.contrib import admin

from .models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "agb_code", "phone", "active"]
    list_filter = ["kind", "municipality", "active"]
    search_fields = ["name", "agb_code"]
    filter_horizontal = ["areas"]
