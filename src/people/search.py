"""Finding a resident by what the desk hears: a name, a birth date, a BSN, a postcode and number.

Tokens are combined: "Jansen 12-03-1955" finds Jansens born that day. Names match on a
normalised text column (lowercase, no accents) that PostgreSQL indexes with trigrams; when an
exact fragment finds nothing, PostgreSQL also tries a similarity match for typing errors.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Upper

from wijkteam.text import normalise_text

from .models import HouseholdMember, Resident
from .validators import is_valid_bsn, normalise_bsn

_POSTCODE = re.compile(r"\b([1-9][0-9]{3})\s?([a-zA-Z]{2})\b(?:\s*[-,]?\s*(\d{1,5}))?")
_DATE = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b|\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_DIGITS = re.compile(r"\b\d{8,9}\b")

MAX_RESULTS = 20


@dataclass
class ParsedQuery:
    bsn: str = ""
    postcode: str = ""
    huisnummer: int | None = None
    birth_date: date | None = None
    names: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.bsn or self.postcode or self.birth_date or self.names)

    @property
    def kind(self) -> str:
        """What was searched on, for the access log (never the search text itself)."""
        parts = [
            name
            for name, present in (
                ("bsn", self.bsn),
                ("postcode", self.postcode),
                ("birth_date", self.birth_date),
                ("name", self.names),
            )
            if present
        ]
        return "+".join(parts)


def parse_query(text: str) -> ParsedQuery:
    parsed = ParsedQuery()
    rest = text or ""
    match = _DATE.search(rest)
    if match:
        try:
            if match.group(1):
                parsed.birth_date = date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
            else:
                parsed.birth_date = date(int(match.group(4)), int(match.group(5)), int(match.group(6)))
        except ValueError:
            parsed.birth_date = None
        rest = rest[: match.start()] + " " + rest[match.end() :]
    match = _POSTCODE.search(rest)
    if match and match.group(2).upper() not in {"SA", "SD", "SS"}:
        parsed.postcode = f"{match.group(1)}{match.group(2).upper()}"
        parsed.huisnummer = int(match.group(3)) if match.group(3) else None
        rest = rest[: match.start()] + " " + rest[match.end() :]
    for candidate in _DIGITS.findall(rest):
        if is_valid_bsn(candidate):
            parsed.bsn = normalise_bsn(candidate)
            rest = rest.replace(candidate, " ")
            break
    parsed.names = [token for token in normalise_text(rest).split() if len(token) >= 2 and not token.isdigit()]
    return parsed


def _filter(parsed: ParsedQuery) -> Q:
    from privacy.crypto import keyed_hash

    condition = Q()
    if parsed.bsn:
        condition &= Q(bsn_hash=keyed_hash(parsed.bsn))
    if parsed.postcode:
        condition &= Q(postcode=parsed.postcode)
        if parsed.huisnummer is not None:
            condition &= Q(huisnummer=parsed.huisnummer)
    if parsed.birth_date:
        condition &= Q(birth_date=parsed.birth_date)
    for token in parsed.names:
        condition &= Q(search_text__contains=token)
    return condition


def search_residents(visible: QuerySet, text: str, *, limit: int = MAX_RESULTS) -> tuple[list[Resident], ParsedQuery]:
    """The residents of ``visible`` (the residents the gate lets the user see:
    ``Resident.objects.filter(resident_visibility(user))``) that match ``text``. The caller logs the
    search."""
    parsed = parse_query(text)
    if parsed.empty:
        return [], parsed
    household = HouseholdMember.objects.filter(resident=OuterRef("pk")).order_by("-lives_here", "pk")
    base = visible.select_related("area").annotate(household_id=Subquery(household.values("household_id")[:1]))
    # Sorted on upper-cased names on purpose: an ORDER BY that the (geslachtsnaam, birth_date) index
    # could deliver tempts PostgreSQL to walk that index past every resident before the LIMIT,
    # instead of taking the few matches from the trigram index (docs/performance.md).
    order = (Upper("geslachtsnaam"), Upper("voornamen"), "birth_date", "pk")
    results = list(base.filter(_filter(parsed)).order_by(*order)[:limit])
    if not results and parsed.names and connection.vendor == "postgresql":
        results = _similar(base, parsed, limit)
    return results, parsed


def _similar(base, parsed: ParsedQuery, limit: int) -> list[Resident]:
    """Typing errors on PostgreSQL: every name token must be word-similar (pg_trgm)."""
    from django.contrib.postgres.search import TrigramWordSimilarity

    exact = ParsedQuery(parsed.bsn, parsed.postcode, parsed.huisnummer, parsed.birth_date, [])
    queryset = base.filter(_filter(exact))
    score = None
    for token in parsed.names:
        queryset = queryset.filter(search_text__trigram_word_similar=token)
        similarity = TrigramWordSimilarity(token, "search_text")
        score = similarity if score is None else score + similarity
    return list(queryset.annotate(score=score).order_by("-score", "geslachtsnaam")[:limit])
