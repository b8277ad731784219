"""The access log becomes a chain (privacy.chain): a position and a seal per row, and the head.
Rows written before have neither; the head remembers the last of them (``before_chain``)."""

from django.db import migrations, models


def head(apps, schema_editor):
    AccessLog = apps.get_model("privacy", "AccessLog")
    AccessLogHead = apps.get_model("privacy", "AccessLogHead")
    last = AccessLog.objects.using(schema_editor.connection.alias).order_by("-pk").values_list("pk", flat=True).first()
    AccessLogHead.objects.using(schema_editor.connection.alias).create(pk=1, position=0, seal="", before_chain=last)


class Migration(migrations.Migration):

    dependencies = [
        ('privacy', '0006_break_glass'),
    ]

    operations = [
        migrations.CreateModel(
            name='AccessLogHead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveBigIntegerField(default=0)),
                ('seal', models.CharField(blank=True, default='', max_length=64)),
                ('before_chain', models.BigIntegerField(blank=True, null=True)),
            ],
            options={
                'verbose_name': "head of the access log's chain",
            },
        ),
        migrations.AddField(
            model_name='accesslog',
            name='position',
            field=models.PositiveBigIntegerField(blank=True, db_index=True, null=True, verbose_name='position in the chain'),
        ),
        migrations.AddField(
            model_name='accesslog',
            name='seal',
            field=models.CharField(blank=True, db_default='', default='', max_length=64, verbose_name='seal'),
        ),
        migrations.RunPython(head, migrations.RunPython.noop),
    ]
