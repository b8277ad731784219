"""Municipalities and their districts (wijken) and neighbourhoods (buurten), with CBS codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Positioning(models.TextChoices):
    """How the municipality organises access (docs/glossary.md)."""

    LOKET = "loket", _("Desk and access (loket)")
    REGIE = "regie", _("Coordination of complex cases (regie)")
    HYBRIDE = "hybride", _("Hybrid")
    NETWERK = "netwerk", _("Network without a team")


class ProcurementModel(models.TextChoices):
    """How the municipality buys customised support (docs/glossary.md)."""

    KEUZE = "keuze", _("Choice model: several contracted providers, the resident chooses")
    CONSORTIUM = "consortium", _("Consortium model: one contracted provider")


class Municipality(models.Model):
    cbs_code = models.CharField(_("CBS code"), max_length=6, unique=True, help_text="GM0080")
    name = models.CharField(_("name"), max_length=100)
    positioning = models.CharField(
        _("positioning"), max_length=16, choices=Positioning.choices, default=Positioning.HYBRIDE
    )
    procurement_model = models.CharField(
        _("procurement model"), max_length=16, choices=ProcurementModel.choices, default=ProcurementModel.KEUZE
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name

    @property
    def code(self) -> str:
        """The four-digit municipality code used in iWmo/iJw messages."""
        return self.cbs_code[2:]


class AreaKind(models.TextChoices):
    WIJK = "wijk", _("District (wijk)")
    BUURT = "buurt", _("Neighbourhood (buurt)")


class Area(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="areas")
    kind = models.CharField(_("kind"), max_length=8, choices=AreaKind.choices, default=AreaKind.WIJK)
    cbs_code = models.CharField(_("CBS code"), max_length=10, unique=True, help_text="WK008041")
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("district")
    )
    inhabitants = models.PositiveIntegerField(_("inhabitants"), null=True, blank=True)
    inhabitants_source = models.CharField(_("source of the inhabitant count"), max_length=200, blank=True)
    kwb_year = models.PositiveSmallIntegerField(_("latest KWB year"), null=True, blank=True)
    ended_in = models.PositiveSmallIntegerField(
        _("no longer published since"), null=True, blank=True, help_text=_("The first KWB year without this area.")
    )

    class Meta:
        ordering = ["municipality", "cbs_code"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return self.name


class AreaBoundary(models.Model):
    """The area's outline as GeoJSON (WGS84), kept apart so area lists stay light."""

    area = models.OneToOneField(Area, on_delete=models.CASCADE, related_name="boundary")
    geometry = models.JSONField()
    source = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("area boundary")
        verbose_name_plural = _("area boundaries")

    def __str__(self) -> str:
        return str(self.area)


class PostcodeArea(models.Model):
    """Which districts a four-digit postcode area lies in, and what share of it each covers.

    An address is assigned to the district with the largest share unless it is set explicitly.
    """

    postcode4 = models.CharField(_("postcode (4 digits)"), max_length=4)
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="postcodes")
    share = models.FloatField(_("share of the postcode area"), default=1.0)
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["postcode4", "-share"]
        verbose_name = _("postcode area")
        verbose_name_plural = _("postcode areas")
        constraints = [models.UniqueConstraint(fields=["postcode4", "area"], name="postcode_area_unique")]

    def __str__(self) -> str:
        return f"{self.postcode4} → {self.area} ({self.share:.0%})"


class AddressPoint(models.Model):
    """Which district one address (full postcode and house number) lies in, from CBS's file
    "Buurt, wijk en gemeente voor postcode huisnummer" (``import_addresses``). Where there is one,
    it decides; where there is none, a four-digit postcode's ``PostcodeArea`` rows are the candidates
    (``people.districts``)."""

    postcode = models.CharField(_("postcode"), max_length=6)
    huisnummer = models.PositiveIntegerField(_("house number"))
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="addresses")
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("address point")
        verbose_name_plural = _("address points")
        constraints = [models.UniqueConstraint(fields=["postcode", "huisnummer"], name="address_point_unique")]

    def __str__(self) -> str:
        return f"{self.postcode} {self.huisnummer} → {self.area}"


class AreaChangeKind(models.TextChoices):
    NEW = "nieuw", _("New")
    RENAMED = "hernoemd", _("Renamed")
    ENDED = "vervallen", _("No longer in the classification (ended or merged)")


class AreaChange(models.Model):
    """What a re-import of a later year's KWB changed in the municipality's districts and neighbourhoods.

    A district that is no longer published is kept (``Area.ended_in``) with its figures, never deleted.
    """

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="area_changes")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="changes")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("change"), max_length=12, choices=AreaChangeKind.choices)
    old_name = models.CharField(_("old name"), max_length=100, blank=True)
    new_name = models.CharField(_("new name"), max_length=100, blank=True)
    file = models.CharField(_("file"), max_length=200)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["municipality", "-year", "area__cbs_code"]
        verbose_name = _("change in the area classification")
        verbose_name_plural = _("changes in the area classification")

    def __str__(self) -> str:
        return f"{self.year} {self.area.cbs_code}: {self.get_kind_display()}"
