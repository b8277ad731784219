from django.urls import path

from . import views

app_name = "provisions"

urlpatterns = [
    path("sociale-kaart/", views.social_map, name="social_map"),
    path("sociale-kaart/aanbieders/", views.providers, name="providers"),
    path("sociale-kaart/verwijzingen/", views.follow_ups, name="follow_ups"),
    path("sociale-kaart/verwijzingen/<int:pk>/", views.record_outcome, name="outcome"),
    path("zaken/<int:case_pk>/verwijzen/<int:provision_pk>/", views.refer, name="refer"),
    path("voorzieningen/", views.public_provisions, name="public"),
    path("sociale-kaart/beheer/", views.catalogue_admin, name="catalogue"),
    path("sociale-kaart/export.csv", views.catalogue_export, {"fmt": "csv"}, name="catalogue_csv"),
    path("sociale-kaart/export.xlsx", views.catalogue_export, {"fmt": "xlsx"}, name="catalogue_xlsx"),
]
