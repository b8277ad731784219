"""``manage.py check --deploy`` also checks Wijkteam's own security headers."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

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
