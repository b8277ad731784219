"""The password step's lockout, changing one's password, and the end of every session of an
account when it is deactivated or its second factor is reset."""

import logging
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.factories import UserFactory
from accounts.models import Role, SignInCounter
from conftest import login

from .conftest import PASSWORD

LOCKED = "Inloggen is 15 minuten geblokkeerd"


@pytest.fixture
def admin_client(world):
    admin = UserFactory(role=Role.ADMINISTRATOR, municipality=world.municipality, is_staff=True, is_superuser=True)
    return login(admin)


def _sign_in(client: Client, username: str, password: str, address: str = "192.0.2.10"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def _signed_out(client: Client) -> bool:
    response = client.get(reverse("cases:my_work"))
    return response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


# --- lockout --------------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(user):
    client = Client()
    for _ in range(4):
        response = _sign_in(client, user.username, "wrong-password-123")
        assert response.status_code == 200 and "niet juist" in response.content.decode()
    fifth = _sign_in(client, user.username, "wrong-password-123")
    assert fifth.status_code == 429 and LOCKED in fifth.content.decode()
    # Locked: even the right password (from another address) is not checked.
    right = _sign_in(Client(), user.username, PASSWORD, address="198.51.100.7")
    assert right.status_code == 429 and LOCKED in right.content.decode()
    # Fifteen minutes later the right password works again.
    SignInCounter.objects.update(locked_until=timezone.now() - timedelta(seconds=1))
    assert _sign_in(Client(), user.username, PASSWORD, address="198.51.100.7").status_code == 302


def test_the_lock_does_not_tell_whether_an_account_exists(user):
    answers = {}
    for username in (user.username, "nobody-by-this-name"):
        client = Client()
        for _ in range(5):
            response = _sign_in(client, username, "wrong-password-123", address=f"192.0.2.{len(answers) + 1}")
        answers[username] = (response.status_code, response.context["form"].non_field_errors())
    assert answers[user.username] == answers["nobody-by-this-name"]
    assert LOCKED in answers[user.username][1][0]


def test_a_correct_password_forgets_the_earlier_failures(user):
    client = Client()
    for _ in range(4):
        _sign_in(client, user.username, "wrong-password-123")
    assert _sign_in(client, user.username, PASSWORD).status_code == 302
    for _ in range(4):
        assert _sign_in(Client(), user.username, "wrong-password-123").status_code == 200
    assert _sign_in(Client(), user.username, PASSWORD).status_code == 302


def test_one_address_trying_many_accounts_is_locked(world, settings):
    settings.WIJKTEAM = {**settings.WIJKTEAM, "LOCKOUT_ADDRESS_FAILURES": 3}
    for name in ("anna", "bert", "carla"):
        response = _sign_in(Client(), name, "wrong-password-123", address="203.0.113.5")
    assert response.status_code == 429
    assert _sign_in(Client(), "dirk", "wrong-password-123", address="203.0.113.5").status_code == 429
    # Elsewhere nothing is locked.
    assert _sign_in(Client(), "dirk", "wrong-password-123", address="203.0.113.6").status_code == 200


def test_the_administrator_unlocks_an_account(user, admin_client):
    for _ in range(5):
        _sign_in(Client(), user.username, "wrong-password-123")
    assert _sign_in(Client(), user.username, PASSWORD, address="198.51.100.7").status_code == 429
    response = admin_client.post(
        reverse("admin:accounts_user_changelist"), {"action": "unlock_sign_in", "_selected_action": [user.pk]}
    )
    assert response.status_code == 302
    assert _sign_in(Client(), user.username, PASSWORD, address="198.51.100.7").status_code == 302
    assert admin_client.get(reverse("admin:accounts_signincounter_changelist")).status_code == 200


def test_failures_and_locks_are_logged_without_names_or_addresses(user, caplog):
    caplog.set_level(logging.INFO, logger="accounts.signin")
    for _ in range(5):
        _sign_in(Client(), user.username, "wrong-password-123", address="192.0.2.99")
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "sign-in failed" in text and "sign-in locked: account" in text and f"user id {user.pk}" in text
    assert user.username not in text and "192.0.2.99" not in text
    assert not SignInCounter.objects.filter(key__contains=user.username).exists()


def test_the_admin_signs_in_through_the_one_sign_in_path_with_its_lockout(world, user):
    """Django's admin had a sign-in form of its own: after five wrong passwords at /account/login/ it
    still took the right one, and counted no wrong ones."""
    user.is_staff = user.is_superuser = True
    user.role = Role.ADMINISTRATOR
    user.save()
    for _ in range(5):
        _sign_in(Client(), user.username, "wrong-password-123")
    client = Client()
    for password in ("wrong-password-123", PASSWORD):
        response = client.post(reverse("admin:login"), {"username": user.username, "password": password})
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:login") + "?next=/beheer/admin/"
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))
    # Unlocked, the one path signs in, then asks the second step, then opens the admin.
    SignInCounter.objects.all().delete()
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    signed_in = client.post(
        reverse("accounts:login") + "?next=/beheer/admin/", {"username": user.username, "password": PASSWORD}
    )
    assert signed_in["Location"] == "/beheer/admin/"
    assert client.get("/beheer/admin/")["Location"].startswith(reverse("accounts:twofactor"))


def test_the_admin_login_sends_staff_on_and_refuses_other_roles(world, admin_client):
    assert admin_client.get(reverse("admin:login"))["Location"] == reverse("admin:index")
    assert login(world.worker).get(reverse("admin:login")).status_code == 403


# --- changing the password ------------------------------------------------------------------------


def test_the_password_page_shows_the_rules_beside_the_field(user):
    page = login(user).get(reverse("accounts:password_change"))
    html = page.content.decode()
    assert page.status_code == 200 and 'id="id_new_password1-description"' in html
    assert "minstens 12 tekens" in html and "datalek" in html


@pytest.mark.parametrize(
    "password",
    [
        "Wachtwoord2024!",  # a breached word with a year and a sign
        "w4chtw00rd-123",  # look-alike digits
        "welkomwelkomwelkom",  # a breached word repeated
        "Hallo!Hallo!Hallo!",  # repeated, with signs
        "q1w2e3r4t5y6",  # breached as it is
        "aaaaaaaaaaaaaaa",
    ],
)
def test_a_breached_or_weak_new_password_is_refused_beside_the_field(user, password):
    response = login(user).post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["new_password1"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_changing_the_password_ends_the_other_sessions(user):
    here, elsewhere = login(user), login(user)
    new = "drie vogels op een hek"
    response = here.post(
        reverse("accounts:password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert here.get(reverse("cases:my_work")).status_code == 200
    assert _signed_out(elsewhere)
    assert _sign_in(Client(), user.username, new).status_code == 302


def test_a_wrong_current_password_counts_towards_the_lockout(user):
    client = login(user)
    for _ in range(5):
        response = client.post(
            reverse("accounts:password_change"),
            {"old_password": "not-my-password", "new_password1": "x", "new_password2": "x"},
        )
        assert response.status_code == 400
    assert LOCKED in response.content.decode()
    assert _sign_in(Client(), user.username, PASSWORD, address="198.51.100.7").status_code == 429


def test_the_password_page_needs_the_second_step(user):
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client = Client()
    assert _sign_in(client, user.username, PASSWORD).status_code == 302
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:twofactor"))


# --- ending every session of an account -----------------------------------------------------------


def test_deactivating_an_account_ends_its_sessions(world, admin_client):
    first, second = login(world.worker), login(world.worker)
    assert first.get(reverse("cases:my_work")).status_code == 200
    response = admin_client.post(
        reverse("admin:accounts_user_changelist"), {"action": "deactivate", "_selected_action": [world.worker.pk]}
    )
    assert response.status_code == 302
    world.worker.refresh_from_db()
    assert not world.worker.is_active
    # Ended, not only refused while inactive: switching the account back on brings no session back.
    type(world.worker).objects.filter(pk=world.worker.pk).update(is_active=True)
    assert _signed_out(first) and _signed_out(second)


def test_unticking_active_in_the_admin_ends_the_sessions(world, admin_client):
    session = login(world.colleague)
    change = reverse("admin:accounts_user_change", args=[world.colleague.pk])
    form = admin_client.get(change).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "is_active"}
    data.update(
        {
            "expertises": [],
            "groups": [],
            "user_permissions": [],
            "date_joined_0": "2025-01-01",
            "date_joined_1": "09:00:00",
            "last_login_0": "",
            "last_login_1": "",
            "municipality": world.municipality.pk,
            "organisation": "",
        }
    )
    response = admin_client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    type(world.colleague).objects.filter(pk=world.colleague.pk).update(is_active=True)
    assert _signed_out(session)


def test_resetting_the_second_factor_ends_the_sessions_at_once(world, admin_client):
    session = login(world.worker)
    assert session.get(reverse("cases:my_work")).status_code == 200
    admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_step", "_selected_action": [world.worker.pk]},
    )
    assert _signed_out(session)  # no minute to wait: the session itself has ended
    assert not TOTPDevice.objects.filter(user=world.worker).exists()
    assert login(world.leader).get(reverse("cases:my_work")).status_code == 200  # others go on


# --- the password hash ----------------------------------------------------------------------------

PRODUCTION_HASHERS = [
    "accounts.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
ARGON2ID_OWASP = "argon2$argon2id$v=19$m=19456,t=2,p=1$"


def test_a_new_password_is_hashed_with_argon2id_at_owasps_parameters(settings, user):
    from wijkteam import settings as project  # the tests themselves hash with a fast one

    assert project.PASSWORD_HASHERS == PRODUCTION_HASHERS
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS
    user.set_password("een-lang-en-nieuw-wachtwoord")
    user.save()
    assert user.password.startswith(ARGON2ID_OWASP)
    assert user.check_password("een-lang-en-nieuw-wachtwoord") and not user.check_password("wrong")


@pytest.mark.parametrize(
    "old",
    [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # Django's default of earlier versions
        "django.contrib.auth.hashers.Argon2PasswordHasher",  # Argon2id with Django's own parameters
    ],
)
def test_an_older_hash_is_replaced_at_the_next_sign_in(settings, user, old):
    settings.PASSWORD_HASHERS = [old]
    user.set_password(PASSWORD)
    user.save()
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS
    assert not user.password.startswith(ARGON2ID_OWASP)
    wrong = _sign_in(Client(), user.username, "wrong-password-123")
    assert wrong.status_code == 200
    user.refresh_from_db()
    assert not user.password.startswith(ARGON2ID_OWASP)  # only the right password upgrades it
    assert _sign_in(Client(), user.username, PASSWORD).status_code == 302
    user.refresh_from_db()
    assert user.password.startswith(ARGON2ID_OWASP)
    assert _sign_in(Client(), user.username, PASSWORD).status_code == 302  # and it still signs in
