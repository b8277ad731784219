"""A realistic mix for the load test: social workers doing their day's work.

Each simulated user is a real professional of the generated city with a session made beforehand
(bench/load.py writes bench/results/load_users.json): their cases, residents to look up and
households to open come from the database, so every request is one the gate allows.
"""

import json
import os
import random
from urllib.parse import urlencode

from locust import FastHttpUser, between, task

USERS = json.loads(open(os.environ["WIJKTEAM_LOAD_USERS"], encoding="utf-8").read())  # noqa: SIM115


class SocialWorker(FastHttpUser):
    """FastHttpUser (geventhttpclient): the load generator shares the two cores with the server,
    so its own CPU per request should be small."""

    wait_time = between(0, 0)  # closed loop: throughput is what the server sustains

    def on_start(self) -> None:
        self.profile = random.choice(USERS)
        self.cookie = {"Cookie": f"sessionid={self.profile['session']}; csrftoken={self.profile['csrf']}"}

    def get(self, path: str, name: str, params: dict | None = None) -> None:
        url = f"{path}?{urlencode(params)}" if params else path
        self.client.get(url, name=name, headers=self.cookie)

    @task(30)
    def my_work(self) -> None:
        self.get("/mijn-werk/", "Mijn werk")

    @task(10)
    def search_name(self) -> None:
        self.get("/inwoners/", "Search: name", {"q": random.choice(self.profile["names"])})

    @task(8)
    def search_postcode(self) -> None:
        self.get("/inwoners/", "Search: postcode", {"q": random.choice(self.profile["postcodes"])})

    @task(5)
    def search_bsn(self) -> None:
        self.get("/inwoners/", "Search: BSN", {"q": random.choice(self.profile["bsns"])})

    @task(15)
    def household(self) -> None:
        household = random.choice(self.profile["households"])
        self.get(f"/huishoudens/{household}/", "Household dossier")

    @task(20)
    def case(self) -> None:
        case = random.choice(self.profile["cases"])
        self.get(f"/zaken/{case}/", "Case page")

    @task(5)
    def plan(self) -> None:
        if self.profile["plans"]:
            self.get(f"/huishoudens/{random.choice(self.profile['plans'])}/plan/", "Plan")

    @task(3)
    def resident_search_api(self) -> None:
        self.get("/api/v1/residents/", "API: resident search", {"q": random.choice(self.profile["names"])})

    @task(5)
    def case_list_api(self) -> None:
        self.get("/api/v1/cases/", "API: case list", {"mine": "true"})

    @task(3)
    def note(self) -> None:
        case = random.choice(self.profile["cases"])
        self.client.post(
            f"/zaken/{case}/notitie/",
            data=urlencode({"text": "Telefonisch contact gehad; afspraak staat."}),
            headers={
                **self.cookie,
                "Content-Type": "application/x-www-form-urlencoded",
                "X-CSRFToken": self.profile["csrf"],
                "Referer": self.host,
            },
            name="Add note (POST)",
            allow_redirects=False,
        )
