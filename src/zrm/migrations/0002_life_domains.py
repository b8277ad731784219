"""The 13 domains of the ZRM 2017, named as in data/zrm/zrm_domeinen.json."""

import json

from django.conf import settings
from django.db import migrations
from django.utils.text import slugify


def load(apps, schema_editor):
    from zrm.models import ENGLISH_NAMES

    LifeDomain = apps.get_model("zrm", "LifeDomain")
    path = settings.BASE_DIR / "data" / "zrm" / "zrm_domeinen.json"
    names = json.loads(path.read_text(encoding="utf-8"))["zrm_v2_domains"]
    for order, name in enumerate(names, start=1):
        LifeDomain.objects.update_or_create(
            code=slugify(name.replace("ë", "e")),
            defaults={"name": name, "name_en": ENGLISH_NAMES[name], "order": order, "version": "2017"},
        )


class Migration(migrations.Migration):
    dependencies = [("zrm", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
