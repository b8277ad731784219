import io

from django.conf import settings
from django.core.management import call_command


def test_committed_openapi_schema_is_up_to_date():
    """docs/api/openapi.yaml is what the code publishes; `make schema` regenerates it."""
    generated = io.StringIO()
    call_command("spectacular", "--lang", "nl", "--validate", "--fail-on-warn", stdout=generated)
    committed = (settings.BASE_DIR / "docs" / "api" / "openapi.yaml").read_text(encoding="utf-8")
    assert generated.getvalue() == committed, "Run `make schema` and commit docs/api/openapi.yaml"


def test_every_operation_documents_its_errors_as_problems():
    """400, 403 and 404 everywhere; 413 and 415 with a body; 401 where a key is asked; 429 with
    Retry-After where a throttle counts (issue 18). Schemathesis checks the answers against them."""
    import yaml

    schema = yaml.safe_load((settings.BASE_DIR / "docs" / "api" / "openapi.yaml").read_text(encoding="utf-8"))
    assert set(schema["components"]["schemas"]["Problem"]["required"]) == {"type", "title", "status"}
    operations = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    assert len(operations) > 20
    for path, method, operation in operations:
        responses = operation["responses"]
        expected = {"400", "403", "404"} | ({"413", "415"} if method == "post" else set())
        if path.startswith(("/api/v1/verwijzingen", "/api/v1/bekendheidsvraag")):
            expected.add("401")
        if path == "/api/v1/bekendheidsvraag/":
            expected.add("429")
            assert "Retry-After" in responses["429"]["headers"]
        assert expected <= set(responses), (method, path, sorted(responses))
        for status in expected:
            content = responses[status]["content"]
            assert content == {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
