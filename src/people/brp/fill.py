"""The resident form fills itself from the BRP: type a BSN (or a surname and a date of birth) and press
"Look up in the BRP" (with HTMX only the form's fields are swapped; without, the page comes back).
When the BRP does not answer the form says so, and registering by hand goes on."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from privacy.models import Purpose

from ..forms import ResidentForm
from ..validators import normalise_bsn
from . import client

# The form's fields a BRP answer fills: those of ``people.forms.ResidentForm`` but the BSN (asked, not
# filled) and how to reach the resident (the BRP does not hold it).
NOT_FROM_BRP = {"bsn", "phone", "email"}
FORM_FIELDS = tuple(name for name in ResidentForm.Meta.fields if name not in NOT_FROM_BRP)


@dataclass
class Filled:
    data: dict  # the form's data with what the BRP gave
    message: str
    ok: bool
    choices: list = field(default_factory=list)  # several persons found by name and birth date


def _as_form_data(bsn: str, fields: dict, prefix: str = "") -> dict:
    data = {f"{prefix}bsn": bsn}
    for name in FORM_FIELDS:
        value = fields.get(name)
        if isinstance(value, bool):
            if value:
                data[f"{prefix}{name}"] = "on"
        elif value is not None:
            data[f"{prefix}{name}"] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return data


def fill_from_brp(posted, user, *, prefix: str = "", purpose: str = Purpose.REGISTRATION) -> Filled:
    """Look the resident up with what the form holds: the BSN, else the surname and date of birth.

    ``prefix``: the form's fields carry it (the desk's inline new resident: ``new_bsn``, ...); the
    data comes back with it. ``purpose``: why, in the access log (registering, or a question at the desk).
    """
    base = {k: v for k, v in posted.items() if k not in {"csrfmiddlewaretoken", "brp"}}
    if hasattr(posted, "getlist"):  # several values of one field (the desk's life domains) are kept
        base.update({k: v for k, v in posted.lists() if len(v) > 1})
    # What the BRP answers replaces the form's BRP fields; the rest (phone, the desk's question) stays.
    kept = {k: v for k, v in base.items() if k.removeprefix(prefix) not in {"bsn", *FORM_FIELDS, "brp_pick"}}
    bsn = normalise_bsn(posted.get("brp_pick") or posted.get(f"{prefix}bsn", ""))
    surname = posted.get(f"{prefix}geslachtsnaam", "").strip()
    born = posted.get(f"{prefix}birth_date", "").strip()
    if not client.configured():
        return Filled(base, _("No BRP is connected: fill in the details by hand."), False)
    try:
        if bsn:
            found = client.lookup_bsn(bsn=bsn, user=user, purpose=purpose)
            if found is None:
                return Filled(base, _("The BRP knows no person with this BSN. Check it, or fill in by hand."), False)
            return Filled(
                {**kept, **_as_form_data(found.bsn, found.fields, prefix)},
                _("Filled from the BRP. Check and save."),
                True,
            )
        if surname and born:
            people = client.search_name_birth(geslachtsnaam=surname, geboortedatum=born, user=user, purpose=purpose)
            if len(people) == 1:
                return Filled(
                    {**kept, **_as_form_data(people[0].bsn, people[0].fields, prefix)},
                    _("Filled from the BRP. Check and save."),
                    True,
                )
            if people:
                return Filled(base, _("The BRP knows several persons: choose one."), True, choices=people)
            return Filled(base, _("The BRP knows nobody with this surname and date of birth."), False)
    except client.BrpUnavailable:
        return Filled(
            base, _("The BRP does not answer now. Fill in the details by hand; you can refresh them later."), False
        )
    return Filled(base, _("Enter a BSN, or a surname and date of birth, to look up in the BRP."), False)


def differences(resident, data: dict) -> list[tuple[str, str, str]]:
    """(field, what Wijkteam holds, what the BRP gives) for every field the BRP would change."""
    changes = []
    for name in FORM_FIELDS:
        if name not in data and not isinstance(getattr(resident, name), bool):
            continue
        field = resident._meta.get_field(name)
        current = getattr(resident, name)
        if isinstance(current, bool):
            held, given = current, data.get(name) == "on"
            shown = (_("yes") if held else _("no"), _("yes") if given else _("no"))
        else:
            held = "" if current is None else (current.isoformat() if hasattr(current, "isoformat") else str(current))
            given = data.get(name, "")
            shown = (held, given)
        if held != given:
            changes.append((str(field.verbose_name), *shown))
    return changes
