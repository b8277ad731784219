from django.contrib import admin

from .models import LifeDomain


@admin.register(LifeDomain)
class LifeDomainAdmin(admin.ModelAdmin):
    list_display = ["order", "name", "name_en", "version"]
