from django.contrib import admin

from .models import Team, TeamMembership


class MembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "phone"]
    list_filter = ["municipality"]
    filter_horizontal = ["areas"]
    inlines = [MembershipInline]
