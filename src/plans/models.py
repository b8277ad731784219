"""The kitchen-table conversation (onderzoek) and the one plan per household.

- ``Conversation``: who sat at the table, the question as asked and the question behind it, what
  the resident and the network can do (with concrete commitments), which general provisions fit,
  and the conclusion. The resident's comments on the report are kept with it.
- ``Plan``: one per household, one regisseur. Goals per life domain with a target ZRM score,
  actions with an actor, what is arranged (and what was asked for, with its cost), the agreement
  with the resident and the evaluation date. Every save is a new ``PlanVersion``; a save made on
  an older version is refused (optimistic locking, ``plans.services``).
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from people.models import HouseholdMember
from zrm.models import Score


class Conversation(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="conversations")
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True, help_text=_("For example: at home."))
    residents = models.ManyToManyField(
        "people.Resident", verbose_name=_("residents at the table"), related_name="+", blank=True
    )
    network_members = models.ManyToManyField(
        "people.NetworkMember", verbose_name=_("network at the table"), related_name="conversations", blank=True
    )
    professionals = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("professionals"), related_name="+", blank=True
    )
    others = models.CharField(
        _("others at the table"),
        max_length=300,
        blank=True,
        help_text=_("For example: the neighbour, an interpreter."),
    )
    question_asked = models.TextField(_("the question as asked"))
    question_behind = models.TextField(_("the question behind the question"), blank=True)
    own_strength = models.TextField(_("what the resident can do"), blank=True)
    network_strength = models.TextField(_("what the network can do"), blank=True)
    provisions = models.ManyToManyField(
        "provisions.Provision", verbose_name=_("general provisions that fit"), related_name="+", blank=True
    )
    conclusion = models.TextField(_("conclusion"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self) -> str:
        return f"{_('Conversation')} {self.held_on:%d-%m-%Y}"


class Commitment(models.Model):
    """What someone from the network promised at the table ('father shops every three weeks')."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="commitments")
    network_member = models.ForeignKey(
        "people.NetworkMember", verbose_name=_("who"), on_delete=models.CASCADE, related_name="commitments"
    )
    text = models.CharField(_("commitment"), max_length=300)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self) -> str:
        return self.text


class Comment(models.Model):
    """The resident's own comments on the report, kept with it and printed with it."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="comments")
    text = models.TextField(_("comment of the resident"))
    received_on = models.DateField(_("received on"))
    # Recorded by a team member, or (no user) written by the resident in Mijn Wijkteam (portal).
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    via_portal = models.BooleanField(_("written in Mijn Wijkteam"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_on", "pk"]
        verbose_name = _("comment of the resident")
        verbose_name_plural = _("comments of the resident")

    def __str__(self) -> str:
        return self.text[:50]


class AgreementKind(models.TextChoices):
    SIGNED = "getekend", _("Signed")
    VERBAL = "mondeling", _("Agreed verbally")
    DIGITAL = "digitaal", _("Agreed digitally (DigiD)")  # by the resident in Mijn Wijkteam (portal)


class PlanQuerySet(models.QuerySet):
    def of_resident(self, resident) -> "PlanQuerySet":
        """The plans that are the resident's: the plan of a household of which the resident is a
        member now (``people.HouseholdMember``) and in which they have an open case of their own.
        One rule for every place that hands a plan to the resident: Mijn Wijkteam
        (``portal.access.own_plans``) and the own file (``oversight.rights``). A closed case, a
        household the resident left or another member's case gives no plan (an ex-partner does not
        keep reading, nor agree to, the other household's plan)."""
        member = HouseholdMember.objects.filter(household=OuterRef("household"), resident=resident)
        own_case = Case.objects.filter(household=OuterRef("household"), resident=resident).open()
        return self.filter(Exists(member), Exists(own_case))


class Plan(models.Model):
    household = models.OneToOneField("people.Household", on_delete=models.PROTECT, related_name="plan")
    regisseur = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("regisseur"), on_delete=models.PROTECT, related_name="plans"
    )
    summary = models.TextField(_("what we work towards"), blank=True)
    agreed_on = models.DateField(_("agreed with the resident on"), null=True, blank=True)
    agreement = models.CharField(_("how agreed"), max_length=12, choices=AgreementKind.choices, blank=True)
    evaluate_on = models.DateField(_("evaluation date"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return f"{_('Plan')} v{self.version}"

    @property
    def agreed(self) -> bool:
        return self.agreed_on is not None


class PlanVersion(models.Model):
    """Every saved state of a plan, as a snapshot, with who changed what."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    change = models.CharField(max_length=200)
    data = models.JSONField(default=dict, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_once")]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")

    def __str__(self) -> str:
        return f"v{self.number}"


class GoalStatus(models.TextChoices):
    OPEN = "open", _("Working on it")
    REACHED = "behaald", _("Reached")
    PARTLY = "deels", _("Partly reached")
    NOT_REACHED = "niet_behaald", _("Not reached")
    STOPPED = "gestopt", _("Stopped")


class Goal(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    domain = models.ForeignKey("zrm.LifeDomain", verbose_name=_("life domain"), on_delete=models.PROTECT)
    description = models.CharField(
        _("goal"),
        max_length=300,
        help_text=_("Specific and measurable, in the resident's words: what is different, and by when."),
    )
    target_score = models.PositiveSmallIntegerField(
        _("target ZRM score"), choices=Score.choices, null=True, blank=True
    )
    due_on = models.DateField(_("reached by"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=GoalStatus.choices, default=GoalStatus.OPEN)

    class Meta:
        ordering = ["domain__order", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.description


class Actor(models.TextChoices):
    RESIDENT = "inwoner", _("Resident")
    NETWORK = "netwerk", _("Network")
    VOLUNTEER = "vrijwilliger", _("Volunteer")
    PROFESSIONAL = "professional", _("Professional")
    PROVIDER = "aanbieder", _("Provider")


class ActionStatus(models.TextChoices):
    TODO = "te_doen", _("To do")
    DOING = "bezig", _("Under way")
    DONE = "gedaan", _("Done")
    STOPPED = "gestopt", _("Stopped")


class Action(models.Model):
    goal = models.ForeignKey(Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("action"), max_length=300)
    actor = models.CharField(_("who does it"), max_length=12, choices=Actor.choices, default=Actor.RESIDENT)
    actor_name = models.CharField(_("name"), max_length=200, blank=True)
    network_member = models.ForeignKey(
        "people.NetworkMember",
        verbose_name=_("network member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.TODO)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return self.description

    @property
    def who(self) -> str:
        return self.actor_name or (self.network_member.name if self.network_member else self.get_actor_display())


class Source(models.TextChoices):
    OWN = "eigen_kracht", _("Own strength")
    NETWORK = "netwerk", _("Network")
    GENERAL = "algemeen", _("General provision")
    IN_KIND = "natura", _("Customised provision in kind")
    PGB = "pgb", _("Personal budget (PGB)")
    OTHER = "overig", _("Other")


class Frequency(models.TextChoices):
    ONCE = "eenmalig", _("once")
    WEEK = "week", _("per week")
    MONTH = "maand", _("per month")


WEEKS_PER_MONTH = Decimal("4.33")


class Arrangement(models.Model):
    """What the plan arranges, or what was asked for, with its cost.

    ``asked_for`` marks the solution the resident or referrer asked for (a stairlift); the others
    are what was actually arranged (a second vacuum cleaner). A PGB phased out in steps is one
    arrangement per step, each with its own period and volume.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="arrangements")
    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.SET_NULL, null=True, blank=True, related_name="arrangements"
    )
    asked_for = models.BooleanField(_("asked for, not arranged"), default=False)
    source = models.CharField(_("kind"), max_length=12, choices=Source.choices)
    description = models.CharField(_("what"), max_length=200)
    provision = models.ForeignKey(
        "provisions.Provision",
        verbose_name=_("provision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="arrangements",
    )
    quantity = models.DecimalField(_("quantity"), max_digits=8, decimal_places=2, default=1)
    frequency = models.CharField(_("how often"), max_length=8, choices=Frequency.choices, default=Frequency.ONCE)
    unit_price = models.DecimalField(_("price per unit (EUR)"), max_digits=10, decimal_places=2, default=0)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["asked_for", "starts_on", "pk"]
        verbose_name = _("arrangement")
        verbose_name_plural = _("arrangements")

    def __str__(self) -> str:
        return self.description

    def cost(self, *, until: date | None = None) -> Decimal:
        """Cost over the arrangement's period, its first and last day included ("van ... tot en
        met ..."); an open-ended one counts one year."""
        amount = self.quantity * self.unit_price
        if self.frequency == Frequency.ONCE:
            return amount.quantize(Decimal("0.01"))
        start = self.starts_on
        end = self.ends_on or until
        days = Decimal(365) if start is None or end is None else Decimal(max((end - start).days + 1, 0))
        months = days / Decimal("30.4375")
        units = months * (WEEKS_PER_MONTH if self.frequency == Frequency.WEEK else 1)
        return (amount * units).quantize(Decimal("0.01"))


class NextStep(models.TextChoices):
    """What comes after an evaluation."""

    CONTINUE = "doorgaan", _("Continue with a new plan period")
    CLOSE = "afsluiten", _("Close the case")
    REFER = "doorverwijzen", _("Refer on")


class GoalResult(models.TextChoices):
    REACHED = GoalStatus.REACHED.value, GoalStatus.REACHED.label
    PARTLY = GoalStatus.PARTLY.value, GoalStatus.PARTLY.label
    NOT_REACHED = GoalStatus.NOT_REACHED.value, GoalStatus.NOT_REACHED.label


class Evaluation(models.Model):
    """The plan looked at again (``plans.evaluations.evaluation_record``): what each goal reached, the
    ZRM at evaluation (an ``Assessment`` of the case, compared with the start) and what comes next."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="evaluations")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="evaluations")
    held_on = models.DateField(_("date of the evaluation"))
    plan_version = models.PositiveIntegerField(_("plan version evaluated"))
    assessment = models.OneToOneField(
        "zrm.Assessment",
        verbose_name=_("ZRM at evaluation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evaluation",
    )
    next_step = models.CharField(_("what next"), max_length=16, choices=NextStep.choices)
    next_evaluation_on = models.DateField(_("next evaluation"), null=True, blank=True)
    referred_to = models.CharField(_("referred to"), max_length=200, blank=True)
    note = models.TextField(_("what was agreed"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self) -> str:
        return f"{_('Evaluation')} {self.held_on:%d-%m-%Y}"


class EvaluatedGoal(models.Model):
    """One goal at an evaluation: reached, partly or not, with a short note. The goal's text is kept
    as it read then."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="goals")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="evaluations")
    description = models.CharField(_("goal"), max_length=300)
    result = models.CharField(_("reached"), max_length=12, choices=GoalResult.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("evaluated goal")
        verbose_name_plural = _("evaluated goals")

    def __str__(self) -> str:
        return f"{self.description}: {self.get_result_display()}"


# What a resident did in Mijn Wijkteam (portal) that the team must see: agreeing to the plan
# digitally, or asking for a change in it. Kept beside the plan (as the resident's comments on the
# report are kept beside the conversation) and shown to the regisseur on the plan page.


class ResponseKind(models.TextChoices):
    AGREED = "akkoord", _("Agreed to the plan")
    CHANGE = "wijziging", _("Asked for a change")


class PlanResponse(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="resident_responses")
    resident = models.ForeignKey("people.Resident", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("what"), max_length=10, choices=ResponseKind.choices)
    text = models.TextField(_("what the resident asks"), max_length=2000, blank=True)
    plan_version = models.PositiveIntegerField(_("plan version"))
    level_of_assurance = models.CharField(_("DigiD level"), max_length=16)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("response of the resident to the plan")
        verbose_name_plural = _("responses of the resident to the plan")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"
