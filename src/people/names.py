"""Names as the BRP prescribes them (Haal Centraal BRP API Personen, ``adressering`` and ``naam``).

RvIG's Gherkin specification in ``data/brp/features/`` is normative; ``people/tests/test_names.py``
runs its name scenarios against these functions:

- ``voorletters``: one letter per given name with a full stop; a one-letter name has no full stop,
  and a space follows it when another initial comes after;
- ``volledige_naam``: predicate, given names, title, prefix and surname;
- ``aanschrijfwijze``: the first line of an envelope (name and, for nobility, the form of address);
- ``aanhef``: the salutation of a letter ("Geachte mevrouw Van Velzen-in het Veld");
- ``gebruik_in_lopende_tekst``: the name in a sentence ("mevrouw Van Velzen").

Each depends on *aanduiding naamgebruik* (E own surname, P partner's, V partner's before own,
N own before partner's), on the sex, a title or predicate of the person (table 38) and a title of
the (ex-)partner, which a woman who uses her partner's name may bear as a courtesy title.
"""

import re
from dataclasses import dataclass, field
from datetime import date

# Table 38 (Adellijke titel/predicaat): code -> (description, kind, male form, female form).
TITLES: dict[str, tuple[str, str, str, str]] = {
    "B": ("Baron", "titel", "baron", "barones"),
    "BS": ("Barones", "titel", "baron", "barones"),
    "G": ("Graaf", "titel", "graaf", "gravin"),
    "GI": ("Gravin", "titel", "graaf", "gravin"),
    "H": ("Hertog", "titel", "hertog", "hertogin"),
    "HI": ("Hertogin", "titel", "hertog", "hertogin"),
    "M": ("Markies", "titel", "markies", "markiezin"),
    "MI": ("Markiezin", "titel", "markies", "markiezin"),
    "P": ("Prins", "titel", "prins", "prinses"),
    "PS": ("Prinses", "titel", "prins", "prinses"),
    "R": ("Ridder", "titel", "ridder", ""),
    "JH": ("Jonkheer", "predicaat", "jonkheer", "jonkvrouw"),
    "JV": ("Jonkvrouw", "predicaat", "jonkheer", "jonkvrouw"),
}
# The form of address on the envelope (aanspreekvorm) per title or predicate of the person.
ADDRESS_FORMS = {
    "R": "De hoogwelgeboren heer",
    "B": "De hoogwelgeboren heer",
    "BS": "De hoogwelgeboren vrouwe",
    "H": "De hoogwelgeboren heer",
    "HI": "De hoogwelgeboren vrouwe",
    "G": "De hooggeboren heer",
    "GI": "De hooggeboren vrouwe",
    "M": "De hoogwelgeboren heer",
    "MI": "De hoogwelgeboren vrouwe",
    "P": "De hoogheid",
    "PS": "De hoogheid",
    "JH": "De hoogwelgeboren heer",
    "JV": "De hoogwelgeboren vrouwe",
}
# A partner's title a woman may bear (titre de courtoisie): (courtesy title, form of address, salutation).
COURTESY = {
    "B": ("barones", "De hoogwelgeboren vrouwe", "Hoogwelgeboren vrouwe"),
    "G": ("gravin", "De hooggeboren vrouwe", "Hooggeboren vrouwe"),
    "H": ("hertogin", "De hoogwelgeboren vrouwe", "Hoogwelgeboren vrouwe"),
    "M": ("markiezin", "De hoogwelgeboren vrouwe", "Hoogwelgeboren vrouwe"),
    "P": ("prinses", "De hoogheid", "Hoogheid"),
}
UNKNOWN = "."  # the BRP's standard value for an unknown surname


def title_code(value: str) -> str:
    """A title or predicate as its table-38 code, from the code or its description ("Jonkvrouw")."""
    value = (value or "").strip()
    if value.upper() in TITLES:
        return value.upper()
    for code, (description, *_rest) in TITLES.items():
        if description.lower() == value.lower():
            return code
    return ""


@dataclass(frozen=True)
class Partner:
    voorvoegsel: str = ""
    geslachtsnaam: str = ""
    adellijke_titel: str = ""
    geslacht: str = ""
    since: date | None = None  # the start of the marriage or partnership
    ended: date | None = None  # the day it was dissolved (an ex-partner)


@dataclass(frozen=True)
class Name:
    voornamen: str = ""
    voorvoegsel: str = ""
    geslachtsnaam: str = ""
    adellijke_titel: str = ""  # code or description (table 38)
    geslacht: str = ""  # M, V, O
    naamgebruik: str = "E"  # E, P, V, N
    partners: tuple[Partner, ...] = field(default_factory=tuple)

    @property
    def title(self) -> str:
        return title_code(self.adellijke_titel)

    @property
    def partner(self) -> Partner | None:
        """Whose name is used: the first current partner (the oldest relation), else the ex-partner
        whose relation ended last."""
        current = [p for p in self.partners if p.ended is None]
        if current:
            return sorted(current, key=lambda p: p.since or date.min)[0]
        ended = sorted(self.partners, key=lambda p: p.ended or date.min)
        return ended[-1] if ended else None

    @property
    def has_current_partner(self) -> bool:
        return any(p.ended is None for p in self.partners)

    @property
    def use(self) -> str:
        """The aanduiding naamgebruik that applies: E for who never had a partner."""
        return (self.naamgebruik or "E") if self.partner is not None else "E"


def _tidy(text: str) -> str:
    """No space at the start or end, no double spaces, no space around a hyphen."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s*-\s*", "-", text)
    return text.strip("-").strip()


def _join(*parts: str) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _surname(value: str) -> str:
    return "" if (value or "").strip() == UNKNOWN else (value or "").strip()


def voorletters(voornamen: str) -> str:
    out = ""
    for name in (voornamen or "").split():
        if out and not out.endswith("."):
            out += " "
        out += name[0] if len(name) == 1 else f"{name[0]}."
    return out


def volledige_naam(name: Name) -> str:
    code = name.title
    word = ""
    if code:
        description, _kind, male, female = TITLES[code]
        word = {"M": male, "V": female}.get(name.geslacht, "") or description.lower()
    predicate = word if code and TITLES[code][1] == "predicaat" else ""
    title = word if code and TITLES[code][1] == "titel" else ""
    return _tidy(_join(predicate, name.voornamen, title, name.voorvoegsel, _surname(name.geslachtsnaam)))


def _compose(use: str, own: str, partner: str) -> str:
    return {"E": own, "P": partner, "V": f"{partner}-{own}", "N": f"{own}-{partner}"}.get(use, own)


def _courtesy(name: Name) -> tuple[str, str, str] | None:
    """The courtesy title a woman bears who uses the name of a titled (ex-)partner."""
    partner = name.partner
    if partner is None or name.geslacht != "V" or name.use == "E":
        return None
    return COURTESY.get(title_code(partner.adellijke_titel))


def _own_nobility(name: Name, *, needs_form: bool) -> str:
    """The person's own title or predicate as a word for the name, or "" where it is not borne."""
    code = name.title
    if not code or name.use == "P":
        return ""
    kind = TITLES[code][1]
    if kind == "predicaat" and name.geslacht == "V" and (name.has_current_partner or name.use != "E"):
        return ""
    if needs_form:
        return {"M": TITLES[code][2], "V": TITLES[code][3]}.get(name.geslacht, "")
    return TITLES[code][0].lower()


def _effective_use(name: Name) -> str:
    """E when the partner's surname, which the person would use, is empty or unknown."""
    partner = name.partner
    if name.use != "E" and (partner is None or not _surname(partner.geslachtsnaam)):
        return "E"
    return name.use


def _partner_part(name: Name, courtesy: str = "") -> str:
    partner = name.partner
    if partner is None:
        return ""
    return _join(courtesy, partner.voorvoegsel, _surname(partner.geslachtsnaam))


def aanschrijfwijze(name: Name) -> tuple[str, str]:
    """(naam, aanspreekvorm) for the envelope; the form of address only for nobility."""
    initials = voorletters(name.voornamen)
    own_surname = _join(name.voorvoegsel, _surname(name.geslachtsnaam))
    use = name.use
    courtesy = _courtesy(name)
    partner = _partner_part(name, courtesy[0] if courtesy else "")
    noble = _own_nobility(name, needs_form=False)
    form = courtesy[1] if courtesy else (ADDRESS_FORMS[name.title] if noble else "")
    if noble and TITLES[name.title][1] == "predicaat" and use in {"E", "N"}:
        text = _join(noble, initials, _compose(use, own_surname, partner))
    else:
        text = _join(initials, _compose(use, _join(noble, own_surname), partner))
    return _capital(_tidy(text)), form


def _salutation_of_title(name: Name) -> str:
    code = name.title
    if not code or _own_nobility(name, needs_form=False) == "":
        return ""
    if code in {"P", "PS"}:
        return "Hoogheid"
    if name.geslacht not in {"M", "V"}:
        return ""
    person = "heer" if name.geslacht == "M" else "vrouwe"
    return f"Hooggeboren {person}" if code in {"G", "GI"} else f"Hoogwelgeboren {person}"


def aanhef(name: Name) -> str:
    """The salutation of a letter; "" where the BRP gives none (an unknown surname that is used)."""
    courtesy = _courtesy(name)
    if courtesy is not None:
        return courtesy[2]
    titled = _salutation_of_title(name)
    if titled:
        return titled
    use = _effective_use(name)
    if use != "P" and not _surname(name.geslachtsnaam):
        return ""
    text = _tidy(_compose(use, _join(name.voorvoegsel, _surname(name.geslachtsnaam)), _partner_part(name)))
    if name.geslacht == "M":
        return f"Geachte heer {_capital(text)}"
    if name.geslacht == "V":
        return f"Geachte mevrouw {_capital(text)}"
    return _tidy(f"Geachte {_capital(_join(voorletters(name.voornamen), text))}")


def gebruik_in_lopende_tekst(name: Name) -> str:
    """The name in a sentence ("de heer In het Veld"); "" where the BRP gives none."""
    use = _effective_use(name)
    if use != "P" and not _surname(name.geslachtsnaam):
        return ""
    noble = _own_nobility(name, needs_form=True)
    own = _join(noble, name.voorvoegsel, _surname(name.geslachtsnaam))
    courtesy = _courtesy(name)
    partner = _partner_part(name, courtesy[0] if courtesy else "")
    text = _tidy(_compose(use, own, partner))
    if (noble and use in {"E", "N"}) or (courtesy and use in {"P", "V"}):
        return text
    if name.geslacht == "M":
        return f"de heer {_capital(text)}"
    if name.geslacht == "V":
        return f"mevrouw {_capital(text)}"
    return _capital(_tidy(f"{voorletters(name.voornamen)} {text}"))
