"""The functional administrator's writes: municipality, teams, users, partner organisations, budgets and
smoelenboek entries of their own municipality. Each owns its transaction and writes every changed field
to the history of changes (``privacy.FieldChange`` through ``privacy.history``)."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from accounts import services as accounts
from accounts.models import Role, User
from areas.models import Municipality
from partners.models import PartnerContact
from privacy.history import tracking, values
from privacy.models import FieldChange
from teams.models import Team, TeamMembership

SECOND_FACTOR = "second_factor"


def administers(by: User, municipality_id: int | None) -> None:
    """Only an active functional administrator of that very municipality."""
    if (
        not by.is_active
        or by.role != Role.ADMINISTRATOR
        or not municipality_id
        or by.municipality_id != municipality_id
    ):
        raise PermissionDenied


def _note(instance: models.Model, field: str, old: str, new: str, *, by: User) -> None:
    FieldChange.objects.create(
        by=by,
        record=instance._meta.label_lower,
        record_id=instance.pk,
        record_label=str(instance)[:200],
        field=field,
        old=old,
        new=new,
    )


@transaction.atomic
def record_save(
    *, instance: models.Model, data: dict, by: User, m2m: dict[str, Iterable] | None = None
) -> models.Model:
    """Create or change a record of the municipality the administrator administers. A new record's
    fields are written to the history with an empty old value."""
    m2m = m2m or {}
    administers(by, _municipality_id(instance, data))
    fields = [*data, *m2m]
    if instance.pk is None:
        for name, value in data.items():
            setattr(instance, name, value)
        instance.save()
        for name, items in m2m.items():
            getattr(instance, name).set(items)
        for name, new in values(instance, fields).items():
            if new:
                _note(instance, name, "", new, by=by)
        return instance
    with tracking(instance, fields, by=by):
        for name, value in data.items():
            setattr(instance, name, value)
        instance.save()
        for name, items in m2m.items():
            getattr(instance, name).set(items)
    return instance


def _municipality_id(instance: models.Model, data: dict) -> int | None:
    """The municipality the record belongs to, before and after the change: both must be the administrator's."""
    if isinstance(instance, Municipality):
        return instance.pk
    if isinstance(instance, PartnerContact):  # a smoelenboek entry belongs to an organisation
        before = instance.organisation.municipality_id if instance.organisation_id else None
        after = data["organisation"].municipality_id if "organisation" in data else before
    else:
        before = instance.municipality_id
        after = data["municipality"].pk if "municipality" in data else before
    return after if before in (None, after) else None


USER_FIELDS = ("username", "first_name", "last_name", "email", "role", "job_title", "phone", "organisation")


@transaction.atomic
def user_save(
    *, user: User | None, by: User, data: dict, team: Team | None, leads: bool = False, password: str = ""
) -> User:
    """Create a professional in the administrator's municipality, or change one; ``team`` is the team
    they work in (none: leaves every team). A new account gets the initial password; its second
    factor is enrolled at the first sign-in."""
    administers(by, by.municipality_id)
    if team is not None and team.municipality_id != by.municipality_id:
        raise PermissionDenied
    if user is None:
        user = User(municipality=by.municipality)
        user.set_password(password)
        user = record_save(instance=user, data={**data, "municipality": by.municipality}, by=by)
    else:
        administers(by, user.municipality_id)
        record_save(instance=user, data=data, by=by)
    _team_set(user, team, leads=leads, by=by)
    return user


def _team_set(user: User, team: Team | None, *, leads: bool, by: User) -> None:
    current = {m.team_id: m for m in user.memberships.select_related("team")}
    teams = {m.team for m in current.values()} | ({team} if team else set())
    for each in teams:
        with tracking(each, ["members"], by=by):
            if each == team:
                membership = current.get(each.pk) or TeamMembership(team=each, user=user)
                if membership.pk is None or membership.is_leader != leads:
                    membership.is_leader = leads
                    membership.save()
            else:
                current[each.pk].delete()


@transaction.atomic
def user_deactivate(*, user: User, by: User) -> None:
    """The account can no longer sign in and its sessions end now; it stays with its history."""
    administers(by, user.municipality_id)
    with tracking(user, ["is_active"], by=by):
        accounts.account_deactivate(user=user)


@transaction.atomic
def user_reactivate(*, user: User, by: User) -> None:
    administers(by, user.municipality_id)
    with tracking(user, ["is_active"], by=by):
        user.is_active = True
        user.save(update_fields=["is_active"])


@transaction.atomic
def user_second_factor_reset(*, user: User, by: User) -> None:
    """A lost phone: the next sign-in enrols a new authenticator app; every session ends now."""
    administers(by, user.municipality_id)
    accounts.second_factor_reset(user=user)
    _note(user, SECOND_FACTOR, "", "reset", by=by)


@transaction.atomic
def user_move(*, user: User, by: User, municipality: Municipality) -> None:
    """The professional goes to work for another municipality of this installation: they leave their
    teams here, their sessions end, and from then on only the other municipality's administrator
    manages the account."""
    administers(by, user.municipality_id)
    if municipality.pk == user.municipality_id:
        return
    _team_set(user, None, leads=False, by=by)
    with tracking(user, ["municipality"], by=by):
        user.municipality = municipality
        user.save(update_fields=["municipality"])
    accounts.sessions_end(user=user)
