"""``manage.py check --deploy`` also checks Wijkteam's own security headers, its keys, the demo
mode, the shared cache and the database role; every ``check`` checks the single sign-on
configuration (accounts.sso)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError

from . import database

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


# Caches that each process keeps for itself: with more than one process, a rate limit, the sign-in
# throttle of the second step and the cached sessions would each be counted or kept per process.
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.security, deploy=True)
def check_keys_and_modes(app_configs, **kwargs) -> list[Error]:
    """The public development keys, the demo mode and a key used twice have no place in production."""
    problems = []
    if settings._DEV_FIELD_KEY in settings.FIELD_ENCRYPTION_KEYS:
        problems.append(
            Error(
                "WIJKTEAM_FIELD_KEY holds the public development key: anyone can decrypt the BSNs.",
                id="wijkteam.E008",
            )
        )
    if settings.DEMO_MODE:
        problems.append(
            Error(
                "WIJKTEAM_DEMO is on: the demo banner, the demo loader and the demo accounts' codes on the "
                "second sign-in step.",
                id="wijkteam.E009",
            )
        )
    secrets = {settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS}
    if settings.BSN_HASH_KEY in secrets:
        problems.append(Error("WIJKTEAM_BSN_HASH_KEY must differ from WIJKTEAM_SECRET_KEY.", id="wijkteam.E010"))
    if settings.ACCESS_LOG_KEY == settings._DEV_ACCESS_LOG_KEY or settings.ACCESS_LOG_KEY in {
        *secrets,
        settings.BSN_HASH_KEY,
    }:
        problems.append(
            Error(
                "WIJKTEAM_ACCESS_LOG_KEY is the public development key or another key of Wijkteam's: set a key "
                "of its own.",
                id="wijkteam.E011",
            )
        )
    return problems


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs) -> list[Error]:
    """Rate limits, locks and cached sessions hold across processes only in a shared cache."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if not backend or backend in PER_PROCESS_CACHES:
        return [
            Error(
                f"The cache ({backend or 'none'}) is kept per process: set WIJKTEAM_REDIS_URL to the shared Redis.",
                id="wijkteam.E012",
            )
        ]
    return []


@register(Tags.database, Tags.security, deploy=True)
def check_database_role(app_configs, databases=None, **kwargs) -> list[Error]:
    """The application's database role must not own the tables or be a superuser: either can empty
    the access log or switch off its trigger (wijkteam.database)."""
    try:
        problems = database.role_problems()
    except DatabaseError as error:
        return [Warning(f"Could not check the database role: {error}", id="wijkteam.W013")]
    return [
        Error(
            problem,
            hint="Connect with DATABASE_URL as the application role, and migrate as the owner with "
            "WIJKTEAM_DB_MIGRATE_URL (docs/deployment.md#database-roles).",
            id="wijkteam.E013",
        )
        for problem in problems
    ]
