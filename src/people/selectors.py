"""Reads of the people app for pages that already hold a gated household or resident (from
``cases.access``): they never pick a record by an id from the request."""

from collections.abc import Iterable

from django.db.models import QuerySet

from .models import Household, NetworkMember, Resident


def residents_of(household: Household) -> QuerySet:
    """The residents who are members of ``household``."""
    return Resident.objects.filter(memberships__household=household)


def network_of(residents: Iterable[Resident] | QuerySet) -> QuerySet:
    """The people in the network of ``residents``."""
    return NetworkMember.objects.filter(resident__in=residents)
