"""Scenario 8: the widow asks what is known about her. The privacy officer finds her by BSN and
hands her one document with everything held, including who opened her dossier and when; the
access review shows the demo's planted misuse."""

import re

from playwright.sync_api import expect

WIDOW_BSN = "999993185"  # the official BRP test person the demo uses for scenario 1


def test_resident_file_and_access_review(journey):
    journey.login("privacy")
    expect(journey.page.get_by_role("heading", level=1)).to_have_text("Controle toegang")
    signals = journey.page.get_by_role("table", name=re.compile("signa"))
    expect(signals).to_contain_text("Veel dossiers binnen een uur")
    # the partners' bekendheidsvragen beside their referrals: the demo's police asked once
    known = journey.page.get_by_role("region", name=re.compile("Bekendheidsvragen"))
    expect(known.get_by_role("table")).to_contain_text("Politie")

    with journey.task("right of access: find the resident and hand over the file"):
        journey.follow("Verzoeken van inwoners", step="requests")
        journey.fill("BSN", WIDOW_BSN)
        journey.submit("Zoeken", step="request-found")
        journey.follow("Ingrid van der Meiden", step="resident-file")
    main = journey.page.get_by_role("main")
    expect(main).to_contain_text("Wie uw dossier heeft geopend")
    expect(main).to_contain_text("Sietske Hoekstra")
    pdf = journey.page.get_by_role("link", name=re.compile("Document voor de inwoner"))
    response = journey.page.request.get(journey.base_url + pdf.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    data = journey.page.request.get(
        journey.base_url + journey.page.get_by_role("link", name=re.compile("Machineleesbaar")).get_attribute("href")
    ).json()
    assert data["resident"]["bsn"] == WIDOW_BSN and len(data["access_log"]) > 0
