"""The kitchen-table conversation, the one plan per household and its versions, through HTTP."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cases.factories import CaseFactory
from cases.models import CaseInvolvement
from conftest import login
from people.factories import NetworkMemberFactory
from plans.models import Arrangement, Goal, GoalStatus, Plan, PlanVersion
from privacy.models import AccessLog
from provisions.models import Provision
from zrm.models import LifeDomain


@pytest.fixture
def case(world):
    case = CaseFactory(team=world.team_a, regisseur=world.worker)
    resident = case.resident
    resident.voornamen, resident.geslachtsnaam = "Zoë", "van IJsselstein"
    resident.save()
    return case


@pytest.fixture
def plan(world, case, as_worker):
    as_worker.post(reverse("plans:start", args=[case.household_id]))
    return Plan.objects.get(household=case.household)


def _p(prefix: str, data: dict) -> dict:
    """Goal, action and arrangement forms share the plan page, so their fields carry a prefix."""
    return {f"{prefix}-{key}": value for key, value in data.items()}


def _goal_data(plan, **extra):
    return _p(
        "doel",
        {
            "version": plan.version,
            "domain": LifeDomain.objects.get(code="financien").pk,
            "description": "Administratie op orde: elke maand samen de post doornemen",
            "target_score": 4,
            "due_on": (timezone.localdate() + timedelta(days=90)).isoformat(),
            "status": GoalStatus.OPEN,
            **extra,
        },
    )


def test_conversation_is_recorded_with_network_commitments_and_a_report(world, case, as_worker):
    father = NetworkMemberFactory(resident=case.resident, name="Henk", relation="familie")
    url = reverse("plans:conversation_new", args=[case.pk])
    page = as_worker.get(url)
    assert page.status_code == 200
    assert page.context["form"]["question_asked"].value() == case.question  # pre-filled
    response = as_worker.post(
        url,
        {
            "held_on": timezone.localdate().isoformat(),
            "place": "Thuis in Nijlân, aan de keukentafel",
            "residents": [case.resident_id],
            "network_members": [father.pk],
            "question_asked": "Hulp bij de post.",
            "question_behind": "Sinds het overlijden van haar man overziet ze de geldzaken niet.",
            "own_strength": "Kookt zelf, doet de was.",
            "network_strength": "Zoon helpt graag.",
            f"commitment_{father.pk}": "Doet eens per drie weken de boodschappen",
            "conclusion": "Samen de administratie op orde brengen.",
        },
    )
    assert response.status_code == 302
    conversation = case.conversations.get()
    assert conversation.commitments.get().text == "Doet eens per drie weken de boodschappen"
    detail = as_worker.get(response["Location"])
    assert "Doet eens per drie weken de boodschappen" in detail.content.decode()

    comment = as_worker.post(response["Location"], {"text": "Mijn dochter helpt ook.", "received_on": ""})
    assert comment.status_code == 400  # the date is required
    as_worker.post(
        response["Location"],
        {"text": "Mijn dochter helpt ook; we gaan samen ĳs eten.", "received_on": timezone.localdate().isoformat()},
    )
    pdf = as_worker.get(reverse("plans:conversation_pdf", args=[case.pk, conversation.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Zoë" in text and "IJsselstein" in text and "Nijlân" in text and "ĳs eten" in text
    assert "eens per drie weken" in text and "Mijn dochter helpt ook" in text
    assert AccessLog.objects.filter(case_id=case.pk, action="print").exists()


def test_conversation_needs_question_and_conclusion_only(case, as_worker):
    response = as_worker.post(
        reverse("plans:conversation_new", args=[case.pk]), {"held_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"question_asked", "conclusion"}
    assert not case.conversations.exists()


def test_plan_with_goal_action_and_versions(world, case, plan, as_worker):
    assert plan.regisseur == world.worker and plan.version == 1
    response = as_worker.post(reverse("plans:edit", args=[case.household_id, "doel"]), _goal_data(plan))
    assert response.status_code == 302
    goal = Goal.objects.get(plan=plan)
    plan.refresh_from_db()
    response = as_worker.post(
        reverse("plans:edit", args=[case.household_id, "actie"]),
        _p(
            "actie",
            {
                "version": plan.version,
                "goal": goal.pk,
                "description": "Post sorteren in drie bakjes",
                "actor": "inwoner",
                "status": "te_doen",
            },
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    plan.refresh_from_db()
    assert plan.version == 3
    assert sorted(plan.versions.values_list("number", flat=True)) == [1, 2, 3]
    page = as_worker.get(reverse("plans:versions", args=[case.household_id]) + "?a=1&b=3")
    assert page.status_code == 200
    changes = page.context["comparison"]["changes"]
    assert any("Administratie op orde" in change for change in changes)
    assert any("Post sorteren" in change for change in changes)


def test_second_save_on_an_old_version_is_refused_and_nothing_is_overwritten(world, case, plan, as_worker):
    CaseInvolvement.objects.create(case=case, user=world.colleague)
    as_colleague = login(world.colleague)  # involved too: both have the plan open on the same version
    opened_version = plan.version
    first = as_worker.post(
        reverse("plans:edit", args=[case.household_id, "gegevens"]),
        {"version": opened_version, "summary": "Rust in de administratie", "agreement": "", "agreed_on": ""},
    )
    assert first.status_code == 302
    second = as_colleague.post(
        reverse("plans:edit", args=[case.household_id, "gegevens"]),
        {"version": opened_version, "summary": "Iets heel anders", "agreement": "", "agreed_on": ""},
    )
    assert second.status_code == 409
    body = second.content.decode()
    assert "Rust in de administratie" in body  # what changed in between is shown
    assert second.context["form"]["summary"].value() == "Iets heel anders"  # and the input is kept
    assert second.context["form"]["version"].value() == str(opened_version + 1)
    plan.refresh_from_db()
    assert plan.summary == "Rust in de administratie" and plan.version == opened_version + 1
    assert PlanVersion.objects.filter(plan=plan).count() == 2


def test_agreement_needs_how_and_a_past_date(case, plan, as_worker):
    url = reverse("plans:edit", args=[case.household_id, "gegevens"])
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = as_worker.post(url, {"version": plan.version, "summary": "", "agreed_on": tomorrow, "agreement": ""})
    assert response.status_code == 400
    assert {"agreement", "agreed_on"} <= set(response.context["form"].errors)
    plan.refresh_from_db()
    assert plan.version == 1


def test_asked_versus_arranged_costs_and_plan_pdf(world, case, plan, as_worker):
    provision = Provision.objects.filter(municipality=world.municipality).first()
    url = reverse("plans:edit", args=[case.household_id, "regeling"])
    base = {"source": "natura", "frequency": "eenmalig", "quantity": 1}
    as_worker.post(
        url,
        _p(
            "regeling",
            {**base, "version": plan.version, "asked_for": "on", "description": "Traplift", "unit_price": "9500.00"},
        ),
    )
    plan.refresh_from_db()
    response = as_worker.post(
        url,
        _p(
            "regeling",
            {
                **base,
                "version": plan.version,
                "description": "Tweede stofzuiger boven",
                "unit_price": "149.00",
                "provision": provision.pk if provision else "",
            },
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    costs = as_worker.get(reverse("plans:plan", args=[case.household_id])).context["costs"]
    assert (costs.asked, costs.arranged) == (Decimal("9500.00"), Decimal("149.00"))
    assert Arrangement.objects.filter(plan=plan).count() == 2
    pdf = as_worker.get(reverse("plans:pdf", args=[case.household_id]))
    assert pdf.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Zoë" in text and "stofzuiger" in text


def test_plan_page_query_count_does_not_grow_with_goals(world, case, plan, as_worker):
    url = reverse("plans:plan", args=[case.household_id])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert as_worker.get(url).status_code == 200
        return len(captured)

    plan.refresh_from_db()
    as_worker.post(reverse("plans:edit", args=[case.household_id, "doel"]), _goal_data(plan))
    few = queries()
    for n in range(4):
        plan.refresh_from_db()
        as_worker.post(
            reverse("plans:edit", args=[case.household_id, "doel"]), _goal_data(plan, description=f"Doel {n}")
        )
    assert queries() == few


@pytest.mark.parametrize(
    "name,args",
    [
        ("plans:conversation_new", "case"),
        ("plans:plan", "household"),
        ("plans:versions", "household"),
        ("plans:pdf", "household"),
        ("zrm:new", "case"),
    ],
)
def test_another_team_gets_404(case, plan, as_outsider, name, args):
    arg = case.pk if args == "case" else case.household_id
    assert as_outsider.get(reverse(name, args=[arg])).status_code == 404
    assert as_outsider.post(reverse(name, args=[arg]), {}).status_code in {404, 405}


def test_another_team_cannot_reach_a_conversation_or_edit_the_plan(world, case, plan, as_worker, as_outsider):
    as_worker.post(
        reverse("plans:conversation_new", args=[case.pk]),
        {"held_on": timezone.localdate().isoformat(), "question_asked": "x", "conclusion": "y"},
    )
    conversation = case.conversations.get()
    for url in (
        reverse("plans:conversation", args=[case.pk, conversation.pk]),
        reverse("plans:conversation_pdf", args=[case.pk, conversation.pk]),
        reverse("plans:edit", args=[case.household_id, "doel"]),
    ):
        assert as_outsider.get(url).status_code == 404
    response = as_outsider.post(reverse("plans:edit", args=[case.household_id, "doel"]), _goal_data(plan))
    assert response.status_code == 404
    assert not Goal.objects.exists()


def test_a_period_counts_its_last_day_too(world, case, plan, as_worker):
    """6 hours a week at EUR 62.50 from 1 December 2026 up to and including 31 January 2027: 62
    days, not 61 (the arrangement's "tot en met")."""
    response = as_worker.post(
        reverse("plans:edit", args=[case.household_id, "regeling"]),
        _p(
            "regeling",
            {
                "version": plan.version,
                "source": "natura",
                "frequency": "week",
                "quantity": 6,
                "unit_price": "62.50",
                "description": "Begeleiding thuis",
                "starts_on": "2026-12-01",
                "ends_on": "2027-01-31",
            },
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    costs = as_worker.get(reverse("plans:plan", args=[case.household_id])).context["costs"]
    # 375 a week x 62 days / 30.4375 days a month x 4.33 weeks a month
    assert costs.arranged == (Decimal(375) * 62 / Decimal("30.4375") * Decimal("4.33")).quantize(Decimal("0.01"))
    assert costs.arranged == Decimal("3307.52")


def test_the_action_form_is_all_dutch(case, plan, as_worker):
    """Its goal field was labelled "Goal": a field without a translated name."""
    form = as_worker.get(reverse("plans:edit", args=[case.household_id, "actie"])).context["form"]
    assert {str(field.label) for field in form} >= {"Doel", "Actie"}
    assert "Goal" not in {str(field.label) for field in form}


def test_a_one_off_purchase_reads_as_a_day_not_an_open_period(case, plan, as_worker):
    url = reverse("plans:edit", args=[case.household_id, "regeling"])
    data = {"source": "natura", "frequency": "eenmalig", "quantity": 1, "version": plan.version}
    data |= {"description": "Douchestoel", "unit_price": "89.00", "starts_on": "2026-12-07"}
    assert as_worker.post(url, _p("regeling", data)).status_code == 302
    page = as_worker.get(reverse("plans:plan", args=[case.household_id])).content.decode()
    assert "op 7-12-2026" in page
    assert "7-12-2026 \N{EN DASH} \N{HORIZONTAL ELLIPSIS}" not in page
