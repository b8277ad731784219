"""Toegang and signalering: how questions get in.

- ``Question``: a question registered at the desk, by phone, by e-mail or at a vindplaats, with
  its outcome (answered on the spot, referred to a general provision, or a melding). Every
  question is counted, also those that need no case.
- ``Referral``: a concern reported by a partner professional (form or API) or by the resident
  themselves (public form). The referrer later sees only its status, never case content.
- ``PartnerToken``: an API key per partner organisation, stored as a hash.
- ``KnownQuery``: the bekendheidsvraag ("is this household known to you?"), answered yes/no and
  logged, so the team sees who asked.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Channel(models.TextChoices):
    BALIE = "balie", _("At the desk")
    TELEFOON = "telefoon", _("By phone")
    EMAIL = "email", _("By e-mail")
    WEBFORMULIER = "webformulier", _("Web form")
    HUISBEZOEK = "huisbezoek", _("Home visit")
    VINDPLAATS = "vindplaats", _("At a vindplaats (school, child health clinic …)")


class Outcome(models.TextChoices):
    ANSWERED = "beantwoord", _("Answered on the spot (information or advice)")
    REFERRED = "verwezen", _("Referred to a general provision")
    MELDING = "melding", _("Melding: the question needs more")


class Route(models.TextChoices):
    """Where a question went, decided by the outcome and the municipality's positioning."""

    NONE = "", _("Closed at registration")
    TEAM = "team", _("Case in the neighbourhood team")
    WMO_DESK = "wmo_loket", _("To the municipal Wmo desk")
    PROFESSIONAL = "professional", _("Handled by the professional who registered it")
    QUEUE = "queue", _("Municipal intake queue: no team serves the address")


class Question(models.Model):
    municipality = models.ForeignKey("areas.Municipality", on_delete=models.PROTECT, related_name="+")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    seconds_taken = models.PositiveIntegerField(
        _("seconds taken"), null=True, blank=True, help_text=_("From opening the form to saving it.")
    )
    team = models.ForeignKey(
        "teams.Team", verbose_name=_("team"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("district"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resident = models.ForeignKey(
        "people.Resident",
        verbose_name=_("resident"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
        help_text=_("Only when the question needs it: an answered question can stay anonymous."),
    )
    text = models.TextField(_("question"))
    life_domains = models.ManyToManyField("zrm.LifeDomain", verbose_name=_("life domains"), related_name="+")
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    vindplaats = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("vindplaats"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    route = models.CharField(_("route"), max_length=16, choices=Route.choices, blank=True)
    provision = models.ForeignKey(
        "provisions.Provision",
        verbose_name=_("provision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answer = models.TextField(_("answer or advice"), blank=True)
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-registered_at", "-pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [
            models.Index(fields=["municipality", "registered_at"], name="question_municipality_at"),
            models.Index(fields=["registered_by", "registered_at"], name="question_by_at"),
        ]

    def __str__(self) -> str:
        return self.text[:50]


class ReferralSource(models.TextChoices):
    PARTNER = "partner", _("Partner professional")
    SELF = "zelf", _("The resident themselves")


class ReferralStatus(models.TextChoices):
    """What the referrer sees: nothing more than this."""

    RECEIVED = "ontvangen", pgettext_lazy("referral status", "Received")
    IN_PROGRESS = "in_behandeling", pgettext_lazy("referral status", "In progress")
    CLOSED = "afgesloten", pgettext_lazy("referral status", "Closed")


class ReferralQuerySet(models.QuerySet):
    def of_organisation(self, organisation) -> "ReferralQuerySet":
        return self.filter(organisation=organisation, source=ReferralSource.PARTNER)

    def visible_to(self, user) -> "ReferralQuerySet":
        """For the team: referrals in the queues of the user's teams, and those of the user's
        municipality that no team could be found for."""
        from accounts.models import CASEWORK_ROLES
        from teams.models import Team
        from teams.services import team_ids_of

        if not (user.is_authenticated and user.is_active and user.role in CASEWORK_ROLES):
            return self.none()
        teams = team_ids_of(user)
        municipalities = Team.objects.filter(pk__in=teams).values("municipality_id")
        return self.filter(
            models.Q(team_id__in=teams) | models.Q(team__isnull=True, municipality_id__in=municipalities)
        )

    def waiting(self) -> "ReferralQuerySet":
        return self.filter(case__isnull=True, closed_at__isnull=True)


class Referral(models.Model):
    """A concern reported to the team. The person's details are as the referrer gave them; the
    team matches them to a resident when it takes the referral up."""

    municipality = models.ForeignKey("areas.Municipality", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("source"), max_length=8, choices=ReferralSource.choices)
    organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("referred by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_made",
    )
    client_reference = models.CharField(
        _("your reference"), max_length=64, blank=True, help_text=_("The referrer's own reference.")
    )
    name = models.CharField(_("name"), max_length=200)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    huisnummer = models.PositiveIntegerField(_("house number"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    concern = models.TextField(_("concern"))
    life_domains = models.ManyToManyField(
        "zrm.LifeDomain", verbose_name=_("life domains"), blank=True, related_name="+"
    )
    resident_informed = models.BooleanField(_("the resident knows about this referral"), default=False)
    team = models.ForeignKey(
        "teams.Team", verbose_name=_("team"), on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    taken_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True, help_text=_("Never shown to the referrer."))

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "client_reference"],
                condition=~models.Q(client_reference=""),
                name="referral_unique_client_reference",
            )
        ]
        indexes = [models.Index(fields=["team", "closed_at", "case"], name="referral_queue")]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.received_at:%d-%m-%Y}"

    @property
    def status(self) -> str:
        """Received until the team takes it up; in progress while its case is open; then closed."""
        from cases.workflow import Status

        if self.closed_at is not None:
            return ReferralStatus.CLOSED
        if self.case_id is None:
            return ReferralStatus.RECEIVED
        return ReferralStatus.CLOSED if self.case.status == Status.AFGESLOTEN else ReferralStatus.IN_PROGRESS

    @property
    def status_label(self) -> str:
        return ReferralStatus(self.status).label


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class PartnerToken(models.Model):
    """An API key for one partner organisation. Only its hash is kept; the key is shown once."""

    organisation = models.ForeignKey(
        "partners.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("Which system uses it."))
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("partner API key")
        verbose_name_plural = _("partner API keys")

    def __str__(self) -> str:
        return f"{self.organisation} · {self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, organisation, name: str, issued_by=None) -> tuple["PartnerToken", str]:
        """A new key: the token (which keeps only its hash) and the key itself, to show once."""
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(
            organisation=organisation, name=name, key_hash=hash_token(key), prefix=key[:8], issued_by=issued_by
        )
        return token, key


class KnownQuery(models.Model):
    """A bekendheidsvraag: the question, who asked it and the yes/no answer, kept for the team."""

    organisation = models.ForeignKey(
        "partners.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    asked_at = models.DateTimeField(_("asked"), auto_now_add=True)
    via_api = models.BooleanField(default=False)
    purpose = models.CharField(_("reason for asking"), max_length=300)
    household = models.ForeignKey(
        "people.Household", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    known = models.BooleanField(_("known"))

    class Meta:
        ordering = ["-asked_at", "-pk"]
        verbose_name = _("bekendheidsvraag")
        verbose_name_plural = _("bekendheidsvragen")

    def __str__(self) -> str:
        return f"{self.organisation} {self.asked_at:%d-%m-%Y}"
