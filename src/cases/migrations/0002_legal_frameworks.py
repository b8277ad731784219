"""The legal frameworks a case is processed under, with default retention terms.

The terms are defaults for a municipality's archivist to confirm (docs/privacy.md): they are
settings in the admin, not rules in code.
"""

from django.db import migrations

FRAMEWORKS = [
    ("wmo", "Wmo 2015", "Wmo 2015 art. 5.1.1 (processing for the tasks of the Wmo)", 15,
     "Selectielijst gemeenten en intergemeentelijke organen: Wmo support plan, 15 years after the end"),
    ("jeugdwet", "Jeugdwet", "Jeugdwet art. 7.4.0 (processing for youth assistance)", 20,
     "Jeugdwet art. 7.3.8: 20 years"),
    ("participatiewet", "Participatiewet", "Participatiewet art. 63-64 (processing for the Participatiewet)", 7,
     "Selectielijst gemeenten en intergemeentelijke organen: Participatiewet file, 7 years after the end"),
    ("wgs", "Wet gemeentelijke schuldhulpverlening", "Wgs art. 5 (processing for debt assistance)", 5,
     "Wgs: at most 5 years after the end of the debt assistance"),
]


def load(apps, schema_editor):
    LegalFramework = apps.get_model("cases", "LegalFramework")
    for order, (code, name, basis, years, source) in enumerate(FRAMEWORKS, start=1):
        LegalFramework.objects.update_or_create(
            code=code,
            defaults={"name": name, "legal_basis": basis, "retention_years": years, "retention_source": source, "order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
