"""The access log's chain (privacy.chain): a forged, changed or removed row shows, in the privacy
officer's one command and on their page; writers at the same time keep one chain.

The attacks are the ones an outside test used: a row written with SQL of one's own (any role that
may insert), and rows changed or removed by the tables' owner, who can switch the trigger off
(``session_replication_role = replica`` on PostgreSQL; SQLite has no trigger)."""

import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory
from accounts.models import Role
from cases.factories import CaseFactory
from conftest import login
from privacy.chain import CONTENT, seal, verify
from privacy.models import AccessLog, AccessLogHead, Action, Purpose
from privacy.services import log_access

pytestmark = pytest.mark.django_db
POSTGRESQL = connection.vendor == "postgresql"


@pytest.fixture
def reads(world, as_worker):
    """Five dossier reads through the pages: positions 1 to 5."""
    case = CaseFactory(team=world.team_a, regisseur=world.worker)
    for _ in range(5):
        assert as_worker.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    rows = list(AccessLog.objects.order_by("position"))
    assert [row.position for row in rows] == [1, 2, 3, 4, 5]
    return rows


def _as_owner(sql: str, params=()) -> None:
    """SQL as the tables' owner, past the append-only trigger, as the outside test did."""
    with connection.cursor() as cursor:
        if POSTGRESQL:
            cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(sql, params)
        finally:
            if POSTGRESQL:
                cursor.execute("SET session_replication_role = DEFAULT")


def _forge(**values) -> int:
    """A row written with SQL of one's own: the position after the head, a seal without the key."""
    row = {
        "at": timezone.now() - timedelta(days=30),
        "role": "sociaal_werker",
        "action": "view",
        "purpose": "casework",
        "detail": "",
        "seal": "0" * 64,
        **values,
    }
    columns = ", ".join(row)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO privacy_accesslog ({columns}) VALUES ({', '.join(['%s'] * len(row))})",  # noqa: S608
            list(row.values()),
        )
    return AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first()


def _breaks() -> list[tuple]:
    return [(place.kind, place.position, place.row) for place in verify().breaks]


def test_every_read_is_a_link_and_the_command_says_the_chain_is_intact(reads, capsys):
    first, second = reads[0], reads[1]
    assert first.seal == seal("", 1, tuple(getattr(first, name) for name in CONTENT))
    assert second.seal == seal(first.seal, 2, tuple(getattr(second, name) for name in CONTENT))
    assert AccessLogHead.objects.get().position == 5
    call_command("verify_access_log")
    out = capsys.readouterr().out
    assert "5 rows in the chain" in out and f"seal {reads[-1].seal}" in out and "intact" in out


def test_a_logged_read_costs_two_statements_more_than_its_row(world, django_assert_num_queries):
    """Moving the head (which holds it for the transaction), the row, the head's new seal."""
    case = CaseFactory(team=world.team_a, regisseur=world.worker)
    log_access(user=world.worker, action=Action.VIEW, purpose=Purpose.CASEWORK, case_id=case.pk)
    with django_assert_num_queries(3):
        log_access(user=world.worker, action=Action.VIEW, purpose=Purpose.CASEWORK, case_id=case.pk)


def test_a_forged_backdated_row_for_another_user_is_detected(world, reads, capsys):
    forged = _forge(user_id=world.colleague.pk, case_id=reads[0].case_id, position=6)
    assert _breaks() == [("changed", 6, forged)]
    # The application goes on after it, at the position after its own head: the forged row is the
    # one that does not follow.
    log_access(user=world.worker, action=Action.VIEW, purpose=Purpose.CASEWORK, case_id=reads[0].case_id)
    assert _breaks() == [("duplicate", 6, forged)]
    with pytest.raises(CommandError, match="broken in 1 places"):
        call_command("verify_access_log")
    assert f"rij {forged}" in capsys.readouterr().err


def test_a_forged_row_outside_the_chain_is_detected(world, reads):
    forged = _forge(user_id=world.colleague.pk, seal="")
    assert _breaks() == [("unchained", None, forged)]


def test_a_forged_row_at_a_position_already_taken_is_detected(world, reads):
    forged = _forge(user_id=world.colleague.pk, position=3)
    assert _breaks() == [("duplicate", 3, forged)]


def test_a_removed_row_is_detected(reads):
    _as_owner("DELETE FROM privacy_accesslog WHERE id = %s", [reads[2].pk])
    assert _breaks() == [("missing", 3, None)]


def test_removing_the_newest_rows_is_detected(reads):
    _as_owner("DELETE FROM privacy_accesslog WHERE position >= 4")
    assert [(kind, position) for kind, position, _row in _breaks()] == [("missing", 4)]
    assert str(verify().breaks[0]) == "Posities 4 tot 5 ontbreken: er zijn rijen verwijderd."


def test_a_changed_row_is_detected(reads):
    earlier = reads[1].at - timedelta(hours=3)
    _as_owner("UPDATE privacy_accesslog SET at = %s WHERE id = %s", [earlier, reads[1].pk])
    assert _breaks() == [("changed", 2, reads[1].pk)]


def test_a_head_noted_earlier_must_stay_in_the_chain(reads):
    noted = (5, reads[4].seal[:16])
    assert verify(checkpoint=noted).intact
    # The owner removes the newest row and sets the head back by hand: only the note shows it.
    _as_owner("DELETE FROM privacy_accesslog WHERE position = 5")
    AccessLogHead.objects.update(position=4, seal=reads[3].seal)
    assert verify().intact
    assert [place.kind for place in verify(checkpoint=noted).breaks] == ["checkpoint"]


def test_rows_written_before_the_chain_are_counted_not_blamed(world, reads):
    old = _forge(user_id=world.worker.pk, seal="")
    AccessLogHead.objects.update(before_chain=old)
    report = verify()
    assert report.intact and report.before_chain == 1


def test_a_removed_head_starts_the_chain_again_which_shows(world, reads):
    AccessLogHead.objects.all().delete()  # the owner's doing: the application's role may not
    log_access(user=world.worker, action=Action.VIEW, purpose=Purpose.CASEWORK, case_id=reads[0].case_id)
    restarted = AccessLog.objects.order_by("-pk").first()
    assert restarted.position == 1
    assert _breaks() == [("duplicate", 1, restarted.pk), ("head", 1, None)]


def test_the_privacy_officer_checks_the_chain_on_their_page(world, reads):
    officer = UserFactory(role=Role.PRIVACY_OFFICER, municipality=world.municipality)
    page = login(officer).get(reverse("privacy:log_check"))
    assert page.status_code == 200 and page.context["report"] is None
    intact = login(officer).get(reverse("privacy:log_check"), {"controleren": "1"})
    assert intact.context["report"].intact and "De keten is heel" in intact.content.decode()
    forged = _forge(user_id=world.colleague.pk, position=6)
    broken = login(officer).get(reverse("privacy:log_check"), {"controleren": "1"})
    assert f"Positie 6 (rij {forged})" in broken.content.decode()
    assert login(world.worker).get(reverse("privacy:log_check")).status_code == 403


@pytest.mark.skipif(not POSTGRESQL, reason="concurrent writers on the real server")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writers_keep_one_chain(world):
    case = CaseFactory(team=world.team_a, regisseur=world.worker)
    writers, rows_each = 6, 25
    start = threading.Barrier(writers)
    failures = []

    def write():
        try:
            start.wait()
            for _ in range(rows_each):
                log_access(user=world.worker, action=Action.VIEW, purpose=Purpose.CASEWORK, case_id=case.pk)
        except Exception as error:  # reported below
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    positions = list(AccessLog.objects.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, writers * rows_each + 1))
    assert verify().intact
