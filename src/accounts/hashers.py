"""The password hash: Argon2id with OWASP's recommended minimum (19 MiB of memory, two passes, one
lane), about a tenth of a second on one core where Django's default PBKDF2 (a million rounds) takes
a second and more. A hash made with other parameters or another algorithm (the PBKDF2 hashes of
earlier versions) is replaced by this one at the next successful sign-in (Django's hasher upgrade).
ADR 0008 has the measurements."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    # OWASP Password Storage Cheat Sheet: m=19456 KiB, t=2, p=1 for Argon2id.
    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1
