from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    """The pages that look back over the dossiers: the privacy officer's review, the access log and
    the resident's file, break-the-glass and its review by the team leader, retention."""

    name = "oversight"
    verbose_name = _("Oversight")
