"""The sociale kaart: general, customised and collective provisions, their providers and contracts,
and referrals of residents to general provisions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProvisionKind(models.TextChoices):
    ALGEMEEN = "algemeen", _("General provision (no decision needed)")
    MAATWERK = "maatwerk", _("Customised provision (needs a decision)")
    COLLECTIEF = "collectief", _("Collective neighbourhood initiative")


class ProvisionQuerySet(models.QuerySet):
    def active(self) -> "ProvisionQuerySet":
        return self.filter(active=True)


class Provision(models.Model):
    municipality = models.ForeignKey("areas.Municipality", on_delete=models.PROTECT, related_name="provisions")
    kind = models.CharField(_("kind"), max_length=12, choices=ProvisionKind.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    target_group = models.CharField(_("target group"), max_length=300, blank=True)
    life_domains = models.ManyToManyField(
        "zrm.LifeDomain", verbose_name=_("life domains"), blank=True, related_name="provisions"
    )
    areas = models.ManyToManyField(
        "areas.Area",
        verbose_name=_("areas served"),
        blank=True,
        related_name="provisions",
        help_text=_("Leave empty when the whole municipality is served."),
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("run by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="run_provisions",
        help_text=_(
            "The partner organisation that runs it. A referral shares the resident's data with it, "
            "so it needs the resident's consent. Leave empty when the municipality runs it."
        ),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    # Customised provisions: what goes into the iWmo/iJw allocation and the cost figures.
    framework = models.ForeignKey(
        "cases.LegalFramework", verbose_name=_("legal framework"), on_delete=models.PROTECT, null=True, blank=True
    )
    product_category = models.CharField(
        _("product category"), max_length=2, blank=True, help_text=_("iWmo WMO020 or iJw JZ020 code.")
    )
    unit = models.CharField(_("unit"), max_length=2, blank=True, help_text=_("iWmo/iJw code list WJ756."))
    unit_price = models.DecimalField(_("unit price (EUR)"), max_digits=10, decimal_places=2, null=True, blank=True)
    providers = models.ManyToManyField(
        "partners.Organisation", through="Contract", related_name="provisions", verbose_name=_("providers")
    )
    active = models.BooleanField(_("active"), default=True)

    objects = ProvisionQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("provision")
        verbose_name_plural = _("provisions")
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="provision_unique_name")]

    def __str__(self) -> str:
        return self.name


class Contract(models.Model):
    """A provider contracted for a provision. Under the keuzemodel a provision has several and
    the resident chooses; under the consortiummodel one."""

    provision = models.ForeignKey(Provision, on_delete=models.CASCADE, related_name="contracts")
    provider = models.ForeignKey("partners.Organisation", on_delete=models.PROTECT, related_name="contracts")
    product_code = models.CharField(
        _("product code"), max_length=5, blank=True, help_text=_("The provider's iWmo/iJw product code, if any.")
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["provision", "provider__name"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [models.UniqueConstraint(fields=["provision", "provider"], name="contract_unique")]

    def __str__(self) -> str:
        return f"{self.provider}: {self.provision}"


class ReferralOutcome(models.TextChoices):
    PENDING = "open", _("Not known yet")
    WORKED = "geholpen", _("It helped")
    NOT_WORKED = "niet_geholpen", _("It did not help")
    NOT_STARTED = "niet_gestart", _("Did not start")


class ProvisionReferralQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ProvisionReferralQuerySet":
        from cases.access import referral_visibility

        return self.filter(referral_visibility(user))


class ProvisionReferral(models.Model):
    """A warm hand-over of a resident to a general provision, with a follow-up question later:
    did it work?"""

    provision = models.ForeignKey(Provision, on_delete=models.PROTECT, related_name="referrals")
    resident = models.ForeignKey(
        "people.Resident", on_delete=models.CASCADE, null=True, blank=True, related_name="provision_referrals"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="provision_referrals"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    referred_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(_("hand-over note"), blank=True)
    follow_up_on = models.DateField(_("ask on"), null=True, blank=True)
    outcome = models.CharField(
        _("did it work?"), max_length=16, choices=ReferralOutcome.choices, default=ReferralOutcome.PENDING
    )
    outcome_note = models.TextField(_("note on the outcome"), blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)

    objects = ProvisionReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-referred_at"]
        verbose_name = _("referral to a provision")
        verbose_name_plural = _("referrals to provisions")
        indexes = [models.Index(fields=["by", "outcome", "follow_up_on"], name="provision_referral_follow_up")]

    def __str__(self) -> str:
        return f"{self.provision} ({self.referred_at:%d-%m-%Y})" if self.referred_at else str(self.provision)
