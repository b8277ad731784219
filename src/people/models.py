"""Residents, the households they live in, and the network around them.

Reads of residents and households for a view go through the gate in ``cases.access``
(``resident_visibility``, ``get_resident_for``); nothing else fetches them for a view.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from privacy import crypto
from wijkteam.text import normalise_text

from . import addresses, names
from .validators import validate_birth_date


class NameUse(models.TextChoices):
    """BRP aanduiding naamgebruik (COD700)."""

    OWN = "E", _("Own surname")
    PARTNER = "P", _("Partner's surname")
    PARTNER_OWN = "V", _("Partner's surname before own")
    OWN_PARTNER = "N", _("Own surname before partner's")


class Sex(models.TextChoices):
    """BRP geslachtsaanduiding (COD046)."""

    MALE = "M", _("Male")
    FEMALE = "V", _("Female")
    UNKNOWN = "O", _("Unknown")


def names_of(path: str) -> list[str]:
    """For ``QuerySet.only``: the fields that a resident's name needs, reached by ``path`` (e.g.
    ``"case__resident"``). Lists of many rows then load neither the encrypted BSN nor the address."""
    return [f"{path}__{name}" for name in Resident.NAME_FIELDS]


class Resident(models.Model):
    # What ``display_name`` and ``formal_name`` read: lists load only these (``names_of``).
    NAME_FIELDS = (
        "voornamen",
        "voorvoegsel",
        "geslachtsnaam",
        "partner_voorvoegsel",
        "partner_geslachtsnaam",
        "naamgebruik",
        "adellijke_titel",
        "partner_adellijke_titel",
        "partner_ended",
        "geslacht",
    )

    # The BSN is stored encrypted; the keyed hash finds it without decrypting (docs/privacy.md).
    bsn_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    bsn_encrypted = models.TextField(blank=True, editable=False)
    voornamen = models.CharField(_("given names"), max_length=200, blank=True)
    adellijke_titel = models.CharField(_("title or predicate"), max_length=40, blank=True)
    voorvoegsel = models.CharField(_("surname prefix"), max_length=20, blank=True)
    geslachtsnaam = models.CharField(_("surname"), max_length=200)
    naamgebruik = models.CharField(_("name use"), max_length=1, choices=NameUse.choices, default=NameUse.OWN)
    partner_voorvoegsel = models.CharField(_("partner's surname prefix"), max_length=20, blank=True)
    partner_geslachtsnaam = models.CharField(_("partner's surname"), max_length=200, blank=True)
    partner_adellijke_titel = models.CharField(_("partner's title or predicate"), max_length=40, blank=True)
    partner_ended = models.BooleanField(
        _("the marriage or partnership has ended"),
        default=False,
        help_text=_("The partner above is an ex-partner whose name is still used."),
    )
    geslacht = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), validators=[validate_birth_date])
    date_of_death = models.DateField(_("date of death"), null=True, blank=True)

    straat = models.CharField(_("street"), max_length=200, blank=True)
    huisnummer = models.PositiveIntegerField(_("house number"), null=True, blank=True)
    huisletter = models.CharField(_("house letter"), max_length=1, blank=True)
    huisnummertoevoeging = models.CharField(_("house number addition"), max_length=4, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    woonplaats = models.CharField(_("town"), max_length=100, blank=True)
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("district"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Living abroad, or registered as a non-resident (RNI): an address without a Dutch postcode.
    address_abroad = models.TextField(_("address abroad"), max_length=300, blank=True)
    country = models.CharField(_("country"), max_length=60, blank=True)
    rni = models.BooleanField(
        _("registered as a non-resident (RNI)"),
        default=False,
        help_text=_("Registratie Niet-Ingezetenen: the person does not live in the Netherlands."),
    )
    # BRP indicatie geheim: the address goes on no list and on nothing sent to third parties.
    geheimhouding = models.BooleanField(
        _("secrecy of personal data (geheimhouding)"),
        default=False,
        help_text=_("The address is not shown on lists or printed on anything sent to third parties."),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    search_text = models.CharField(max_length=500, editable=False, db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["geslachtsnaam", "voornamen"]
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        indexes = [
            models.Index(fields=["postcode", "huisnummer"], name="resident_address"),
            models.Index(fields=["birth_date"], name="resident_birth_date"),
            models.Index(fields=["geslachtsnaam", "birth_date"], name="resident_name_birth"),
        ]

    def __str__(self) -> str:
        return self.display_name

    # --- BSN -------------------------------------------------------------------------------
    @property
    def bsn(self) -> str:
        return crypto.decrypt(self.bsn_encrypted) if self.bsn_encrypted else ""

    def set_bsn(self, bsn: str) -> None:
        if bsn:
            self.bsn_hash = crypto.keyed_hash(bsn)
            self.bsn_encrypted = crypto.encrypt(bsn)
        else:
            self.bsn_hash = None
            self.bsn_encrypted = ""

    # --- names -----------------------------------------------------------------------------
    @staticmethod
    def _join(*parts: str) -> str:
        return " ".join(p.strip() for p in parts if p and p.strip())

    @property
    def own_surname(self) -> str:
        return self._join(self.voorvoegsel, self.geslachtsnaam)

    @property
    def partner_surname(self) -> str:
        return self._join(self.partner_voorvoegsel, self.partner_geslachtsnaam)

    @property
    def surname_in_use(self) -> str:
        """The surname as the resident uses it (naamgebruik), e.g. 'Jansen-de Vries'."""
        own, partner = self.own_surname, self.partner_surname
        if not partner or self.naamgebruik == NameUse.OWN:
            return own
        if self.naamgebruik == NameUse.PARTNER:
            return partner
        if self.naamgebruik == NameUse.PARTNER_OWN:
            return f"{partner}-{own}"
        return f"{own}-{partner}"

    @property
    def first_name(self) -> str:
        return (self.voornamen or "").split(" ")[0]

    @property
    def initials(self) -> str:
        return "".join(f"{name[0]}." for name in (self.voornamen or "").split() if name)

    @property
    def display_name(self) -> str:
        return self._join(self.first_name, self.surname_in_use)

    @property
    def formal_name(self) -> str:
        """The name on an envelope, as the BRP composes it (aanschrijfwijze): "J.A. de Boer-van den Aedel"."""
        return names.aanschrijfwijze(self.brp_name)[0]

    # --- names as the BRP composes them (people.names) -------------------------------------
    @property
    def brp_name(self) -> "names.Name":
        has_partner = bool(self.partner_geslachtsnaam or self.partner_voorvoegsel or self.partner_adellijke_titel)
        partner = names.Partner(
            voorvoegsel=self.partner_voorvoegsel,
            geslachtsnaam=self.partner_geslachtsnaam,
            adellijke_titel=self.partner_adellijke_titel,
            ended=date(1, 1, 1) if self.partner_ended else None,
        )
        return names.Name(
            voornamen=self.voornamen,
            voorvoegsel=self.voorvoegsel,
            geslachtsnaam=self.geslachtsnaam,
            adellijke_titel=self.adellijke_titel,
            geslacht=self.geslacht,
            naamgebruik=self.naamgebruik,
            partners=(partner,) if has_partner or self.partner_ended else (),
        )

    @property
    def aanschrijfwijze(self) -> str:
        return names.aanschrijfwijze(self.brp_name)[0]

    @property
    def aanspreekvorm(self) -> str:
        return names.aanschrijfwijze(self.brp_name)[1]

    @property
    def aanhef(self) -> str:
        """The salutation of a letter; "Geachte heer/mevrouw" when the BRP's rules give none."""
        return names.aanhef(self.brp_name) or "Geachte heer/mevrouw"

    @property
    def in_text(self) -> str:
        """The name in a sentence (gebruikInLopendeTekst)."""
        return names.gebruik_in_lopende_tekst(self.brp_name) or self.display_name

    @property
    def age(self) -> int:
        today = timezone.localdate()
        born = self.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    def age_on(self, day: date) -> int:
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def address_line(self) -> str:
        number = f"{self.huisnummer or ''}{self.huisletter}"
        if self.huisnummertoevoeging:
            number = f"{number}-{self.huisnummertoevoeging}"
        return self._join(self.straat, number)

    @property
    def brp_place(self) -> "addresses.Place":
        """The address as the BRP's address lines are composed from it (``people.addresses``)."""
        lines = [line.strip() for line in self.address_abroad.splitlines() if line.strip()]
        abroad = bool(lines or self.country)
        return addresses.Place(
            straatnaam=self.straat,
            huisnummer=self.huisnummer,
            huisletter=self.huisletter,
            huisnummertoevoeging=self.huisnummertoevoeging,
            postcode=self.postcode,
            woonplaats=self.woonplaats,
            land=("", self.country) if abroad and not self.postcode else None,
            regels=(*lines[:3], "", "", "")[:3] if not self.postcode else ("", "", ""),
        )

    @property
    def adresregels(self) -> dict:
        """``adresregel1-3`` and ``land`` as the BRP composes them, for a resident registered by hand."""
        return addresses.address_lines(self.brp_place)

    @property
    def list_address(self) -> str:
        """The address as lists and documents for third parties show it: nothing under secrecy."""
        if self.geheimhouding:
            return ""
        if not self.postcode and (self.address_abroad or self.country):
            return self._join(self.address_abroad.replace("\n", ", "), self.country)
        return self._join(self.address_line, self.postcode_display, self.woonplaats)

    @property
    def full_address(self) -> str:
        """The whole address on one line, for a professional who decides on it (the beschikker):
        street and number as the BRP composes them (``people.addresses``: "Kerkstraat 45 A",
        "Kerkstraat 45-2"), postcode and town, the municipality's name when no town is known; an
        address abroad with its country. What is not known is left out, never a bare number."""
        from .addresses import Place, address_lines

        if not self.postcode and (self.address_abroad or self.country):
            return self._join(self.address_abroad.replace("\n", ", "), self.country)
        town = self.woonplaats or (self.area.municipality.name if self.area_id else "")
        street = address_lines(
            Place(
                straatnaam=self.straat,
                huisnummer=self.huisnummer,
                huisletter=self.huisletter,
                huisnummertoevoeging=self.huisnummertoevoeging,
            )
        ).get("adresregel1", "")
        if not street and self.huisnummer:  # no street known: say what the number is
            street = gettext("house number %(number)s") % {"number": self.address_line}
        return ", ".join(part for part in (street, self._join(self.postcode_display, town)) if part)

    @property
    def postcode_display(self) -> str:
        return f"{self.postcode[:4]} {self.postcode[4:]}" if len(self.postcode) == 6 else self.postcode

    def refresh_search_text(self) -> None:
        self.search_text = normalise_text(
            self._join(
                self.voornamen,
                self.voorvoegsel,
                self.geslachtsnaam,
                self.partner_voorvoegsel,
                self.partner_geslachtsnaam,
            )
        )


class Household(models.Model):
    """The unit of '1 gezin 1 plan': the people who live together, plus relatives who matter."""

    label = models.CharField(_("name"), max_length=200)
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("district"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    residents = models.ManyToManyField(Resident, through="HouseholdMember", related_name="households")
    created_at = models.DateTimeField(auto_now_add=True)
    # Nobody is lost (cases.queue): a household that no team's district holds waits in the
    # municipality's intake queue until a team leader assigns a team; who registered it keeps
    # reaching it until a team takes it up.
    municipality = models.ForeignKey(
        "areas.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    team = models.ForeignKey(
        "teams.Team",
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The team that took the household up from the intake queue (its district decides otherwise)."),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["label"]
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return self.label


class Relation(models.TextChoices):
    """A member's relation to the household's main person."""

    MAIN = "main", _("Main person")
    PARTNER = "partner", _("Partner")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    EX_PARTNER = "ex_partner", _("Ex-partner")
    OTHER = "other", _("Other")


class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="memberships")
    relation = models.CharField(_("relation"), max_length=16, choices=Relation.choices, default=Relation.MAIN)
    lives_here = models.BooleanField(_("lives in the household"), default=True)

    class Meta:
        ordering = ["household", "relation", "resident__birth_date"]
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        constraints = [models.UniqueConstraint(fields=["household", "resident"], name="household_member_unique")]

    def __str__(self) -> str:
        return f"{self.resident} ({self.get_relation_display()})"


class NetworkRelation(models.TextChoices):
    PARENT = "parent", _("Parent")
    CHILD = "child", _("Child")
    SIBLING = "sibling", _("Brother or sister")
    PARTNER = "partner", _("Partner")
    EX_PARTNER = "ex_partner", _("Ex-partner")
    FAMILY = "family", _("Other family")
    NEIGHBOUR = "neighbour", _("Neighbour")
    FRIEND = "friend", _("Friend")
    VOLUNTEER = "volunteer", _("Volunteer")
    OTHER = "other", _("Other")


class NetworkMember(models.Model):
    """Someone around the resident and what they do for them ('father shops every three weeks')."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="network")
    name = models.CharField(_("name"), max_length=200)
    relation = models.CharField(_("relation"), max_length=16, choices=NetworkRelation.choices)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    support = models.CharField(_("what they do"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("network member")
        verbose_name_plural = _("network members")

    def __str__(self) -> str:
        return self.name


class RepresentationKind(models.TextChoices):
    """Who may act for a resident in Mijn Wijkteam: a parent with authority for a child under 16
    (the child's own say starts at 16: Wgbo art. 7:450/7:457, Jeugdwet art. 7.3.4 ff.), or a legal
    representative a court appointed."""

    PARENT = "ouder", _("Parent (child under 16)")
    CURATOR = "curator", _("Curator")
    BEWINDVOERDER = "bewindvoerder", _("Bewindvoerder")
    MENTOR = "mentor", _("Mentor")


PARENT_UNTIL_AGE = 16


class Representation(models.Model):
    """A representative of a resident, registered by the team: in Mijn Wijkteam the representative,
    signed in with their own DigiD, can act for the resident. A parent's representation ends by
    itself when the child turns 16; any representation ends on ``ended_on``. (Production route:
    DigiD Machtigen through the broker, docs/privacy.md.)"""

    resident = models.ForeignKey(
        Resident, verbose_name=_("represented resident"), on_delete=models.CASCADE, related_name="representations"
    )
    representative = models.ForeignKey(
        Resident, verbose_name=_("representative"), on_delete=models.CASCADE, related_name="represents"
    )
    kind = models.CharField(_("as"), max_length=16, choices=RepresentationKind.choices)
    registered_on = models.DateField(_("registered on"), default=timezone.localdate)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["resident", "kind", "pk"]
        verbose_name = _("representation")
        verbose_name_plural = _("representations")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.representative} → {self.resident}"

    def valid_on(self, day: date) -> bool:
        if self.ended_on is not None and self.ended_on <= day:
            return False
        return not (self.kind == RepresentationKind.PARENT and self.resident.age_on(day) >= PARENT_UNTIL_AGE)
