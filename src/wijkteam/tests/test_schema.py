import io

from django.conf import settings
from django.core.management import call_command


def test_committed_openapi_schema_is_up_to_date():
    """docs/api/openapi.yaml is what the code publishes; `make schema` regenerates it."""
    generated = io.StringIO()
    call_command("spectacular", "--lang", "nl", "--validate", "--fail-on-warn", stdout=generated)
    committed = (settings.BASE_DIR / "docs" / "api" / "openapi.yaml").read_text(encoding="utf-8")
    assert generated.getvalue() == committed, "Run `make schema` and commit docs/api/openapi.yaml"
