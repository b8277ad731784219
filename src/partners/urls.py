from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("smoelenboek/", views.directory, name="directory"),
    path("smoelenboek/foto/<int:pk>/", views.photo, name="photo"),
]
