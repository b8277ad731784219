"""``manage.py check --deploy`` also checks Wijkteam's own security headers; every ``check``
checks the single sign-on configuration (accounts.sso)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

MIDDLEWARE = "wijkteam.middleware.SecurityHeadersMiddleware"
LOOSE = ("'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:")


@register(Tags.security, deploy=True)
def check_content_security_policy(app_configs, **kwargs) -> list[Warning]:
    problems = []
    if MIDDLEWARE not in settings.MIDDLEWARE:
        problems.append(
            Warning(f"{MIDDLEWARE} is not in MIDDLEWARE: no Content-Security-Policy is sent.", id="wijkteam.W001")
        )
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", {})
    for directive in ("default-src", "script-src", "style-src", "object-src", "base-uri", "frame-ancestors"):
        if directive not in policy:
            problems.append(Warning(f"The Content-Security-Policy sets no {directive}.", id="wijkteam.W002"))
    for directive, sources in policy.items():
        loose = [source for source in sources if source in LOOSE]
        if loose:
            problems.append(
                Warning(f"The Content-Security-Policy allows {' '.join(loose)} in {directive}.", id="wijkteam.W003")
            )
    return problems


@register(Tags.security)
def check_single_sign_on(app_configs, **kwargs) -> list[Warning]:
    if not settings.OIDC_ISSUER:
        return []
    problems: list[Warning] = []
    if not settings.OIDC_RP_CLIENT_ID or not settings.OIDC_RP_CLIENT_SECRET:
        problems.append(
            Error(
                "WIJKTEAM_OIDC_ISSUER is set, but WIJKTEAM_OIDC_CLIENT_ID or WIJKTEAM_OIDC_CLIENT_SECRET is not.",
                id="wijkteam.E004",
            )
        )
    urls = [settings.OIDC_ISSUER, settings.OIDC_OP_AUTHORIZATION_ENDPOINT, settings.OIDC_OP_TOKEN_ENDPOINT]
    urls += [settings.OIDC_OP_USER_ENDPOINT, settings.OIDC_OP_JWKS_ENDPOINT]
    if settings.PRODUCTION and any(url and urlsplit(url).scheme != "https" for url in urls):
        problems.append(Error("The identity provider's issuer and endpoints must use https.", id="wijkteam.E005"))
    if settings.WIJKTEAM["OIDC_MATCH"] not in ("email", "username"):
        problems.append(Error("WIJKTEAM_OIDC_MATCH is 'email' or 'username'.", id="wijkteam.E006"))
    return problems
