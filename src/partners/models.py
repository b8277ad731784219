"""Partner organisations: who refers, who provides, who is at the vindplaatsen."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    HUISARTS = "huisarts", _("GP practice")
    POLITIE = "politie", _("Police")
    WONINGCORPORATIE = "woningcorporatie", _("Housing corporation")
    KREDIETBANK = "kredietbank", _("Credit bank")
    SCHOOL = "school", _("School")
    CONSULTATIEBUREAU = "consultatiebureau", _("Child health clinic (consultatiebureau)")
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")
    GGZ = "ggz", _("Mental health care")
    AANBIEDER = "aanbieder", _("Care provider")
    WELZIJN = "welzijn", _("Welfare organisation")
    SPORTCLUB = "sportclub", _("Sports club")
    KERK = "kerk", _("Church")
    WIJKPLATFORM = "wijkplatform", _("Neighbourhood platform")
    GEMEENTE = "gemeente", _("Municipality")
    OVERIG = "overig", _("Other")


class Organisation(models.Model):
    municipality = models.ForeignKey("areas.Municipality", on_delete=models.PROTECT, related_name="organisations")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=OrganisationKind.choices)
    agb_code = models.CharField(
        _("AGB code"), max_length=8, blank=True, help_text=_("Eight digits; providers need it for iWmo/iJw messages.")
    )
    referrer_code = models.CharField(
        _("referrer code"), max_length=2, blank=True, help_text=_("iWmo/iJw code list COD327, e.g. 02 for a GP.")
    )
    areas = models.ManyToManyField("areas.Area", verbose_name=_("areas"), blank=True, related_name="organisations")
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="organisation_unique_name")]

    def __str__(self) -> str:
        return self.name


class PartnerContact(models.Model):
    """A person at a partner organisation or vindplaats whom professionals can call directly: the
    smoelenboek. Work details only; the photo is optional."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(
        _("role"), max_length=100, help_text=_("For example: wijkagent, schoolmaatschappelijk werker.")
    )
    expertise = models.CharField(_("expertise"), max_length=300, blank=True)
    phone = models.CharField(_("direct phone number"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="smoelenboek/", blank=True)
    areas = models.ManyToManyField(
        "areas.Area",
        verbose_name=_("areas"),
        blank=True,
        related_name="partner_contacts",
        help_text=_("Leave empty when the person works where the organisation works."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"
