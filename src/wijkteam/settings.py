"""Settings for Wijkteam: one module, everything read from the environment.

Every variable is listed in docs/configuration.md with its default. Three environments:

- ``development`` (default): DEBUG on, an embedded SQLite database, an insecure key.
- ``test``: like development without DEBUG; used by ``make test``.
- ``production``: DEBUG off; the four keys, DATABASE_URL and WIJKTEAM_REDIS_URL required; secure
  cookies and HSTS on. ``manage.py check --deploy`` is clean with these settings, and refuses the
  development keys, the demo mode, a key used twice, a cache per process and a database role that
  owns the tables (wijkteam.checks).
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent.parent  # repository root
SRC_DIR = BASE_DIR / "src"


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


def env_required(name: str) -> str:
    value = env(name)
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when WIJKTEAM_ENV=production")
    return value


# Under pytest the default is "test", as `make test` sets it: a bare `pytest -n 2` then keeps each
# process's cache keys apart too (CACHE_KEY_PREFIX below), instead of one worker removing another's.
ENVIRONMENT = env("WIJKTEAM_ENV", "test" if "pytest" in sys.modules else "development")
if ENVIRONMENT not in {"development", "test", "production"}:
    raise ImproperlyConfigured("WIJKTEAM_ENV must be development, test or production")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("WIJKTEAM_DEBUG", ENVIRONMENT == "development")

# Development keys are public and marked insecure; `check --deploy` refuses them.
_DEV_SECRET_KEY = "django-insecure-wijkteam-development-key-do-not-use-in-production"  # noqa: S105
_DEV_FIELD_KEY = "d2lqa3RlYW0tZGV2ZWxvcG1lbnQta2V5LTMyYnl0ZSE="
SECRET_KEY = env_required("WIJKTEAM_SECRET_KEY") if PRODUCTION else env("WIJKTEAM_SECRET_KEY", _DEV_SECRET_KEY)
# Fernet key(s) for encrypted fields such as the BSN; the first encrypts, all decrypt
# (comma-separated, newest first) so keys can be rotated. See docs/privacy.md.
FIELD_ENCRYPTION_KEYS = env_list(
    "WIJKTEAM_FIELD_KEY", env_required("WIJKTEAM_FIELD_KEY") if PRODUCTION else _DEV_FIELD_KEY
)
# Key for the keyed hash (HMAC) that makes the BSN searchable without storing it in clear.
BSN_HASH_KEY = env_required("WIJKTEAM_BSN_HASH_KEY") if PRODUCTION else env("WIJKTEAM_BSN_HASH_KEY", SECRET_KEY)
# Key of the seals that chain the access log (privacy.chain). It stays out of the database, so a row
# that did not come from the application, or was changed or removed there, shows. Never change it:
# earlier rows could no longer be checked.
_DEV_ACCESS_LOG_KEY = "wijkteam-development-access-log-key-do-not-use-in-production"
ACCESS_LOG_KEY = (
    env_required("WIJKTEAM_ACCESS_LOG_KEY") if PRODUCTION else env("WIJKTEAM_ACCESS_LOG_KEY", _DEV_ACCESS_LOG_KEY)
)

ALLOWED_HOSTS = env_list("WIJKTEAM_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("WIJKTEAM_CSRF_TRUSTED_ORIGINS", "")
# Behind a reverse proxy the client address is the last hop of X-Forwarded-For.
BEHIND_PROXY = env_bool("WIJKTEAM_BEHIND_PROXY", PRODUCTION)

# Demo mode shows a banner on every page and allows the demo loader to run.
DEMO_MODE = env_bool("WIJKTEAM_DEMO", False)

INSTALLED_APPS = [
    "wijkteam.apps.AdminConfig",  # django.contrib.admin, signed in to through accounts:login
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "wijkteam.apps.StaticFilesConfig",  # django.contrib.staticfiles, publishing less
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Wijkteam, by domain (docs/architecture.md)
    "wijkteam",
    "accounts",
    "areas",
    "teams",
    "partners",
    "people",
    "zrm",
    "cases",
    "intake",
    "casework",
    "administration",
    "contacts",
    "plans",
    "provisions",
    "maatwerk",
    "insights",
    "privacy",
    "oversight",
    "portal",
    "demo",
]

MIDDLEWARE = [
    "wijkteam.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "wijkteam.middleware.DutchFirstLocaleMiddleware",
    "wijkteam.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wijkteam.middleware.PrivateByDefaultMiddleware",
    "privacy.middleware.AccessContextMiddleware",
    "oversight.middleware.BreakGlassMiddleware",
]

ROOT_URLCONF = "wijkteam.urls"
WSGI_APPLICATION = "wijkteam.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wijkteam.context_processors.wijkteam",
            ],
            "builtins": ["wijkteam.templatetags.components"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_required("DATABASE_URL")
        if PRODUCTION
        else env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'wijkteam.sqlite3'}"),
        conn_max_age=int(env("WIJKTEAM_DB_CONN_MAX_AGE", "60") or 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The covering indexes (INCLUDE columns) are for PostgreSQL; SQLite uses them without the extra
    # columns, which is all a demo needs, so its warning is not shown to every newcomer.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
# The owner of the tables, for `manage.py migrate` only (wijkteam/management/commands/migrate.py):
# the application itself connects with DATABASE_URL as a role that owns nothing, so that it cannot
# empty the access log or switch off its trigger (docs/deployment.md#database-roles).
DB_MIGRATE_URL = env("WIJKTEAM_DB_MIGRATE_URL", "") or ""
# A separate test database name lets several checkouts test against one server at once.
if env("WIJKTEAM_TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": env("WIJKTEAM_TEST_DB_NAME")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"  # wijkteam.views.home sends each role to its own start page
LOGOUT_REDIRECT_URL = "accounts:login"

# Single sign-on through the municipality's own identity provider (OpenID Connect, accounts.sso):
# off unless WIJKTEAM_OIDC_ISSUER is set. mozilla-django-oidc reads the OIDC_* settings; endpoints
# left empty come from the provider's discovery document. No account is ever created by it.
# Mijn Wijkteam (portal): residents sign in with DigiD through an OpenID Connect broker that
# returns the BSN (as Open Forms and Open Inwoner connect DigiD). Off unless
# WIJKTEAM_DIGID_ISSUER and WIJKTEAM_DIGID_CLIENT_ID are set; endpoints from the broker's discovery
# document. MIN_LOA: basis, midden, substantieel or hoog (portal.digid). docs/configuration.md.
DIGID = {
    "ISSUER": env("WIJKTEAM_DIGID_ISSUER", "") or "",
    "CLIENT_ID": env("WIJKTEAM_DIGID_CLIENT_ID", "") or "",
    "CLIENT_SECRET": env("WIJKTEAM_DIGID_CLIENT_SECRET", "") or "",
    "SCOPES": env("WIJKTEAM_DIGID_SCOPES", "openid bsn") or "openid bsn",
    "BSN_CLAIM": env("WIJKTEAM_DIGID_BSN_CLAIM", "bsn") or "bsn",
    "LOA_CLAIM": env("WIJKTEAM_DIGID_LOA_CLAIM", "acr") or "acr",
    "MIN_LOA": env("WIJKTEAM_DIGID_MIN_LOA", "substantieel") or "substantieel",
    # A resident's session ends after this many seconds without activity.
    "IDLE_SECONDS": int(env("WIJKTEAM_DIGID_IDLE_SECONDS", "900") or 900),
}

# The municipality's BRP (Haal Centraal BRP API Personen v2, people.brp.client); empty: no lookups,
# registering by hand only. docs/configuration.md.
BRP = {
    "URL": env("WIJKTEAM_BRP_URL", "") or "",
    "API_KEY": env("WIJKTEAM_BRP_API_KEY", "") or "",
    "CERT": env("WIJKTEAM_BRP_CERT", "") or "",
    "KEY": env("WIJKTEAM_BRP_KEY", "") or "",
    "CA": env("WIJKTEAM_BRP_CA", "") or "",
    "TIMEOUT": float(env("WIJKTEAM_BRP_TIMEOUT", "5") or 5),
}

OIDC_ISSUER = env("WIJKTEAM_OIDC_ISSUER", "") or ""
OIDC_RP_CLIENT_ID = env("WIJKTEAM_OIDC_CLIENT_ID", "") or ""
OIDC_RP_CLIENT_SECRET = env("WIJKTEAM_OIDC_CLIENT_SECRET", "") or ""
OIDC_RP_SCOPES = env("WIJKTEAM_OIDC_SCOPES", "openid email") or "openid email"
OIDC_OP_AUTHORIZATION_ENDPOINT = env("WIJKTEAM_OIDC_AUTHORIZATION_ENDPOINT", "") or ""
OIDC_OP_TOKEN_ENDPOINT = env("WIJKTEAM_OIDC_TOKEN_ENDPOINT", "") or ""
OIDC_OP_USER_ENDPOINT = env("WIJKTEAM_OIDC_USERINFO_ENDPOINT", "") or ""
OIDC_OP_JWKS_ENDPOINT = env("WIJKTEAM_OIDC_JWKS_URI", "") or ""
OIDC_TOKEN_USE_BASIC_AUTH = (env("WIJKTEAM_OIDC_TOKEN_AUTH", "basic") or "basic") != "post"
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sso_callback"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend", "accounts.sso.Backend"]

# Argon2id first (accounts.hashers); the others only verify older hashes, which are then upgraded.
PASSWORD_HASHERS = [
    "accounts.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    # Django's list of passwords from breaches, also tried on the word at a password's heart.
    {"NAME": "accounts.passwords.BreachedPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language: Dutch first, English available; English msgids with a committed Dutch catalogue.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [SRC_DIR / "wijkteam" / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end packages come from npm (package.json), never copied into the repository. Only the files
# the pages use are published, per package (wijkteam.staticfiles.VendorFinder): a package's folder
# holds more, among it a stylesheet that names files the package does not ship.
NODE_MODULES = BASE_DIR / "node_modules"
VENDOR_STATIC = {
    "vendor/utrecht-css": (NODE_MODULES / "@utrecht" / "component-library-css" / "dist", ["index.css"]),
    "vendor/utrecht-tokens": (NODE_MODULES / "@utrecht" / "design-tokens" / "dist", ["index.css"]),
    "vendor/htmx": (NODE_MODULES / "htmx.org" / "dist", ["htmx.min.js"]),
    "vendor/leaflet": (
        NODE_MODULES / "leaflet" / "dist",
        ["leaflet.css", "leaflet.js", "leaflet.js.map", "images/*.png"],
    ),
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "wijkteam.staticfiles.VendorFinder",
]
# In production `collectstatic` writes hashed, compressed files that WhiteNoise serves with
# far-future caching; elsewhere WhiteNoise serves straight from the finders.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
# Files browsers ask for at the root of the site (/favicon.ico), served as they are.
WHITENOISE_ROOT = SRC_DIR / "wijkteam" / "public"
# Source maps are read by a developer's tools only: not worth compressing (a third of the bytes).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]
# Pages link static files by their hashed names only ({% static %}); the plain copies need not be
# kept, nor compressed.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_AUTOREFRESH = not PRODUCTION
MEDIA_ROOT = Path(env("WIJKTEAM_MEDIA_ROOT", str(BASE_DIR / "var" / "media")) or "")

# Sessions: an absolute lifetime; the privacy work adds inactivity timeouts.
# Inactivity: a session ends 15 minutes after its last request; absolute: after a working day.
SESSION_COOKIE_AGE = int(env("WIJKTEAM_SESSION_IDLE_SECONDS", "900") or 900)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
OTP_TOTP_ISSUER = "Wijkteam"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (wijkteam.middleware.SecurityHeadersMiddleware): scripts and styles only
# from our own static files, no inline script or style, no eval; data: images for the icons in the
# NL Design System CSS. `e2e/` fails a journey on any violation the browser reports.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Browser features no page of Wijkteam uses are switched off for every page.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("WIJKTEAM_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(env("WIJKTEAM_HSTS_SECONDS", "31536000") or 0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Behind a reverse proxy that terminates TLS (docs/deployment.md).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "wijkteam.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "wijkteam.api.problem_details_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["wijkteam.api.JSONParser"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Wijkteam API",
    "DESCRIPTION": (
        "REST API of Wijkteam. Errors are RFC 9457 problem details (application/problem+json). "
        "Dates are accepted from 1900-01-01 to 2099-12-31; amounts carry their bounds."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "cases.workflow.Status",
        "GoalStatusEnum": "plans.models.GoalStatus",
        "ActionStatusEnum": "plans.models.ActionStatus",
        "ZrmScoreEnum": "zrm.models.Score",
        "SignalStatusEnum": "insights.models.SignalStatus.choices",
    },
}

# Upload limits: bad input gets a clear error; nothing large reaches the application.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# The shared cache: Redis (Django's own backend), one server for every application process, so
# sessions, rate limits, lockout and locks hold across processes and machines. Production reads
# WIJKTEAM_REDIS_URL; elsewhere it defaults to the local server. Set it empty to use a cache inside
# the one process instead (only for a single-process demo; `make demo` does so when no Redis answers).
REDIS_URL = env_required("WIJKTEAM_REDIS_URL") if PRODUCTION else env("WIJKTEAM_REDIS_URL", "redis://127.0.0.1:6379/0")
# Test runs share the server: each process keeps its keys under its own prefix (src/conftest.py
# removes them after every test), so parallel runs and checkouts never see each other's counters.
CACHE_KEY_PREFIX = env("WIJKTEAM_CACHE_PREFIX", "wijkteam") or "wijkteam"
if ENVIRONMENT == "test":
    CACHE_KEY_PREFIX = f"{CACHE_KEY_PREFIX}-test-{os.getpid()}"
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions in the database and the cache: a sign-out in one process is seen by every process, and
# a session survives a restart of Redis.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Mail: notices to professionals about their own account (a replaced second factor). SMTP when
# WIJKTEAM_EMAIL_HOST is set; otherwise printed in development and not sent elsewhere.
EMAIL_HOST = env("WIJKTEAM_EMAIL_HOST", "") or ""
EMAIL_PORT = int(env("WIJKTEAM_EMAIL_PORT", "25") or 25)
EMAIL_HOST_USER = env("WIJKTEAM_EMAIL_USER", "") or ""
EMAIL_HOST_PASSWORD = env("WIJKTEAM_EMAIL_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("WIJKTEAM_EMAIL_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env("WIJKTEAM_EMAIL_FROM", "wijkteam@localhost") or "wijkteam@localhost"
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
elif ENVIRONMENT == "development":
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"

# Application logs never carry personal data: only ids, never names, BSNs or free text.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("WIJKTEAM_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint reports each rendering step at INFO; a warning is all we need to see.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Wijkteam's own settings (docs/configuration.md)
WIJKTEAM = {
    # A signed-in session ends after this many seconds, however active (accounts.middleware).
    "SESSION_ABSOLUTE_SECONDS": int(env("WIJKTEAM_SESSION_ABSOLUTE_SECONDS", "32400") or 32400),
    # A team member who opens a colleague's dossier with a stated reason keeps access this long.
    "BREAK_GLASS_HOURS": int(env("WIJKTEAM_BREAK_GLASS_HOURS", "8") or 8),
    # The privacy officer sees dossiers opened with a reason that the team leader has not reviewed
    # within this many days.
    "BREAK_GLASS_REVIEW_DAYS": int(env("WIJKTEAM_BREAK_GLASS_REVIEW_DAYS", "7") or 7),
    # Lockout after failed password sign-ins (accounts.services): this many failures of one account
    # name, or from one client address, within LOCKOUT_SECONDS lock it for LOCKOUT_SECONDS.
    "LOCKOUT_ACCOUNT_FAILURES": max(1, int(env("WIJKTEAM_LOCKOUT_ACCOUNT_FAILURES", "5") or 5)),
    "LOCKOUT_ADDRESS_FAILURES": max(1, int(env("WIJKTEAM_LOCKOUT_ADDRESS_FAILURES", "30") or 30)),
    "LOCKOUT_SECONDS": max(60, int(env("WIJKTEAM_LOCKOUT_SECONDS", "900") or 900)),
    # Single sign-on (accounts.sso): the name on the login page's button, the claim that names the
    # Wijkteam account and the account field it is compared with ("email" or "username"), and the
    # amr/acr values that show the identity provider asked for a second factor.
    "OIDC_NAME": env("WIJKTEAM_OIDC_NAME", "") or urlsplit(OIDC_ISSUER).hostname or "",
    "OIDC_CLAIM": env("WIJKTEAM_OIDC_CLAIM", "email") or "email",
    "OIDC_MATCH": env("WIJKTEAM_OIDC_MATCH", "email") or "email",
    "OIDC_MFA_AMR": env_list("WIJKTEAM_OIDC_MFA_AMR", "mfa"),
    "OIDC_MFA_ACR": env_list("WIJKTEAM_OIDC_MFA_ACR", ""),
    # Small counts on policy screens are shown as "< threshold".
    "SUPPRESSION_THRESHOLD": int(env("WIJKTEAM_SUPPRESSION_THRESHOLD", "10") or 10),
    # Where residents and staff report an accessibility problem (the accessibility statement).
    "ACCESSIBILITY_CONTACT": env("WIJKTEAM_ACCESSIBILITY_CONTACT", "") or "",
    # What the municipality assumes one euro of prevention saves; shown with its assumption wherever used.
    "PREVENTION_RATIO": env("WIJKTEAM_PREVENTION_RATIO", "1.40") or "1.40",
    "PREVENTION_ASSUMPTION": env("WIJKTEAM_PREVENTION_ASSUMPTION", "")
    # Written by the municipality, so Dutch; the default quotes the seed it comes from.
    or "Wethouder Andries Ekhart (Leeuwarden) in Lokaal Bestuur: 'Met elke euro die je steekt in preventie "
    "bespaar je 1,40 euro in de uitvoering.' Een uitspraak, geen gemeten effect van dit initiatief.",
}
