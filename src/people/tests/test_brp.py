"""The BRP: the local service answers per the OpenAPI specification (validated, not trusted), the
client reads it over HTTP, the resident form fills itself, every lookup is logged with its purpose,
and when the BRP does not answer the form says so and registering by hand goes on."""

import json
import re
import socket
import urllib.request

import pytest
from django.urls import reverse

from areas.factories import PostcodeAreaFactory
from people.brp import service
from people.models import Resident
from privacy.models import AccessLog, Action, Purpose

from .brp_contract import validate

NEW = reverse("people:resident_new")
ONE = "#/components/schemas/RaadpleegMetBurgerservicenummerResponse"
SEARCH = "#/components/schemas/ZoekMetGeslachtsnaamEnGeboortedatumResponse"
AT_ADDRESS = "#/components/schemas/ZoekMetPostcodeEnHuisnummerResponse"
AT_OBJECT = "#/components/schemas/ZoekMetAdresseerbaarObjectIdentificatieResponse"


def post(url: str, body: dict, key: str = "test-key") -> tuple[int, str, dict]:
    headers = {"Content-Type": "application/json", "X-API-KEY": key}
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - the local service
            return response.status, response.headers["Content-Type"], json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], json.loads(error.read())


ALL_FIELDS = [
    "burgerservicenummer",
    "aNummer",
    "naam",
    "geslacht",
    "geboorte",
    "overlijden",
    "verblijfplaats",
    "adressering",
    "partners",
    "kinderen",
    "ouders",
    "geheimhoudingPersoonsgegevens",
    "gemeenteVanInschrijving",
    "rni",
]


NAME_ALPHABET = re.compile(r"^[a-zA-Z0-9À-ž .\-']*$")  # the specification's pattern of names
PLACE_ALPHABET = re.compile(r"^[a-zA-Z0-9À-ž .\-'(),]*$")


def _odd_names() -> set[str]:
    """Test persons whose names (or the names of their partners, children and parents) in RvIG's set
    have characters the specification's patterns do not allow ("Rente @ 100%", a "?" among the given
    names): what is composed from them cannot match."""
    raw = json.loads(service.DATA.read_text(encoding="utf-8"))
    odd = set()
    for person in raw:
        related = [*(person.get("partners") or []), *(person.get("kinderen") or []), *(person.get("ouders") or [])]
        texts = [person.get("naam", {}), *(p.get("naam", {}) for p in related)]
        values = [v for t in texts for k, v in t.items() if isinstance(v, str)]
        place = ((person.get("geboorte") or {}).get("plaats") or {}).get("omschrijving", "")
        initials = service.names.voorletters(person.get("naam", {}).get("voornamen", ""))
        if (
            not PLACE_ALPHABET.match(place)
            or any(not NAME_ALPHABET.match(v) or len(v) > 200 for v in values)
            or len(initials) > 40
        ):
            odd.add(person["burgerservicenummer"])
    return odd


def test_every_test_person_is_answered_as_the_specification_says(local_brp):
    numbers = sorted(service.persons())
    assert len(numbers) == 800
    odd = _odd_names()
    assert len(odd) <= 12, odd
    for start in range(0, len(numbers), 20):
        status, kind, body = post(
            local_brp,
            {
                "type": "RaadpleegMetBurgerservicenummer",
                "burgerservicenummer": numbers[start : start + 20],
                "fields": ALL_FIELDS,
                "inclusiefOverledenPersonen": True,
            },
        )
        assert status == 200 and kind.startswith("application/json")
        problems = validate(body, ONE)
        for problem in problems:
            n = int(problem.strip("/").split("/")[1])
            assert body["personen"][n]["burgerservicenummer"] in odd and "does not match" in problem, problem


def test_fields_limit_the_answer_and_the_search_by_name_and_birth_date_answers_per_the_specification(local_brp):
    person = next(p for p in service.persons().values() if p["naam"].get("adellijkeTitelPredicaat"))
    _status, _kind, body = post(
        local_brp,
        {
            "type": "RaadpleegMetBurgerservicenummer",
            "burgerservicenummer": [person["burgerservicenummer"]],
            "fields": ["naam.geslachtsnaam", "adressering.aanschrijfwijze"],
            "inclusiefOverledenPersonen": True,
        },
    )
    (only,) = body["personen"]
    assert set(only) == {"naam", "adressering"} and set(only["naam"]) == {"geslachtsnaam"}
    assert set(only["adressering"]) == {"aanschrijfwijze"}
    status, _kind, found = post(
        local_brp,
        {
            "type": "ZoekMetGeslachtsnaamEnGeboortedatum",
            "geslachtsnaam": person["naam"]["geslachtsnaam"],
            "geboortedatum": person["geboorte"]["datum"]["datum"],
            "inclusiefOverledenPersonen": True,
            "fields": ["burgerservicenummer", "naam", "geboorte", "adressering"],
        },
    )
    assert status == 200 and validate(found, SEARCH) == []
    assert person["burgerservicenummer"] in [p["burgerservicenummer"] for p in found["personen"]]


def test_who_lives_at_an_address_is_answered_per_the_specification(local_brp):
    """ZoekMetPostcodeEnHuisnummer and ZoekMetAdresseerbaarObjectIdentificatie: everyone at the address
    (the dead only when asked), with the fields a search may give (PersoonBeperkt)."""
    at = {}
    for person in service.persons().values():
        place = person.get("verblijfplaats") or {}
        address = place.get("verblijfadres") or {}
        if address.get("postcode") and "huisletter" not in address and "huisnummertoevoeging" not in address:
            at.setdefault((address["postcode"], address["huisnummer"]), []).append(person)
    (postcode, number), living = next((k, v) for k, v in at.items() if 3 <= len(v) <= 6)
    fields = ["burgerservicenummer", "naam", "geslacht", "geboorte", "adressering"]
    query = {"type": "ZoekMetPostcodeEnHuisnummer", "postcode": postcode, "huisnummer": number, "fields": fields}
    status, _kind, body = post(local_brp, {**query, "inclusiefOverledenPersonen": True})
    assert status == 200 and validate(body, AT_ADDRESS) == []
    assert {p["burgerservicenummer"] for p in body["personen"]} == {p["burgerservicenummer"] for p in living}
    assert all("verblijfplaats" not in p and "partners" not in p for p in body["personen"])
    _status, _kind, alive = post(local_brp, {**query, "postcode": f"{postcode[:4]} {postcode[4:].lower()}"})
    assert {p["burgerservicenummer"] for p in alive["personen"]} == {
        p["burgerservicenummer"] for p in living if "overlijden" not in p
    }
    surname = living[0]["naam"]["geslachtsnaam"]
    _status, _kind, named = post(local_brp, {**query, "geslachtsnaam": surname, "inclusiefOverledenPersonen": True})
    assert {p["naam"]["geslachtsnaam"] for p in named["personen"]} == {surname}
    with_object = next(
        p
        for p in service.persons().values()
        if (p.get("verblijfplaats") or {}).get("adresseerbaarObjectIdentificatie")
    )
    status, _kind, body = post(
        local_brp,
        {
            "type": "ZoekMetAdresseerbaarObjectIdentificatie",
            "adresseerbaarObjectIdentificatie": with_object["verblijfplaats"]["adresseerbaarObjectIdentificatie"],
            "inclusiefOverledenPersonen": True,
            "fields": fields,
        },
    )
    assert status == 200 and validate(body, AT_OBJECT) == []
    assert with_object["burgerservicenummer"] in [p["burgerservicenummer"] for p in body["personen"]]


@pytest.mark.parametrize(
    "query",
    [
        {"postcode": "0123AB", "huisnummer": 1},
        {"postcode": "1234AB", "huisnummer": 0},
        {"postcode": "1234AB"},
        {"postcode": "1234AB", "huisnummer": "1"},
    ],
)
def test_a_bad_address_gets_a_problem_as_the_specification_says(local_brp, query):
    status, kind, problem = post(local_brp, {"type": "ZoekMetPostcodeEnHuisnummer", "fields": ["naam"], **query})
    assert status == 400 and kind == "application/problem+json"
    assert validate(problem, "#/components/schemas/BadRequestFoutbericht") == []


@pytest.mark.parametrize(
    ("body", "key", "status"),
    [
        (
            {"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": ["12"], "fields": ["naam"]},
            "test-key",
            400,
        ),
        ({"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": ["999993653"]}, "test-key", 400),
        ({"type": "Onbekend", "fields": ["naam"]}, "test-key", 400),
        (
            {"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": ["999993653"], "fields": ["naam"]},
            "",
            401,
        ),
    ],
)
def test_a_bad_question_gets_a_problem_as_the_specification_says(local_brp, body, key, status):
    answered, kind, problem = post(local_brp, body, key=key)
    assert answered == status and kind == "application/problem+json"
    assert problem["status"] == status and problem["title"]
    if status == 400:
        assert validate(problem, "#/components/schemas/BadRequestFoutbericht") == []


def a_person_with_a_partner() -> dict:
    return next(
        p
        for p in service.persons().values()
        if p.get("verblijfplaats", {}).get("type") == "Adres"
        and p["naam"].get("aanduidingNaamgebruik", {}).get("code") in {"P", "V", "N"}
        and "overlijden" not in p
    )


@pytest.mark.django_db
def test_a_social_worker_types_a_bsn_and_the_form_fills_itself(world, as_worker, brp):
    person = a_person_with_a_partner()
    bsn = person["burgerservicenummer"]
    response = as_worker.post(NEW, {"bsn": bsn, "brp": "1"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    form = response.context["form"]
    assert not form.is_bound and form.initial["geslachtsnaam"] == person["naam"]["geslachtsnaam"]
    assert form.initial["naamgebruik"] == person["naam"]["aanduidingNaamgebruik"]["code"]
    assert form.initial["birth_date"] == person["geboorte"]["datum"]["datum"]
    html = response.content.decode()
    assert 'id="resident-fields"' in html and person["naam"]["geslachtsnaam"] in html
    log = AccessLog.objects.get(action=Action.BRP_LOOKUP)
    assert log.user == world.worker and log.purpose == Purpose.REGISTRATION and bsn not in log.detail
    # Saving what the BRP gave registers the resident with the BRP's names, without typing them.
    PostcodeAreaFactory(postcode4=form.initial["postcode"][:4], area=world.area_a)
    data = dict(form.initial)
    saved = as_worker.post(NEW, data)
    assert saved.status_code == 302, saved.context["form"].errors if saved.context else saved
    resident = Resident.objects.get()
    assert resident.bsn == bsn and resident.aanschrijfwijze == person["adressering"]["aanschrijfwijze"]["naam"]
    assert resident.aanhef == person["adressering"]["aanhef"]


@pytest.mark.django_db
def test_surname_and_birth_date_find_the_person_in_the_brp(world, as_worker, brp):
    person = a_person_with_a_partner()
    response = as_worker.post(
        NEW,
        {
            "geslachtsnaam": person["naam"]["geslachtsnaam"],
            "birth_date": person["geboorte"]["datum"]["datum"],
            "brp": "1",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    choices = response.context["brp_choices"]
    assert form.initial.get("bsn") == person["burgerservicenummer"] or person["burgerservicenummer"] in [
        c.bsn for c in choices
    ]
    assert AccessLog.objects.filter(action=Action.BRP_LOOKUP, purpose=Purpose.REGISTRATION).exists()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db
def test_when_the_brp_does_not_answer_the_form_says_so_and_registering_by_hand_works(world, as_worker, settings):
    settings.BRP = {**settings.BRP, "URL": f"http://127.0.0.1:{_closed_port()}/personen", "TIMEOUT": 1}
    response = as_worker.post(NEW, {"bsn": "999993653", "geslachtsnaam": "Visser", "brp": "1"})
    assert response.status_code == 200
    assert "BRP" in response.context["brp_message"] and not response.context["brp_ok"]
    assert response.context["form"].initial["geslachtsnaam"] == "Visser", "what was typed stays"
    saved = as_worker.post(
        NEW, {"bsn": "999993653", "voornamen": "Jan", "geslachtsnaam": "Visser", "birth_date": "1970-01-01"}
    )
    assert saved.status_code == 302 and Resident.objects.get().geslachtsnaam == "Visser"


@pytest.mark.django_db
def test_without_a_brp_the_form_says_to_fill_in_by_hand(world, as_worker, settings):
    settings.BRP = {**settings.BRP, "URL": ""}
    response = as_worker.post(NEW, {"bsn": "999993653", "brp": "1"})
    assert response.status_code == 200 and not response.context["brp_ok"]
    assert not AccessLog.objects.filter(action=Action.BRP_LOOKUP).exists()


@pytest.mark.django_db
def test_refreshing_a_resident_from_the_brp_shows_what_changed_and_the_save_keeps_the_history(world, as_worker, brp):
    from people.factories import household_in
    from privacy.models import FieldChange

    person = a_person_with_a_partner()
    household = household_in(
        world.area_a,
        bsn=person["burgerservicenummer"],
        voornamen="Oud",
        geslachtsnaam=person["naam"]["geslachtsnaam"],
        birth_date=person["geboorte"]["datum"]["datum"],
    )
    resident = household.members.get().resident
    url = reverse("people:resident_edit", args=[resident.pk])
    response = as_worker.post(url, {"brp": "1"})
    assert response.status_code == 200
    changes = {label: (held, given) for label, held, given in response.context["brp_changes"]}
    assert changes["voornamen"] == ("Oud", person["naam"]["voornamen"])
    assert AccessLog.objects.filter(action=Action.BRP_LOOKUP, user=world.worker).exists()
    form = response.context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, False)}
    data.update(bsn="", reason="Bijgewerkt uit het BRP")
    saved = as_worker.post(url, data)
    assert saved.status_code == 302, saved.context["form"].errors if saved.context else saved
    resident.refresh_from_db()
    assert resident.voornamen == person["naam"]["voornamen"]
    change = FieldChange.objects.get(resident=resident, field="voornamen")
    assert (change.old, change.new, change.reason) == ("Oud", person["naam"]["voornamen"], "Bijgewerkt uit het BRP")
