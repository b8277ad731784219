from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    """The case's pages (my work, the work queue, the case and its steps) and the writes that span a
    case and its parts: closing a case with its final ZRM, its goals and its planned visits."""

    name = "casework"
    verbose_name = _("Casework")
