"""Professionals who sign in, with their one role and their expertise."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SOCIAL_WORKER = "sociaal_werker", _("Social worker")
    TEAM_LEADER = "teamleider", _("Team leader")
    BESCHIKKER = "beschikker", _("Decision maker (beschikker)")
    POLICY_OFFICER = "beleidsmedewerker", _("Policy officer")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")
    ADMINISTRATOR = "functioneel_beheerder", _("Functional administrator")
    REFERRER = "verwijzer", _("Referrer")


# Roles that work in dossiers of a team: they can be regisseur and see their team's cases.
CASEWORK_ROLES = frozenset({Role.SOCIAL_WORKER, Role.TEAM_LEADER})


# Each role's start page (URL names): where its own work is. Social workers: Mijn werk.
START_PAGES = {
    Role.TEAM_LEADER: "insights:team_overview",
    Role.BESCHIKKER: "maatwerk:worklist",
    Role.POLICY_OFFICER: "insights:districts",
    Role.PRIVACY_OFFICER: "privacy:review",
    Role.ADMINISTRATOR: "administration:index",
    Role.REFERRER: "intake:refer",
}


class Expertise(models.Model):
    """A field of expertise; the professionals who share one form a vakgroep."""

    code = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("expertise")
        verbose_name_plural = _("expertises")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.SOCIAL_WORKER)
    job_title = models.CharField(
        _("job title"), max_length=100, blank=True, help_text=_("For example consulent or gespreksvoerder.")
    )
    phone = models.CharField(_("direct phone number"), max_length=20, blank=True)
    municipality = models.ForeignKey(
        "areas.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    expertises = models.ManyToManyField(Expertise, verbose_name=_("expertise"), blank=True, related_name="users")
    organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("For referrers and partner professionals: the organisation they work for."),
    )
    # Raised by accounts.services.sessions_end: every session signed in before no longer matches
    # the session hash below, so Django signs it out at its next request (as after a new password).
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["first_name", "last_name"]
        verbose_name = _("professional")
        verbose_name_plural = _("professionals")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_session_auth_hash(self) -> str:
        return self._session_hash(settings.SECRET_KEY)

    def get_session_auth_fallback_hash(self):
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(secret)

    def _session_hash(self, secret: str) -> str:
        """Django's session hash (an HMAC of the password hash), with the session generation in it:
        a new password or ``sessions_end`` ends every other session of the account."""
        value = f"{self.password}:{self.session_generation}"
        return salted_hmac("accounts.User.session", value, secret=secret, algorithm="sha256").hexdigest()

    @property
    def does_casework(self) -> bool:
        return self.role in CASEWORK_ROLES

    def home_url(self) -> str:
        """Where this professional lands after signing in: their own work (docs/usability.md,
        "Start pages")."""
        return reverse(START_PAGES.get(self.role, "cases:my_work"))


class SignInCounter(models.Model):
    """Failed password sign-ins of one account name or one client address, for the lockout
    (accounts.lockout). The key is a keyed hash: the table holds no user names and no addresses,
    also not of names that belong to no account."""

    class Kind(models.TextChoices):
        ACCOUNT = "account", _("account")
        ADDRESS = "address", _("client address")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    key = models.CharField(max_length=64, unique=True)
    failures = models.PositiveIntegerField(_("failed sign-ins"), default=0)
    window_start = models.DateTimeField(_("first failure counted"))
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in lock")
        verbose_name_plural = _("sign-in locks")
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key[:8]}"
