"""The application runs as a role that owns nothing (wijkteam.database): ``migrate`` runs as the
owner (``WIJKTEAM_DB_MIGRATE_URL``) and grants the application's role what it needs. As that role
the application works, and what the owner could do to the access log — empty it, switch off its
trigger, change or remove rows — is refused. ``check --deploy`` and ``/healthz`` are content with it,
and report the owner or a superuser (test_deploy_checks.py, test_site.py)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from cases.factories import CaseFactory
from conftest import login
from privacy.chain import verify
from privacy.models import AccessLog
from wijkteam import database
from wijkteam.checks import check_database_role

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="roles are PostgreSQL's"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _owner_url(name: str | None = None) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name or db['NAME']}"


@pytest.fixture
def as_application(settings):
    """A role of the application's own, made by the administrator; ``migrate`` as the owner grants
    it what it needs, and from then on this test's connection is that role's."""
    db = connection.settings_dict
    owner, role = db["USER"], f"{db['NAME']}_app"[:63]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone():
            cursor.execute(f'DROP OWNED BY "{role}"; DROP ROLE "{role}"')
        cursor.execute(f'CREATE ROLE "{role}" LOGIN')
    settings.DB_MIGRATE_URL = _owner_url()
    connection.close()
    db["USER"] = role
    try:
        call_command("migrate", verbosity=0)
        yield role
    finally:
        connection.close()
        db["USER"] = owner
        with connection.cursor() as cursor:
            cursor.execute(f'DROP OWNED BY "{role}"; DROP ROLE "{role}"')


def test_migrate_as_the_owner_grants_the_application_role_what_it_needs(as_application, world):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == as_application
    assert database.role_problems() == []
    assert check_database_role(None) == []
    client = login(world.worker)
    assert client.get(reverse("healthz")).json() == {"status": "ok"}
    case = CaseFactory(team=world.team_a, regisseur=world.worker)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    assert AccessLog.objects.get().case_id == case.pk and verify().intact


ATTACKS = [
    "TRUNCATE privacy_accesslog",
    "ALTER TABLE privacy_accesslog DISABLE TRIGGER USER",
    "SET session_replication_role = replica",
    "UPDATE privacy_accesslog SET detail = 'x'",
    "DELETE FROM privacy_accesslog",
    "DELETE FROM privacy_accessloghead",
    "DROP TABLE privacy_accesslog",
    "INSERT INTO django_migrations (app, name, applied) VALUES ('privacy', 'x', now())",
]


def test_the_application_role_cannot_empty_change_or_switch_off_the_access_log(as_application, world):
    case = CaseFactory(team=world.team_a, regisseur=world.worker)
    login(world.worker).get(reverse("cases:detail", args=[case.pk]))
    for attack in ATTACKS:
        with (
            pytest.raises(DatabaseError, match=r"permission denied|must be owner"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(attack)
    assert AccessLog.objects.count() == 1 and verify().intact


@pytest.mark.django_db  # no other connection here: no need to empty the database afterwards
def test_migrate_refuses_an_owner_url_for_another_database(settings):
    settings.DB_MIGRATE_URL = _owner_url("another_database")
    with pytest.raises(CommandError, match="same database"):
        call_command("migrate", verbosity=0)
