"""Issue 8: totals over all months of the pre-aggregated counts (insights.tallies), filled from
the month rows that exist; ``tallies.recount`` keeps them equal to that sum from then on."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('areas', '0001_initial'),
        ('insights', '0005_tally_triggers'),
        ('teams', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='TallyTotal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('measure', models.CharField(choices=[('new', 'Reported'), ('open', 'Still open'), ('triage', 'Triage'), ('domain', 'Life domain'), ('zrm', 'ZRM outcome'), ('onderzoek', 'Investigation term')], max_length=12)),
                ('key', models.CharField(blank=True, max_length=24)),
                ('n', models.PositiveIntegerField()),
                ('area', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='areas.area')),
                ('team', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='teams.team')),
            ],
            options={
                'indexes': [models.Index(fields=['measure'], include=('team', 'area', 'key', 'n'), name='tally_total_measure')],
            },
        ),
        migrations.RunSQL(
            "INSERT INTO insights_tallytotal (team_id, area_id, measure, key, n) "
            "SELECT team_id, area_id, measure, key, SUM(n) FROM insights_tally WHERE month "
            "GROUP BY team_id, area_id, measure, key",
            migrations.RunSQL.noop,
        ),
    ]
