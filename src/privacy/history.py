"""The change history of a dossier: who changed what, when, the old and the new value, and why.

Three records hold it, each written by the service that makes the change, none copied into another:

- ``cases.CaseEvent``: a case's status, regisseur, triage and escalation (old and new in ``data``);
- ``plans.PlanVersion``: the household plan, a snapshot per save, compared with the one before;
- ``privacy.FieldChange``: every other field of case data (the case's question, legal frameworks and
  life domains, conversation reports, contacts, ZRM scores, the personal data of residents and
  households), written through ``tracking`` by the service that changes it.

``plans.history`` reads them together as ``Change`` rows, newest first (``case_history``,
``resident_history``).
Encrypted fields (the BSN) are compared by their keyed hash and recorded without their values.
"""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import FieldChange

EMPTY = "\u2013"  # an en dash for an empty value

# Pseudo-fields whose value is encrypted: compared through the keyed hash, never stored.
SECRET = {"bsn": ("bsn_hash", _("BSN"))}

# CaseEvent kinds that change a field of the case: (Case field, key of the old value, key of the
# new value). Status and triage values are English msgids, translated when shown.
EVENT_FIELDS = {
    "status": ("status", "old", "new"),
    "closed": ("status", "old", "new"),
    "reopened": ("status", "old", "new"),
    "regisseur": ("regisseur", "old", "new"),
    "triage": ("triage", "old", "new"),
    "escalated": ("escalated_to", "old", "to"),
    "deescalated": ("escalated_to", "from", None),
}
TRANSLATED = {"status", "triage"}


def _raw(instance: models.Model, name: str) -> str:
    """A field's value as text, as the history stores it (codes for choices, ISO dates)."""
    if name in SECRET:
        return getattr(instance, SECRET[name][0]) or ""
    field = instance._meta.get_field(name)
    if field.many_to_many:
        return ", ".join(sorted(str(item) for item in getattr(instance, name).all()))
    value = getattr(instance, name)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def values(instance: models.Model, fields: Iterable[str]) -> dict[str, str]:
    return {name: _raw(instance, name) for name in fields}


@contextmanager
def tracking(
    instance: models.Model,
    fields: Sequence[str],
    *,
    by,
    case=None,
    household=None,
    resident=None,
    reason: str = "",
    rectification: bool = False,
    label: str = "",
) -> Iterator[list[FieldChange]]:
    """Record what the block changes in ``fields`` of ``instance`` as ``FieldChange`` rows.

    Use it inside the service's transaction, around the save (and the ``set()`` of a many-to-many
    field). ``label`` names the record in the history (default: ``str(instance)``). The yielded
    list holds the rows written, once the block has ended::

        with tracking(resident, ["postcode"], by=by, resident=resident) as changes:
            resident.postcode = "8921AB"
            resident.save()
        if not changes: ...

    A correction at the resident's request (AVG art. 16) needs its reason: without one the block
    does not run (``ValidationError`` on ``reason``).
    """
    if rectification and not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for the correction.")]})
    before = values(instance, fields)
    written: list[FieldChange] = []
    yield written
    after = values(instance, fields)
    label = (label or str(instance))[:200]
    record = instance._meta.label_lower
    for name in fields:
        if before[name] == after[name]:
            continue
        secret = name in SECRET
        written.append(
            FieldChange(
                by=by,
                case=case,
                household=household,
                resident=resident,
                record=record,
                record_id=instance.pk,
                record_label=label,
                field=name,
                old="" if secret else before[name],
                new="" if secret else after[name],
                secret=secret,
                reason=reason.strip(),
                rectification=rectification,
            )
        )
    FieldChange.objects.bulk_create(written)


# ---------------------------------------------------------------------------------------------
# Reading the history


@dataclass
class Change:
    at: datetime
    by: str
    what: str
    field: str
    old: str
    new: str
    secret: bool = False
    reason: str = ""
    rectification: bool = False

    def as_dict(self) -> dict:
        return {
            "at": timezone.localtime(self.at).isoformat(timespec="minutes"),
            "by": self.by,
            "what": self.what,
            "field": self.field,
            "old": "" if self.secret else self.old,
            "new": gettext("changed (value not shown)") if self.secret else self.new,
            "reason": self.reason,
            "rectification": self.rectification,
        }


def _model_field(record: str, name: str):
    try:
        return apps.get_model(record)._meta.get_field(name)
    except (LookupError, FieldDoesNotExist):
        return None


def field_label(record: str, name: str) -> str:
    if name in SECRET:
        return str(SECRET[name][1])
    field = _model_field(record, name)
    return capfirst(str(field.verbose_name)) if field is not None else name


def shown(record: str, name: str, raw: str) -> str:
    """A stored value as a person reads it: the label of a code, a Dutch date, yes or no."""
    if raw == "":
        return EMPTY
    field = _model_field(record, name)
    if field is None:
        return raw
    if field.choices:
        return str({str(code): label for code, label in field.flatchoices}.get(raw, raw))
    if isinstance(field, models.DateTimeField):
        return datetime.fromisoformat(raw).strftime("%d-%m-%Y %H:%M")
    if isinstance(field, models.DateField):
        return date.fromisoformat(raw).strftime("%d-%m-%Y")
    if isinstance(field, models.BooleanField):
        return gettext("yes") if raw == "1" else gettext("no")
    return raw


def _record_name(record: str, label: str) -> str:
    model = apps.get_model(record)
    return f"{capfirst(str(model._meta.verbose_name))} {label}".strip()


def changes_from_fields(rows: Iterable[FieldChange]) -> list[Change]:
    return [
        Change(
            at=row.at,
            by=str(row.by or ""),
            what=_record_name(row.record, row.record_label),
            field=field_label(row.record, row.field),
            old="" if row.secret else shown(row.record, row.field, row.old),
            new="" if row.secret else shown(row.record, row.field, row.new),
            secret=row.secret,
            reason=row.reason,
            rectification=row.rectification,
        )
        for row in rows
    ]


def changes_from_events(case, events) -> list[Change]:
    changes = []
    for event in events:
        field, old_key, new_key = EVENT_FIELDS[event.kind]
        old = event.data.get(old_key) or ""
        new = event.data.get(new_key) or "" if new_key else ""
        if field in TRANSLATED:
            old, new = (gettext(old) if old else ""), (gettext(new) if new else "")
        changes.append(
            Change(
                at=event.at,
                by=str(event.by or ""),
                what=_record_name("cases.case", str(case)),
                field=field_label("cases.case", field),
                old=old or EMPTY,
                new=new or EMPTY,
                reason=event.note,
            )
        )
    return changes
