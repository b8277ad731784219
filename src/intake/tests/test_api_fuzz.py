"""Schemathesis against the committed OpenAPI schema: generated valid and invalid requests to the
partner endpoints never cause a server error, and every error is a problem-details body."""

import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error

from areas.factories import MunicipalityFactory
from intake.models import PartnerToken
from partners.factories import OrganisationFactory

schema = schemathesis.openapi.from_path(settings.BASE_DIR / "docs" / "api" / "openapi.yaml")
schema.app = get_wsgi_application()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's own test client does: a request must not close the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def partner_key(db):
    organisation = OrganisationFactory(municipality=MunicipalityFactory(), name="Huisarts Fuzz")
    return PartnerToken.issue(organisation=organisation, name="fuzz")[1]


PARTNER_OPERATIONS = [
    result.ok()
    for result in schema.include(path_regex=r"^/api/v1/(verwijzingen|bekendheidsvraag)").get_all_operations()
]


# One test per operation, named after it: a distinct id per operation keeps every one of them when
# the suite runs in parallel (pytest-xdist runs tests by id).
@pytest.mark.parametrize("operation", PARTNER_OPERATIONS, ids=lambda operation: operation.label)
def test_partner_api_has_no_server_errors(operation, partner_key):
    @given(case=operation.as_strategy())
    @hypothesis_settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    def call(case):
        response = case.call(headers={"Authorization": f"Token {partner_key}"})
        case.validate_response(response, checks=[not_a_server_error])
        if response.status_code >= 400:
            assert response.headers["content-type"] == ["application/problem+json"]

    call()
