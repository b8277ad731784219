"""Checks of the DigiD configuration (docs/configuration.md), run by ``manage.py check``."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register

from .digid import LEVELS


@register(Tags.security)
def check_digid(app_configs, **kwargs) -> list[Error]:
    digid = settings.DIGID
    problems = []
    if digid["MIN_LOA"] not in LEVELS:
        problems.append(Error(f"WIJKTEAM_DIGID_MIN_LOA is one of {', '.join(LEVELS)}.", id="portal.E001"))
    if digid["ISSUER"] and (not digid["CLIENT_ID"] or not digid["CLIENT_SECRET"]):
        problems.append(
            Error(
                "WIJKTEAM_DIGID_ISSUER is set, but WIJKTEAM_DIGID_CLIENT_ID or WIJKTEAM_DIGID_CLIENT_SECRET is not.",
                id="portal.E002",
            )
        )
    if settings.PRODUCTION and digid["ISSUER"] and urlsplit(digid["ISSUER"]).scheme != "https":
        problems.append(Error("The DigiD broker's issuer must use https.", id="portal.E003"))
    return problems
