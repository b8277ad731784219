"""The public self-referral form: no login, lands in the team's queue, rate- and size-limited."""

from django.test import Client
from django.urls import reverse

from areas.factories import PostcodeAreaFactory
from intake.models import Referral, ReferralSource
from intake.views import SELF_REFERRAL_LIMIT

FORM = {
    "name": "Sietske Bosma",
    "phone": "06 12345678",
    "postcode": "8921 AB",
    "huisnummer": "4",
    "concern": "Ik kan mijn post niet meer bijhouden.",
    "privacy": "on",
}


def test_a_resident_asks_for_help_without_logging_in(world, as_worker):
    PostcodeAreaFactory(postcode4="8921", area=world.area_a)
    page = Client().get(reverse("intake:self_referral"))
    assert page.status_code == 200 and "112" in page.content.decode()
    response = Client().post(reverse("intake:self_referral"), FORM)
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.source == ReferralSource.SELF and referral.team == world.team_a
    assert [r.pk for r in as_worker.get(reverse("intake:referrals")).context["referrals"]] == [referral.pk]


def test_privacy_statement_and_a_way_to_reach_them_are_required(world):
    response = Client().post(reverse("intake:self_referral"), {**FORM, "privacy": "", "phone": ""})
    assert response.status_code == 200
    assert {"privacy", "phone"} <= set(response.context["form"].errors)
    assert not Referral.objects.exists()


def test_rate_limited_per_address(world):
    client = Client(REMOTE_ADDR="192.0.2.7")
    for _ in range(SELF_REFERRAL_LIMIT):
        assert client.post(reverse("intake:self_referral"), FORM).status_code == 302
    refused = client.post(reverse("intake:self_referral"), FORM)
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    assert Referral.objects.count() == SELF_REFERRAL_LIMIT
    assert Client(REMOTE_ADDR="192.0.2.8").post(reverse("intake:self_referral"), FORM).status_code == 302


def test_size_limited(world):
    response = Client().post(reverse("intake:self_referral"), {**FORM, "concern": "x" * 20_000})
    assert response.status_code == 413 and not Referral.objects.exists()
    response = Client().post(reverse("intake:self_referral"), {**FORM, "concern": "x" * 2_500})
    assert response.status_code == 200 and "concern" in response.context["form"].errors


def test_a_robot_filling_the_hidden_field_is_thanked_but_not_stored(world):
    assert Client().post(reverse("intake:self_referral"), {**FORM, "website": "http://spam"}).status_code == 302
    assert not Referral.objects.exists()
