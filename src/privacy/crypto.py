"""Field encryption and keyed hashing for identifiers such as the BSN.

Keys come from the environment (WIJKTEAM_FIELD_KEY, WIJKTEAM_BSN_HASH_KEY); see docs/privacy.md
for rotation: put the new Fernet key first in WIJKTEAM_FIELD_KEY, keep the old one after it, and
run ``manage.py rotate_field_keys``.
"""

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def _current() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return _current().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _current().decrypt(token.encode()).decode()


def rotate(token: str) -> str:
    """Re-encrypt a token with the newest key."""
    return _current().rotate(token.encode()).decode()


def keyed_hash(value: str) -> str:
    return hmac.new(settings.BSN_HASH_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()
