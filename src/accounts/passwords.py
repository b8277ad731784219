"""Known-breached passwords, checked against a list that ships with Django (no network).

Django's ``CommonPasswordValidator`` holds 19,646 passwords that recur in published breaches
(Royce Williams' list). With our minimum of 12 characters only 187 of them could still be chosen
as they are, so the list alone catches little: a breached password is usually a common one with
digits, signs or capitals around it ("Wachtwoord2024!") or a common one repeated
("welkomwelkom"). This validator also tries the core of the password against the same list: the
letters without what is put before and after, in lower case, with look-alike digits read as
letters (``w4chtw00rd``). See docs/privacy.md for why no bigger list is bundled.
"""

import re

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

LOOK_ALIKES = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})
AFFIXES = re.compile(r"^[\W\d_]+|[\W\d_]+$")
REPEATED = re.compile(r"(.+?)\1+")
MIN_CORE = 4  # a shorter core says little: "Zx!" could be anything


def _repeated_unit(word: str) -> str:
    match = REPEATED.fullmatch(word)
    return match.group(1) if match else word


# Each step undoes one way of dressing up a breached password; they are combined in any order.
STEPS = (lambda word: AFFIXES.sub("", word), lambda word: word.translate(LOOK_ALIKES), _repeated_unit)


class BreachedPasswordValidator(CommonPasswordValidator):
    def candidates(self, password: str) -> set[str]:
        lowered = password.lower().strip()
        words = {lowered}
        for _round in STEPS:  # as many rounds as steps: every combination is reached
            words |= {step(word) for word in words for step in STEPS}
        return {word for word in words if len(word) >= MIN_CORE or word == lowered}

    def is_breached(self, password: str) -> bool:
        if re.fullmatch(r"(.{1,3})\1+", password.lower()):
            return True  # "aaaaaaaaaaaa", "abcabcabcabc"
        return any(word in self.passwords for word in self.candidates(password))

    def validate(self, password, user=None):
        if self.is_breached(password):
            raise ValidationError(
                _("This password, or the word at its heart, appears in lists of passwords from data breaches."),
                code="password_too_common",
            )

    def get_help_text(self):
        return _("Not a password from a data breach, and not one with only digits or signs added to it.")
