from django.urls import path

from . import team, views

app_name = "insights"

urlpatterns = [
    path("wijken/", views.district_index, name="districts"),
    path("wijken/gebiedsscans/", views.area_scans, name="area_scans"),
    path("wijken/kaart/", views.district_map, name="map"),
    path("wijken/kaart.geojson", views.district_map_data, name="map_data"),
    path("wijken/<str:code>/", views.district_detail, name="district"),
    path("wijken/<str:code>/export.<str:fmt>", views.district_export, name="district_export"),
    path("signalen/", views.signal_list, name="signals"),
    path("signalen/nieuw/", views.signal_new, name="signal_new"),
    path("signalen/<int:pk>/", views.signal_detail, name="signal"),
    path("initiatieven/", views.initiative_list, name="initiatives"),
    path("initiatieven/nieuw/", views.initiative_new, name="initiative_new"),
    path("initiatieven/<int:pk>/", views.initiative_detail, name="initiative"),
    path("initiatieven/<int:pk>/huishoudens/", views.initiative_households, name="initiative_households"),
    path("team/", team.team_overview, name="team_overview"),
    path("team/<int:pk>/", team.team_overview, name="team_overview_of"),
    path("managementinformatie/", views.management, name="management"),
    path("managementinformatie/export.<str:fmt>", views.management_export, name="management_export"),
]
