from django.contrib import admin

from .models import Area, Municipality, PostcodeArea


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "cbs_code", "positioning"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "cbs_code", "kind", "municipality", "inhabitants"]
    list_filter = ["municipality", "kind"]
    search_fields = ["name", "cbs_code"]


@admin.register(PostcodeArea)
class PostcodeAreaAdmin(admin.ModelAdmin):
    list_display = ["postcode4", "area", "share"]
    list_filter = ["area__municipality"]
    search_fields = ["postcode4"]
