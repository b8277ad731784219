from django.contrib import admin

from .models import Organisation, PartnerContact


class PartnerContactInline(admin.TabularInline):
    model = PartnerContact
    extra = 0
    fields = ["name", "role", "phone", "email", "active"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "agb_code", "phone", "active"]
    list_filter = ["kind", "municipality", "active"]
    search_fields = ["name", "agb_code"]
    filter_horizontal = ["areas"]
    inlines = [PartnerContactInline]


@admin.register(PartnerContact)
class PartnerContactAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "role", "phone", "active"]
    list_filter = ["organisation__kind", "active"]
    search_fields = ["name", "role", "expertise", "organisation__name"]
    filter_horizontal = ["areas"]
