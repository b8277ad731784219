from django.contrib.auth import views as auth_views
from django.urls import path

from . import sso, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login, name="login"),
    path("login/sso/", sso.start, name="sso"),
    path("login/sso/terug/", sso.callback, name="sso_callback"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("wachtwoord/", views.password_change, name="password_change"),
    path("tweede-stap/", views.second_factor, name="twofactor"),
    path("tweede-stap/instellen/", views.second_factor_setup, name="twofactor_setup"),
]
