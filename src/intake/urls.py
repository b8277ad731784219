from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("vragen/nieuw/", views.desk, name="desk"),
    path("vragen/zoek-inwoner/", views.resident_search, name="resident_search"),
]
