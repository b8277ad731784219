"""Neighbourhood figures with their provenance, practice signals to policy, and collective
neighbourhood initiatives (wijkinitiatieven).

Figures come from public files (CBS, the municipality's area scans) through ``insights.importers``;
every figure names its source, table and year. Case aggregates are never stored: they are counted
when shown, with small counts suppressed (``insights.suppression``).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RegionKind(models.TextChoices):
    GEMEENTE = "gemeente", _("Municipality")
    WIJK = "wijk", _("District (wijk)")
    POSTCODE = "postcode", _("Postcode area")
    GEBIED = "gebied", _("Area of the municipality's own scan")


class Figure(models.Model):
    """One published figure for one region, as the source published it."""

    region_kind = models.CharField(_("kind of region"), max_length=10, choices=RegionKind.choices)
    region_code = models.CharField(
        _("region"), max_length=60, help_text=_("CBS code (GM0080, WK008041), postcode (8921) or area name.")
    )
    region_name = models.CharField(_("region name"), max_length=100)
    municipality_code = models.CharField(_("municipality"), max_length=6, blank=True)
    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("district"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="figures",
    )
    indicator = models.CharField(_("indicator"), max_length=120)
    label = models.CharField(_("label"), max_length=200, help_text=_("As the source names it (Dutch)."))
    unit = models.CharField(_("unit"), max_length=40)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=3)
    count = models.PositiveIntegerField(_("number"), null=True, blank=True)
    reference_value = models.DecimalField(
        _("municipal average (as published)"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=200)
    table = models.CharField(_("table"), max_length=120)
    year = models.PositiveSmallIntegerField(_("year"))
    file = models.CharField(_("file"), max_length=200)
    imported_at = models.DateTimeField(_("imported"), default=timezone.now)

    class Meta:
        ordering = ["region_code", "indicator"]
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        constraints = [
            models.UniqueConstraint(fields=["region_code", "indicator", "table", "year"], name="figure_unique"),
        ]
        indexes = [models.Index(fields=["area", "indicator"], name="figure_area")]

    def __str__(self) -> str:
        return f"{self.region_name}: {self.label} {self.value} ({self.source} {self.year})"

    @property
    def provenance(self) -> str:
        return f"{self.source}, {self.table}, {self.year}"
