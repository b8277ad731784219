from django.apps import AppConfig


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
