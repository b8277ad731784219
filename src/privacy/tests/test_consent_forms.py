"""Recording consent without friction (issue 23): every label of the consent page points at an id
of its own (it pointed at the hidden withdraw forms: ``id_form_0`` four times), one consent covers
several partners, and a case conference whose partner lacks consent keeps what was written and
records the consent given at the table."""

from collections import Counter
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.factories import CaseFactory
from contacts.models import CaseConference
from partners.factories import OrganisationFactory
from privacy.factories import ConsentFactory
from privacy.models import Consent, ConsentMode

pytestmark = pytest.mark.django_db


class Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter = Counter()
        self.label_targets: list[str] = []
        self.inputs: dict[str, dict] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids[attrs["id"]] += 1
            if tag == "input":
                self.inputs[attrs["id"]] = attrs
        if tag == "label" and attrs.get("for"):
            self.label_targets.append(attrs["for"])


def parsed(response) -> Ids:
    ids = Ids()
    ids.feed(response.content.decode())
    return ids


@pytest.fixture
def case(world):
    return CaseFactory(team=world.team_a, regisseur=world.worker)


@pytest.fixture
def partners(world):
    return [
        OrganisationFactory(municipality=world.municipality, name=name)
        for name in ("Kredietbank Leeuwarden", "GGD Fryslân", "Woningcorporatie Elkien")
    ]


def test_every_label_of_the_consent_page_targets_an_id_of_its_own(world, case, partners, as_worker):
    for partner in partners:  # three consents, each with its own withdraw form on the page
        ConsentFactory(resident=case.resident, organisation=partner, recorded_by=world.worker)
    page = parsed(as_worker.get(reverse("people:consents", args=[case.household_id])))
    assert [key for key, count in page.ids.items() if count > 1] == []
    assert all(page.ids[target] == 1 for target in page.label_targets), page.label_targets
    # "Mondeling" of the new consent's "How given" is a radio of that form, not of a withdraw form
    verbal = [key for key, attrs in page.inputs.items() if attrs.get("value") == ConsentMode.VERBAL]
    assert len(verbal) == 1 + len(partners)
    assert [key for key in verbal if attrs_name(page, key) == "form"] and len(set(verbal)) == len(verbal)


def attrs_name(page: Ids, key: str) -> str:
    return page.inputs[key].get("name", "")


def test_one_consent_for_several_partners(world, case, partners, as_worker):
    today = timezone.localdate()
    response = as_worker.post(
        reverse("people:consents", args=[case.household_id]),
        {
            "resident": case.resident_id,
            "organisation": [partner.pk for partner in partners],
            "categories": ["personalia", "vraag", "plan"],
            "purpose": "Casusoverleg over de schulden",
            "form": ConsentMode.VERBAL,
            "given_on": today.isoformat(),
            "expires_on": "",
        },
    )
    assert response.status_code == 302
    assert sorted(Consent.objects.values_list("organisation__name", flat=True)) == sorted(p.name for p in partners)
    # none chosen: refused beside the field, nothing recorded
    before = Consent.objects.count()
    refused = as_worker.post(
        reverse("people:consents", args=[case.household_id]),
        {"resident": case.resident_id, "categories": ["vraag"], "purpose": "x", "form": ConsentMode.VERBAL},
    )
    assert refused.status_code == 400 and "organisation" in refused.context["form"].errors
    assert Consent.objects.count() == before


def test_the_case_conference_keeps_its_input_and_records_consent_given_at_the_table(world, case, partners, as_worker):
    url = reverse("contacts:conference_new", args=[case.pk])
    data = {
        "day": timezone.localdate().isoformat(),
        "at": "00:00",
        "organisations": [partners[0].pk, partners[1].pk],
        "decisions": "Schuldhulp via de Kredietbank; de GGD komt op huisbezoek.",
    }
    refused = as_worker.post(url, data)
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Schuldhulp via de Kredietbank; de GGD komt op huisbezoek." in page  # nothing lost
    assert 'name="consent_now"' in page  # the consent can be recorded right here
    assert not CaseConference.objects.exists() and not Consent.objects.exists()

    done = as_worker.post(url, {**data, "consent_now": [partners[0].pk, partners[1].pk], "consent_form": "mondeling"})
    assert done.status_code == 302
    conference = CaseConference.objects.get()
    assert set(conference.organisations.all()) == {partners[0], partners[1]}
    consents = Consent.objects.filter(resident=case.resident)
    assert {c.organisation for c in consents} == {partners[0], partners[1]}
    assert all(c.form == ConsentMode.VERBAL and set(c.categories) >= {"personalia", "vraag", "plan"} for c in consents)
