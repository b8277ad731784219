"""Professionals who sign in, with their one role and their expertise."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
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

    class Meta:
        ordering = ["first_name", "last_name"]
        verbose_name = _("professional")
        verbose_name_plural = _("professionals")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def does_casework(self) -> bool:
        return self.role in CASEWORK_ROLES

    def home_url(self) -> str:
        """Where this professional lands after signing in."""
        if self.role == Role.PRIVACY_OFFICER:
            return reverse("privacy:review")
        if self.role == Role.BESCHIKKER:
            return reverse("maatwerk:worklist")
        if self.role == Role.POLICY_OFFICER:
            return reverse("insights:districts")
        return reverse("cases:my_work")
