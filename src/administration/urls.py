from django.urls import path, re_path

from . import views

app_name = "administration"

SECTION = "beheer/(?P<slug>" + "|".join(views.SECTIONS) + ")/"

urlpatterns = [
    path("beheer/", views.index, name="index"),
    path("beheer/gebruikers/", views.user_list, name="users"),
    path("beheer/gebruikers/nieuw/", views.user_edit, name="user_new"),
    path("beheer/gebruikers/<int:pk>/", views.user_edit, name="user"),
    path("beheer/gebruikers/<int:pk>/<slug:action>/", views.user_action, name="user_action"),
    re_path(f"^{SECTION}$", views.section_list, name="section"),
    re_path(f"^{SECTION}nieuw/$", views.section_edit, name="section_new"),
    re_path(f"^{SECTION}(?P<pk>[0-9]+)/$", views.section_edit, name="section_edit"),
]
