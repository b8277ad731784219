"""The access log as a chain: a row that was forged, changed or removed in the database shows.

Every row the application adds (``append``) gets the next position and a seal:

    seal = HMAC-SHA256(WIJKTEAM_ACCESS_LOG_KEY, seal of the previous row + this row's position and content)

The key stays out of the database, so whoever can write there (the tables' owner, a superuser, or
the application's role through SQL of its own) cannot make a valid seal; the application's role
cannot change or remove rows at all (wijkteam.database, and a trigger on PostgreSQL).

One writer at a time: a writer first moves the head (``AccessLogHead``, one row) one position on,
which locks that row until the writer's transaction ends. PostgreSQL then hands the next writer the
head as the first one left it (an UPDATE that waited for a row reads the row's newest version);
on SQLite the same statement takes the database's write lock. So concurrent writers never fork the
chain. A write costs two statements more than a plain INSERT (moving the head, then storing the
new seal in it); write the log last in a longer transaction, since the head stays locked until it
ends.

``verify`` walks the chain in order and names each row that breaks it (``Break``). Its limit: the
owner of the database could remove the newest rows and set the head back by hand. Against that,
every ``CHECKPOINT_EVERY`` positions the head goes to the application log (which lives outside the
database), and ``verify(checkpoint=...)`` (``manage.py verify_access_log --checkpoint``) checks that
a head noted earlier is still in the chain.
"""

import hashlib
import hmac
import ipaddress
import json
import logging
from dataclasses import dataclass, field
from datetime import UTC
from itertools import groupby
from operator import itemgetter

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from .models import AccessLog, AccessLogHead

log = logging.getLogger("privacy.chain")

HEAD = 1  # the head's one row
CHECKPOINT_EVERY = 1000
# What a seal covers, besides the position and the previous seal: every column of the row but its id.
CONTENT = (
    "at",
    "user_id",
    "role",
    "action",
    "purpose",
    "resident_id",
    "household_id",
    "case_id",
    "client_address",
    "detail",
)


def seal(previous: str, position: int, content: tuple) -> str:
    """The seal of a row at ``position`` with ``content`` (values in the order of ``CONTENT``)."""
    at, user_id, role, action, purpose, resident_id, household_id, case_id, address, detail = content
    text = json.dumps(
        [
            position,
            at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            user_id,
            role,
            action,
            purpose,
            resident_id,
            household_id,
            case_id,
            ipaddress.ip_address(address).compressed if address else "",
            detail,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    key = settings.ACCESS_LOG_KEY.encode()
    return hmac.new(key, f"{previous}\n{text}".encode(), hashlib.sha256).hexdigest()


def append(entry: AccessLog) -> AccessLog:
    """Add ``entry`` (not saved yet) as the next link of the chain."""
    table = AccessLogHead._meta.db_table
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        # Move the head one position on, and hold it until this transaction ends. Without a head
        # (a database the tests emptied; or removed by its owner, which the check then reports as
        # positions taken twice) the chain starts again at position 1.
        cursor.execute(
            f"INSERT INTO {table} (id, position, seal) VALUES (%s, 1, '') ON CONFLICT (id) "  # noqa: S608
            f"DO UPDATE SET position = {table}.position + 1 RETURNING position, seal",
            [HEAD],
        )
        position, previous = cursor.fetchone()
        entry.position = position
        entry.seal = seal(previous, position, tuple(getattr(entry, name) for name in CONTENT))
        entry.save(force_insert=True)
        cursor.execute(f"UPDATE {table} SET seal = %s WHERE id = %s", [entry.seal, HEAD])  # noqa: S608
    if position % CHECKPOINT_EVERY == 0:
        log.info("access log checkpoint: position %s seal %s", position, entry.seal)
    return entry


# ---------------------------------------------------------------------------------------------
# Verification


MESSAGES = {
    "changed": _(
        "Position %(position)s (row %(row)s): the content does not match its seal. The row was changed, "
        "or written without the key (forged)."
    ),
    "missing": _("Position %(position)s is missing: a row was removed."),
    "missing_range": _("Positions %(position)s to %(last)s are missing: rows were removed."),
    "duplicate": _("Position %(position)s holds a second row (row %(row)s): forged or copied."),
    "unchained": _("Row %(row)s has no place in the chain: it was not written by the application."),
    "no_head": _("The head of the chain is missing."),
    "head": _("The head of the chain (position %(position)s) does not match the last row."),
    "checkpoint": _("The checkpoint at position %(position)s is not in the chain (any more)."),
}


@dataclass(frozen=True)
class Break:
    """One place where the chain is broken: what, at which position (up to ``last``) or row id."""

    kind: str
    position: int | None = None
    row: int | None = None
    last: int | None = None

    def __str__(self) -> str:
        kind = "missing_range" if self.kind == "missing" and self.last not in (None, self.position) else self.kind
        return str(MESSAGES[kind]) % {"position": self.position, "row": self.row, "last": self.last}


@dataclass
class Report:
    rows: int = 0  # rows in the chain
    before_chain: int = 0  # rows written before the chain began (no seal)
    head_position: int = 0
    head_seal: str = ""
    breaks: list[Break] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.breaks


def verify(*, checkpoint: tuple[int, str] | None = None, limit: int = 1000) -> Report:
    """Walk the chain from the first position to the head and report every break (the first
    ``limit``). ``checkpoint``: a position and (the start of) its seal, noted earlier, that must
    still be in the chain. Reads one consistent snapshot, while writers go on."""
    report = Report()
    first_statement = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and first_statement:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        head = AccessLogHead.objects.filter(pk=HEAD).values_list("position", "seal", "before_chain").first()
        before_chain = head[2] if head else None
        unchained = AccessLog.objects.filter(position__isnull=True)
        report.before_chain = unchained.filter(pk__lte=before_chain).count() if before_chain else 0
        for row_id in unchained.exclude(pk__lte=before_chain or 0).order_by("pk").values_list("pk", flat=True)[:limit]:
            report.breaks.append(Break("unchained", row=row_id))
        _walk(report, checkpoint, limit)
        last_position, last_seal = report.head_position, report.head_seal
        if head is None:
            if report.rows:
                report.breaks.append(Break("no_head"))
        elif head[0] > last_position:
            report.breaks.append(Break("missing", position=last_position + 1, last=head[0]))
        elif head[0] < last_position:
            # Rows after the head were not added by the application (each moves the head): named
            # above, as their seals do not follow.
            if not any(place.position and place.position > head[0] for place in report.breaks):
                report.breaks.append(Break("head", position=head[0]))
        elif head[1] != last_seal:
            report.breaks.append(Break("head", position=head[0]))
    del report.breaks[limit:]
    return report


def _walk(report: Report, checkpoint: tuple[int, str] | None, limit: int) -> None:
    """Position by position: the row whose seal follows from the previous one is the chain's; any
    other row at that position is named, and so is a position without rows."""
    rows = (
        AccessLog.objects.filter(position__isnull=False)
        .order_by("position", "pk")
        .values_list("position", "pk", "seal", *CONTENT)
    )
    expected, previous = 1, ""
    checkpoint_found = checkpoint is None
    for position, group in groupby(rows.iterator(chunk_size=5000), key=itemgetter(0)):
        group = list(group)
        report.rows += len(group)
        after_gap = position > expected
        if after_gap:
            # The row after removed rows cannot be checked: the seal it follows is gone with them.
            report.breaks.append(Break("missing", position=expected, last=position - 1))
            chain_row = group[0]
        else:
            valid = [row for row in group if seal(previous, position, tuple(row[3:])) == row[2]]
            chain_row = valid[0] if valid else group[0]
            if not valid:
                report.breaks.append(Break("changed", position=position, row=chain_row[1]))
        report.breaks.extend(
            Break("duplicate", position=position, row=row[1]) for row in group if row is not chain_row
        )
        previous, expected = chain_row[2], position + 1
        if checkpoint is not None and position == checkpoint[0] and previous.startswith(checkpoint[1].lower()):
            checkpoint_found = True
        if len(report.breaks) > limit:
            break
    report.head_position, report.head_seal = expected - 1, previous
    if not checkpoint_found:
        report.breaks.append(Break("checkpoint", position=checkpoint[0]))
