"""The life domains of the Zelfredzaamheid-Matrix (ZRM 2017, 13 domains).

The domain names come from data/zrm/zrm_domeinen.json; the matrix's criteria texts belong to
GGD Amsterdam and are not part of this product.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
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

# How a letter to a resident names each domain: in words of everyday life, not the matrix's own
# terms ("Instrumentele ADL"), which professionals keep seeing (``LifeDomain.label``).
RESIDENT_WORDING = {
    "Financiën": _("Money and debts"),
    "Werk en opleiding": _("Work and school"),
    "Tijdsbesteding": _("What you do during the day"),
    "Huisvesting": _("Your home"),
    "Huiselijke relaties": _("Relationships at home"),
    "Geestelijke gezondheid": _("How you feel: mental health"),
    "Lichamelijke gezondheid": _("Your physical health"),
    "Middelengebruik": _("Alcohol, drugs and medicines"),
    "Basale ADL": _("Looking after yourself: washing, dressing, eating"),
    "Instrumentele ADL": _("Running your household: shopping, cooking, cleaning, post"),
    "Sociaal netwerk": _("People around you"),
    "Maatschappelijke participatie": _("Taking part in society"),
    "Justitie": _("Police and justice"),
}


def resident_wording(name: str) -> str:
    """A domain (by its Dutch ZRM name) as a letter to the resident names it."""
    return str(RESIDENT_WORDING[name]) if name in RESIDENT_WORDING else name


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

    @property
    def for_resident(self) -> str:
        """The domain in a letter to the resident (``RESIDENT_WORDING``)."""
        return resident_wording(self.name)


class Score(models.IntegerChoices):
    """The five ZRM scores; the Dutch labels are those of data/zrm/zrm_domeinen.json."""

    ACUTE = 1, _("Acute problems")
    NOT_SELF_RELIANT = 2, _("Not self-reliant")
    LIMITED = 3, _("Limited self-reliance")
    SUFFICIENT = 4, _("Sufficiently self-reliant")
    FULL = 5, _("Fully self-reliant")


class Moment(models.TextChoices):
    START = "start", pgettext_lazy("ZRM moment", "Start")  # not the generic "Start" of other apps
    INTERIM = "tussentijds", _("Re-assessment")
    FINAL = "eind", _("Final")


class Assessment(models.Model):
    """One ZRM assessment of a case: only the domains the question needs, each with a reason.

    The Dutch DPA found in 2018 that scoring every domain for every resident recorded more than
    the question needed, so there is no 'all 13' form: the professional picks the domains.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField(_("date"))
    moment = models.CharField(_("moment"), max_length=12, choices=Moment.choices, default=Moment.START)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessed_on", "pk"]
        verbose_name = _("ZRM assessment")
        verbose_name_plural = _("ZRM assessments")
        indexes = [models.Index(fields=["case", "assessed_on"], name="assessment_case_date")]

    def __str__(self) -> str:
        return f"ZRM {self.assessed_on:%d-%m-%Y}"


class DomainScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    domain = models.ForeignKey(LifeDomain, verbose_name=_("life domain"), on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"), choices=Score.choices)
    reason = models.CharField(_("reason"), max_length=500)

    class Meta:
        ordering = ["domain__order"]
        verbose_name = _("domain score")
        verbose_name_plural = _("domain scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="score_domain_once"),
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="score_one_to_five"),
        ]

    def __str__(self) -> str:
        return f"{self.domain}: {self.score}"
