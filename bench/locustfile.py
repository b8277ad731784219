"""A realistic mix for the load test: social workers doing their day's work.

Each simulated user is a real professional of the generated city with a session made beforehand
(bench/load.py writes bench/results/load_users.json): their cases, residents to look up and
households to open come from the database, so every request is one the gate allows.
"""

import json
import os
import random

from locust import HttpUser, between, task

USERS = json.loads(open(os.environ["WIJKTEAM_LOAD_USERS"], encoding="utf-8").read())  # noqa: SIM115


class SocialWorker(HttpUser):
    wait_time = between(0, 0)  # closed loop: throughput is what the server sustains

    def on_start(self) -> None:
        self.profile = random.choice(USERS)
        self.client.cookies.set("sessionid", self.profile["session"])
        self.client.cookies.set("csrftoken", self.profile["csrf"])

    @task(30)
    def my_work(self) -> None:
        self.client.get("/mijn-werk/", name="Mijn werk")

    @task(10)
    def search_name(self) -> None:
        self.client.get("/inwoners/", params={"q": random.choice(self.profile["names"])}, name="Search: name")

    @task(8)
    def search_postcode(self) -> None:
        self.client.get("/inwoners/", params={"q": random.choice(self.profile["postcodes"])}, name="Search: postcode")

    @task(5)
    def search_bsn(self) -> None:
        self.client.get("/inwoners/", params={"q": random.choice(self.profile["bsns"])}, name="Search: BSN")

    @task(15)
    def household(self) -> None:
        household = random.choice(self.profile["households"])
        self.client.get(f"/huishoudens/{household}/", name="Household dossier")

    @task(20)
    def case(self) -> None:
        case = random.choice(self.profile["cases"])
        self.client.get(f"/zaken/{case}/", name="Case page")

    @task(5)
    def case_list_api(self) -> None:
        self.client.get("/api/v1/cases/", params={"mine": "true"}, name="API: case list")

    @task(3)
    def note(self) -> None:
        case = random.choice(self.profile["cases"])
        self.client.post(
            f"/zaken/{case}/notitie/",
            {"text": "Telefonisch contact gehad; afspraak staat."},
            headers={"X-CSRFToken": self.profile["csrf"], "Referer": self.host},
            name="Add note (POST)",
            allow_redirects=False,
        )
