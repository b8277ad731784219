from django.contrib import admin

from .models import Contract, Provision


class ContractInline(admin.TabularInline):
    model = Contract
    extra = 0
    autocomplete_fields = ["provider"]


@admin.register(Provision)
class ProvisionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "product_category", "unit_price", "active"]
    list_filter = ["kind", "municipality", "active"]
    search_fields = ["name", "description"]
    filter_horizontal = ["life_domains", "areas"]
    autocomplete_fields = ["organisation"]
    inlines = [ContractInline]
