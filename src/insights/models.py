"""Neighbourhood figures with their provenance, practice signals to policy, and collective
neighbourhood initiatives (wijkinitiatieven).

Figures come from public files (CBS, the municipality's area scans) through ``insights.importers``;
every figure names its source, table and year. Case aggregates are shown with small counts
suppressed (``wijkteam.suppression``); at city scale they are read from pre-aggregated counts
(``Tally``, kept exact by ``insights.tallies``), never from stored figures about individuals.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijkteam.limits import MAX_AMOUNT, MAX_BUDGET, MIN_BUDGET, amount_validators


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
    value = models.DecimalField(
        _("value"), max_digits=14, decimal_places=3, null=True, blank=True, help_text=_("Empty: not published.")
    )
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


class SignalStatus(models.TextChoices):
    RAISED = "ingediend", _("On the team leaders' list")
    FORWARDED = "doorgestuurd", _("Forwarded to policy")
    ANSWERED = "beantwoord", _("Answered")


# The life of a practice signal (insights.services): raised -> forwarded -> answered.
SIGNAL_TRANSITIONS: dict[str, set[str]] = {
    SignalStatus.RAISED: {SignalStatus.FORWARDED},
    SignalStatus.FORWARDED: {SignalStatus.ANSWERED},
    SignalStatus.ANSWERED: set(),
}


class SignalQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SignalQuerySet":
        """The team that raised it sees it; the policy officer it was forwarded to sees it."""
        from accounts.models import CASEWORK_ROLES, Role
        from teams.services import team_ids_of

        if not user.is_authenticated:
            return self.none()
        if user.role in CASEWORK_ROLES:
            return self.filter(team_id__in=team_ids_of(user))
        if user.role == Role.POLICY_OFFICER:
            return self.filter(policy_officer=user)
        return self.none()


class Signal(models.Model):
    """A practice signal: something professionals see recur that policy should know about.

    It holds no personal data: describe the pattern, not the residents.
    """

    team = models.ForeignKey("teams.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="signals")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(_("raised"), default=timezone.now)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("what you see"), help_text=_("Describe the pattern, not the residents: no names or other personal data.")
    )
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("district"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    theme = models.ForeignKey(
        "zrm.LifeDomain", verbose_name=_("theme"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    evidence = models.TextField(
        _("evidence"), blank=True, help_text=_("Optional: aggregate counts, for example from the district profile.")
    )
    status = models.CharField(_("status"), max_length=16, choices=SignalStatus.choices, default=SignalStatus.RAISED)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    forwarded_at = models.DateTimeField(_("forwarded"), null=True, blank=True)
    policy_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("policy officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signals_to_answer",
    )
    due_on = models.DateField(_("answer due"), null=True, blank=True)
    forward_note = models.TextField(_("note for the policy officer"), blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # When who raised the signal read the answer: until then it is news on their start page.
    answer_read_at = models.DateTimeField(_("answer read by who raised it"), null=True, blank=True)

    objects = SignalQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at"]
        verbose_name = _("practice signal")
        verbose_name_plural = _("practice signals")
        indexes = [
            models.Index(fields=["team", "status"], name="signal_team_status"),
            models.Index(fields=["policy_officer", "status"], name="signal_officer_status"),
            models.Index(fields=["raised_by", "status"], name="signal_raiser_status"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def overdue(self) -> bool:
        return self.status == SignalStatus.FORWARDED and self.due_on is not None and self.due_on < timezone.localdate()


class Initiative(models.Model):
    """A wijkinitiatief: a collective provision for a recurring theme in a district, with its own
    budget, spending, reach (households that take part) and evaluation. Its ``provision`` puts it
    in the sociale kaart as a collective provision."""

    provision = models.OneToOneField(
        "provisions.Provision", verbose_name=_("provision"), on_delete=models.PROTECT, related_name="initiative"
    )
    team = models.ForeignKey(
        "teams.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="initiatives"
    )
    area = models.ForeignKey("areas.Area", verbose_name=_("district"), on_delete=models.PROTECT, related_name="+")
    theme = models.ForeignKey(
        "zrm.LifeDomain", verbose_name=_("theme"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    budget = models.DecimalField(
        _("budget (EUR)"), max_digits=12, decimal_places=2, validators=amount_validators(MAX_BUDGET, MIN_BUDGET)
    )
    started_on = models.DateField(_("start"))
    evaluation = models.TextField(_("evaluation"), blank=True)
    evaluated_on = models.DateField(_("evaluated on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("neighbourhood initiative")
        verbose_name_plural = _("neighbourhood initiatives")

    def __str__(self) -> str:
        return self.provision.name


class InitiativeExpense(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="expenses")
    spent_on = models.DateField(_("date"))
    amount = models.DecimalField(
        _("amount (EUR)"), max_digits=12, decimal_places=2, validators=amount_validators(MAX_AMOUNT)
    )
    description = models.CharField(_("what for"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["spent_on", "pk"]
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")

    def __str__(self) -> str:
        return f"{self.spent_on}: {self.amount}"


class InitiativeParticipant(models.Model):
    """A household that takes part. Only the count leaves the team (suppressed for policy users)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="participants")
    household = models.ForeignKey("people.Household", on_delete=models.PROTECT, related_name="+")
    joined_on = models.DateField(_("joined"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [models.UniqueConstraint(fields=["initiative", "household"], name="initiative_household_unique")]

    def __str__(self) -> str:
        return f"{self.initiative_id}/{self.household_id}"


class Measure(models.TextChoices):
    """What a ``Tally`` counts. The first five count cases by the day of their report (melding),
    the last by the due date of their investigation (Wmo 2015 art. 2.3.2)."""

    NEW = "new", _("Reported")  # key ""
    OPEN = "open", _("Still open")  # key ""
    TRIAGE = "triage", _("Triage")  # key: the triage code, "" when not triaged
    DOMAIN = "domain", _("Life domain")  # key: the LifeDomain pk
    ZRM = "zrm", _("ZRM outcome")  # key: "<LifeDomain pk>:up|same|down", first against last score
    INVESTIGATION = "onderzoek", _("Investigation term")  # key: met, late, running or stalled


class Tally(models.Model):
    """A pre-aggregated count of cases: ``n`` cases of one team and district (the household's)
    on one day, or in the month that starts on ``day``. Holds no case, resident or professional:
    counts only, and nobody reads them but ``insights.tallies``, whose readers suppress small ones.
    """

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey("areas.Area", on_delete=models.CASCADE, null=True, related_name="+")
    month = models.BooleanField(default=False)
    day = models.DateField()
    measure = models.CharField(max_length=12, choices=Measure.choices)
    key = models.CharField(max_length=24, blank=True)
    n = models.PositiveIntegerField()
    # A month row is a base cell of the policy figures: its noise (``wijkteam.suppression``), drawn
    # with its cell key when the row is counted, so readers add it up in SQL. 0 on day rows.
    noise = models.SmallIntegerField(default=0)

    class Meta:
        # Readers pick rows by measure and period; the rest comes from the index too (PostgreSQL).
        indexes = [
            models.Index(
                fields=["measure", "month", "day"],
                include=["team", "area", "key", "n", "noise"],
                name="tally_measure_day_noise",
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.key} {self.day}: {self.n}"


class TallyTotal(models.Model):
    """The sum of every month row of ``Tally`` with the same team, district, measure and key (count
    and noise): the count over all time, so that a reader of "every case so far" (open cases now, ZRM outcomes up
    to a day) reads one row per team, district and key instead of one per month. Kept equal to
    that sum by ``insights.tallies.recount``, which adds the change of every month it recounts."""

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey("areas.Area", on_delete=models.CASCADE, null=True, related_name="+")
    measure = models.CharField(max_length=12, choices=Measure.choices)
    key = models.CharField(max_length=24, blank=True)
    n = models.PositiveIntegerField()
    noise = models.IntegerField(default=0)  # the sum of the noise of the same month rows

    class Meta:
        indexes = [
            models.Index(fields=["measure"], include=["team", "area", "key", "n", "noise"], name="tally_total_noise")
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.key}: {self.n}"


class StaleDay(models.Model):
    """A day whose tallies no longer match the cases: written by database triggers (migration
    0004) whenever a change can move a count, consumed by ``insights.tallies.refresh``."""

    day = models.DateField()

    def __str__(self) -> str:
        return str(self.day)
