import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from cases.factories import CaseFactory
from privacy.models import AccessLog, AppendOnlyError

pytestmark = pytest.mark.django_db


@pytest.fixture
def row(world, as_worker):
    case = CaseFactory(team=world.team_a)
    as_worker.get(reverse("cases:detail", args=[case.pk]), REMOTE_ADDR="10.1.2.3")
    return AccessLog.objects.get()


def test_a_dossier_read_writes_who_what_when_where(world, row):
    assert row.user == world.worker
    assert row.role == "sociaal_werker"
    assert row.client_address == "10.1.2.3"
    assert row.action == "view" and row.purpose == "casework"


def test_the_application_cannot_change_or_delete_the_log(row):
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.update(detail="x")
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        row.delete()
    row.detail = "changed"
    with pytest.raises(AppendOnlyError):
        row.save()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger is PostgreSQL's")
@pytest.mark.parametrize("statement", ["UPDATE privacy_accesslog SET detail = 'x'", "DELETE FROM privacy_accesslog"])
def test_postgresql_refuses_update_and_delete_even_in_raw_sql(row, statement):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AccessLog.objects.get().detail == ""
