"""Key rotation: after rotate_field_keys the old field key can be removed and BSNs still read."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from people.factories import ResidentFactory
from people.models import Resident
from privacy import crypto


@pytest.mark.django_db
def test_rotating_the_field_key(settings):
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    resident = ResidentFactory(bsn="111222333")
    new = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    out = io.StringIO()
    call_command("rotate_field_keys", stdout=out)
    assert "1 encrypted values" in out.getvalue()
    settings.FIELD_ENCRYPTION_KEYS = [new]  # the old key is gone
    assert Resident.objects.get(pk=resident.pk).bsn == "111222333"
    assert Resident.objects.get(bsn_hash=crypto.keyed_hash("111222333")).pk == resident.pk
