"""The life domains of the Zelfredzaamheid-Matrix (ZRM 2017, 13 domains).

The domain names come from data/zrm/zrm_domeinen.json; the matrix's criteria texts belong to
GGD Amsterdam and are not part of this product.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# English names for the 13 Dutch domain names, in the order of the data file.
ENGLISH_NAMES = {
    "Financiën": "Finances",
    "Werk en opleiding": "Work and education",
    "Tijdsbesteding": "Daytime activities",
    "Huisvesting": "Housing",
    "Huiselijke relaties": "Domestic relations",
    "Geestelijke gezondheid": "Mental health",
    "Lichamelijke gezondheid": "Physical health",
    "Middelengebruik": "Substance use",
    "Basale ADL": "Basic activities of daily living",
    "Instrumentele ADL": "Instrumental activities of daily living",
    "Sociaal netwerk": "Social network",
    "Maatschappelijke participatie": "Community participation",
    "Justitie": "Justice",
}


class LifeDomain(models.Model):
    code = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=100, help_text=_("The Dutch ZRM name."))
    name_en = models.CharField(_("English name"), max_length=100)
    order = models.PositiveSmallIntegerField()
    version = models.CharField(max_length=4, default="2017")

    class Meta:
        ordering = ["order"]
        verbose_name = _("life domain")
        verbose_name_plural = _("life domains")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.name_en if (get_language() or "nl").startswith("en") else self.name
