"""Files that must never be read as a message: each is refused with HTTP 400 and a reason in
plain Dutch, nothing is stored, and nothing outside the file is ever fetched or read."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import login
from maatwerk.factories import beschikker_of, customised_provision
from maatwerk.models import AllocationRequest, Message
from maatwerk.samples import request_315
from people.factories import valid_bsn
from wijkteam.reference import data_path

pytestmark = pytest.mark.django_db


def valid(world) -> bytes:
    provider = customised_provision(world.municipality).providers.first()
    return request_315(agb=provider.agb_code, municipality=world.municipality.code, bsn=valid_bsn(1))


def body_of(content: bytes) -> bytes:
    """The message without its XML declaration."""
    return content.split(b"\n", 1)[1]


HOSTILE = {
    "internal entity": lambda ok: (
        b'<?xml version="1.0"?>\n<!DOCTYPE b [<!ENTITY x "Hoekstra">]>\n'
        + body_of(ok).replace(b">Hoekstra<", b">&x;<")
    ),
    "XXE to a local file": lambda ok: (
        b'<?xml version="1.0"?>\n<!DOCTYPE b [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        + body_of(ok).replace(b">Hoekstra<", b">&x;<")
    ),
    "DOCTYPE with a parameter entity": lambda ok: (
        b'<?xml version="1.0"?>\n<!DOCTYPE b [<!ENTITY % p SYSTEM "http://127.0.0.1:9/evil.dtd"> %p;]>\n' + body_of(ok)
    ),
    "DOCTYPE pointing to a local file": lambda ok: (
        b'<?xml version="1.0"?>\n<!DOCTYPE b SYSTEM "/etc/passwd">\n' + body_of(ok)
    ),
    "billion laughs": lambda ok: (
        b'<?xml version="1.0"?>\n<!DOCTYPE b [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n'
        + body_of(ok).replace(b">Hoekstra<", b">&c;<")
    ),
    "XInclude of a local file": lambda ok: ok.replace(b"<wmo315:Commentaar>", b"<wmo315:Commentaar>").replace(
        b"<wmo315:AangevraagdeProducten>",
        b'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" parse="text"/>'
        b"<wmo315:AangevraagdeProducten>",
    ),
    "external schema location": lambda ok: ok.replace(
        b"<wmo315:Bericht ",
        b'<wmo315:Bericht xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        b'xsi:schemaLocation="http://www.istandaarden.nl/iwmo/3_2/wmo315/schema http://127.0.0.1:9/evil.xsd" ',
    ).replace(b">Hoekstra<", b"><"),
    "deep nesting": lambda ok: b"<a>" * 5000 + b"</a>" * 5000,
    "moderately deep nesting": lambda ok: ok.replace(
        b"</wmo315:Client>", b"<x>" * 40 + b"</x>" * 40 + b"</wmo315:Client>"
    ),
    "wrong encoding (declared)": lambda ok: ok.replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"'),
    "wrong encoding (bytes)": lambda ok: ok.replace(b">Hoekstra<", b">Hoekstr\xe9<"),
    "UTF-16": lambda ok: ok.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"),
    "not XML": lambda ok: b"%PDF-1.7\n",
    "empty": lambda ok: b"",
    "a valid message of the wrong type": lambda ok: data_path(
        "istandaarden", "voorbeelden", "WMO301.xml"
    ).read_bytes(),
    "an older release": lambda ok: ok.replace(b"/3_2/", b"/3_1/"),
    "20 MB": lambda ok: ok.replace(
        b"</wmo315:Bericht>", b"<!--" + b"x" * (20 * 1024 * 1024) + b"--></wmo315:Bericht>"
    ),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_file_is_refused_with_400_and_nothing_is_stored(world, name):
    content = HOSTILE[name](valid(world))
    client = login(beschikker_of(world.municipality))
    response = client.post(
        reverse("maatwerk:messages"), {"message": SimpleUploadedFile("bericht.xml", content, "application/xml")}
    )
    page = response.content.decode()
    assert response.status_code == 400, name
    assert "niets opgeslagen" in page or (name == "empty" and "leeg" in page)  # the form says so beside the field
    assert "root:" not in page and "/bin/" not in page  # nothing of /etc/passwd
    assert not Message.objects.exists() and not AllocationRequest.objects.exists()


def test_the_refusals_say_what_was_found_where(world):
    ok = valid(world)
    client = login(beschikker_of(world.municipality))

    def refusal(name: str) -> str:
        response = client.post(
            reverse("maatwerk:messages"),
            {"message": SimpleUploadedFile("b.xml", HOSTILE[name](ok), "application/xml")},
        )
        return response.content.decode()

    assert "WMO315 (verzoek om toewijzing), regel 2: het bestand bevat een DOCTYPE-declaratie" in refusal(
        "XXE to a local file"
    )
    assert "ISO-8859-1" in refusal("wrong encoding (declared)")
    assert "0xE9 is geen UTF-8" in refusal("wrong encoding (bytes)")
    assert "te diep genest" in refusal("deep nesting") and "te diep genest" in refusal("moderately deep nesting")
    assert "WMO301 (toewijzing)" in refusal("a valid message of the wrong type")
    assert "3.1" in refusal("an older release")
    assert "20,0 MB" in refusal("20 MB") and "WMO315" in refusal("20 MB")
    assert "veld include" in refusal("XInclude of a local file")
    assert "veld Achternaam" in refusal("external schema location")


def test_an_impossible_date_is_named_in_its_own_field_with_its_value(world):
    """The outside test found "veld ToewijzingEinddatum: '' is geen geldige waarde" for a JW315 whose
    date 2027-06-31 does not exist: the field and the value must be the ones in the file."""
    from datetime import date

    provider = customised_provision(world.municipality, category="45", framework="jeugdwet").providers.first()
    content = request_315(
        "JW315",
        agb=provider.agb_code,
        municipality=world.municipality.code,
        bsn=valid_bsn(1),
        category="45",
        ends_on=date(2027, 6, 30),
    ).replace(b"2027-06-30", b"2027-06-31")
    response = login(beschikker_of(world.municipality)).post(
        reverse("maatwerk:messages"), {"message": SimpleUploadedFile("b.xml", content, "application/xml")}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "JW315 (verzoek om toewijzing), regel " in page
    assert "veld ToewijzingEinddatum (Client / AangevraagdeProducten / AangevraagdProduct)" in page
    assert "&#x27;2027-06-31&#x27; is geen geldige datum (JJJJ-MM-DD)" in page
    assert not Message.objects.exists()
