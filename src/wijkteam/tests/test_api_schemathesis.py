"""Schemathesis over every operation of the committed OpenAPI schema, signed in as a team leader
(and the partner endpoints with a partner key, which the partner API's own fuzz test did before):
generated valid and invalid requests never cause a server error, and every answer is one the schema
documents — its status, its content type (errors are RFC 9457 problems), its body and its headers
(issue 18: the schema documented no errors)."""

import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conftest import login
from intake.models import PartnerToken
from partners.factories import OrganisationFactory

schema = schemathesis.openapi.from_path(settings.BASE_DIR / "docs" / "api" / "openapi.yaml")
schema.app = get_wsgi_application()

PARTNER_PATHS = ("/api/v1/verwijzingen", "/api/v1/bekendheidsvraag")
CSRF = "a" * 32  # a CSRF secret of our own, sent as cookie and header as a browser would


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's own test client does: a request must not close the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def headers(world):
    session = login(world.leader).cookies[settings.SESSION_COOKIE_NAME].value
    key = PartnerToken.issue(organisation=OrganisationFactory(municipality=world.municipality), name="fuzz")[1]
    return {
        "session": {
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={CSRF}",
            "X-CSRFToken": CSRF,
        },
        "partner": {"Authorization": f"Token {key}"},
    }


@schema.parametrize()
@hypothesis_settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
def test_every_operation_answers_only_what_it_documents(case, headers):
    who = "partner" if case.path.startswith(PARTNER_PATHS) else "session"
    response = case.call(headers=headers[who])
    case.validate_response(
        response,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
            response_headers_conformance,
        ],
    )
