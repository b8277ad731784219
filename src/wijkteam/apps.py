from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.contrib.staticfiles import apps as staticfiles_apps


class WijkteamConfig(AppConfig):
    name = "wijkteam"
    verbose_name = "Wijkteam"

    def ready(self) -> None:
        from django.forms import ModelChoiceField

        from . import checks  # noqa: F401 - registers the deploy checks
        from .forms import ChoicesInOneQuery
        from .limits import install_date_bounds

        ModelChoiceField.iterator = ChoicesInOneQuery  # ModelMultipleChoiceField inherits it
        install_date_bounds()


# Django's own apps, configured for Wijkteam (INSTALLED_APPS names them); not this app's default.


class StaticFilesConfig(staticfiles_apps.StaticFilesConfig):
    """Django's staticfiles, without the static files of packages that no page uses: the browsable
    API of Django REST Framework (Wijkteam's API answers JSON only) and ReDoc (the API documentation
    is Swagger UI). Five megabytes less to hash and compress at every ``collectstatic``."""

    default = False
    ignore_patterns = [*staticfiles_apps.StaticFilesConfig.ignore_patterns, "rest_framework", "redoc"]


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin, signed in to through ``accounts:login`` (accounts.adminsite)."""

    default = False
    default_site = "accounts.adminsite.AdminSite"
