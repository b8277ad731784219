from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Mijn Wijkteam"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401 - registers the DigiD configuration checks
        from .session import end_on_staff_sign_in

        # A professional who signs in is never also a resident in the same session.
        user_logged_in.connect(end_on_staff_sign_in, dispatch_uid="portal.end_on_staff_sign_in")
