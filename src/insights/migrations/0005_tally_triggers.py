"""Issue 8: the database itself notes which days' case counts a change can move (insights.tallies).

Every write path is covered this way (services, the admin, bulk_create, the retention purge, a
bulk load, raw SQL): a trigger on each table whose rows the tallies count writes the day
concerned into ``insights_staleday``, and ``insights.tallies.refresh`` recounts those days before
the tallies are read. The triggers only note days; they hold no business logic.

Which changes count: a case's team, household, status, triage, report date or investigation due
date; its life domains; its ZRM scores (and the date or case of an assessment); a status change
in its history (``data.new_code``, which finishes the investigation); a household's district.

Then every day that has cases is marked stale once, so that existing cases are counted: the first
read (or ``manage.py refresh_tallies``) builds the tallies.
"""

from django.db import migrations

POSTGRESQL = """
CREATE OR REPLACE FUNCTION insights_stale_case() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO insights_staleday (day) VALUES (OLD.melding_date);
        IF OLD.onderzoek_due IS NOT NULL THEN
            INSERT INTO insights_staleday (day) VALUES (OLD.onderzoek_due);
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        IF TG_OP = 'INSERT' OR NEW.melding_date IS DISTINCT FROM OLD.melding_date THEN
            INSERT INTO insights_staleday (day) VALUES (NEW.melding_date);
        END IF;
        IF NEW.onderzoek_due IS NOT NULL AND (TG_OP = 'INSERT' OR NEW.onderzoek_due IS DISTINCT FROM OLD.onderzoek_due)
        THEN
            INSERT INTO insights_staleday (day) VALUES (NEW.onderzoek_due);
        END IF;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER insights_stale_case
    AFTER INSERT OR DELETE OR UPDATE OF household_id, team_id, status, triage, melding_date, onderzoek_due
    ON cases_case FOR EACH ROW EXECUTE FUNCTION insights_stale_case();

CREATE OR REPLACE FUNCTION insights_stale_case_domain() RETURNS trigger AS $$
DECLARE
    changed record;
BEGIN
    IF TG_OP = 'DELETE' THEN changed := OLD; ELSE changed := NEW; END IF;
    INSERT INTO insights_staleday (day) SELECT melding_date FROM cases_case WHERE id = changed.case_id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER insights_stale_case_domain
    AFTER INSERT OR DELETE ON cases_case_life_domains FOR EACH ROW EXECUTE FUNCTION insights_stale_case_domain();

CREATE OR REPLACE FUNCTION insights_stale_score() RETURNS trigger AS $$
DECLARE
    changed record;
BEGIN
    IF TG_OP = 'DELETE' THEN changed := OLD; ELSE changed := NEW; END IF;
    INSERT INTO insights_staleday (day)
        SELECT c.melding_date FROM zrm_assessment a JOIN cases_case c ON c.id = a.case_id
        WHERE a.id = changed.assessment_id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER insights_stale_score
    AFTER INSERT OR DELETE OR UPDATE ON zrm_domainscore FOR EACH ROW EXECUTE FUNCTION insights_stale_score();

CREATE OR REPLACE FUNCTION insights_stale_assessment() RETURNS trigger AS $$
BEGIN
    INSERT INTO insights_staleday (day) SELECT melding_date FROM cases_case WHERE id = OLD.case_id;
    IF TG_OP = 'UPDATE' THEN
        INSERT INTO insights_staleday (day) SELECT melding_date FROM cases_case WHERE id = NEW.case_id;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER insights_stale_assessment
    AFTER DELETE OR UPDATE OF case_id, assessed_on ON zrm_assessment
    FOR EACH ROW EXECUTE FUNCTION insights_stale_assessment();

CREATE OR REPLACE FUNCTION insights_stale_event() RETURNS trigger AS $$
DECLARE
    changed record;
BEGIN
    IF TG_OP = 'DELETE' THEN changed := OLD; ELSE changed := NEW; END IF;
    IF changed.data ? 'new_code' THEN
        INSERT INTO insights_staleday (day)
            SELECT onderzoek_due FROM cases_case WHERE id = changed.case_id AND onderzoek_due IS NOT NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.data ? 'new_code' THEN
        INSERT INTO insights_staleday (day)
            SELECT onderzoek_due FROM cases_case WHERE id = OLD.case_id AND onderzoek_due IS NOT NULL;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER insights_stale_event
    AFTER INSERT OR DELETE OR UPDATE ON cases_caseevent FOR EACH ROW EXECUTE FUNCTION insights_stale_event();

CREATE OR REPLACE FUNCTION insights_stale_household() RETURNS trigger AS $$
BEGIN
    INSERT INTO insights_staleday (day)
        SELECT melding_date FROM cases_case WHERE household_id = NEW.id
        UNION SELECT onderzoek_due FROM cases_case WHERE household_id = NEW.id AND onderzoek_due IS NOT NULL;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER insights_stale_household
    AFTER UPDATE OF area_id ON people_household FOR EACH ROW EXECUTE FUNCTION insights_stale_household();
"""

POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS insights_stale_case ON cases_case;
DROP TRIGGER IF EXISTS insights_stale_case_domain ON cases_case_life_domains;
DROP TRIGGER IF EXISTS insights_stale_score ON zrm_domainscore;
DROP TRIGGER IF EXISTS insights_stale_assessment ON zrm_assessment;
DROP TRIGGER IF EXISTS insights_stale_event ON cases_caseevent;
DROP TRIGGER IF EXISTS insights_stale_household ON people_household;
DROP FUNCTION IF EXISTS insights_stale_case();
DROP FUNCTION IF EXISTS insights_stale_case_domain();
DROP FUNCTION IF EXISTS insights_stale_score();
DROP FUNCTION IF EXISTS insights_stale_assessment();
DROP FUNCTION IF EXISTS insights_stale_event();
DROP FUNCTION IF EXISTS insights_stale_household();
"""

# The same for SQLite, one statement per trigger.
_CASE_OLD = """
    INSERT INTO insights_staleday (day) VALUES (OLD.melding_date);
    INSERT INTO insights_staleday (day) SELECT OLD.onderzoek_due WHERE OLD.onderzoek_due IS NOT NULL;
"""
_CASE_NEW = """
    INSERT INTO insights_staleday (day) VALUES (NEW.melding_date);
    INSERT INTO insights_staleday (day) SELECT NEW.onderzoek_due WHERE NEW.onderzoek_due IS NOT NULL;
"""
_EVENT = """
    INSERT INTO insights_staleday (day)
        SELECT onderzoek_due FROM cases_case WHERE id = {row}.case_id AND onderzoek_due IS NOT NULL;
"""
_EVENT_WHEN = "json_extract({row}.data, '$.new_code') IS NOT NULL"
SQLITE = [
    f"CREATE TRIGGER insights_stale_case_insert AFTER INSERT ON cases_case BEGIN {_CASE_NEW} END",
    "CREATE TRIGGER insights_stale_case_update AFTER UPDATE OF household_id, team_id, status, triage, melding_date, "
    f"onderzoek_due ON cases_case BEGIN {_CASE_OLD} {_CASE_NEW} END",
    f"CREATE TRIGGER insights_stale_case_delete AFTER DELETE ON cases_case BEGIN {_CASE_OLD} END",
    "CREATE TRIGGER insights_stale_case_domain_insert AFTER INSERT ON cases_case_life_domains BEGIN "
    "INSERT INTO insights_staleday (day) SELECT melding_date FROM cases_case WHERE id = NEW.case_id; END",
    "CREATE TRIGGER insights_stale_case_domain_delete AFTER DELETE ON cases_case_life_domains BEGIN "
    "INSERT INTO insights_staleday (day) SELECT melding_date FROM cases_case WHERE id = OLD.case_id; END",
    *(
        f"CREATE TRIGGER insights_stale_score_{op.lower()} AFTER {op} ON zrm_domainscore BEGIN "
        "INSERT INTO insights_staleday (day) SELECT c.melding_date FROM zrm_assessment a "
        f"JOIN cases_case c ON c.id = a.case_id WHERE a.id = {row}.assessment_id; END"
        for op, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD"))
    ),
    "CREATE TRIGGER insights_stale_assessment_update AFTER UPDATE OF case_id, assessed_on ON zrm_assessment BEGIN "
    "INSERT INTO insights_staleday (day) SELECT melding_date FROM cases_case WHERE id IN (OLD.case_id, NEW.case_id); "
    "END",
    "CREATE TRIGGER insights_stale_assessment_delete AFTER DELETE ON zrm_assessment BEGIN "
    "INSERT INTO insights_staleday (day) SELECT melding_date FROM cases_case WHERE id = OLD.case_id; END",
    "CREATE TRIGGER insights_stale_event_insert AFTER INSERT ON cases_caseevent "
    f"WHEN {_EVENT_WHEN.format(row='NEW')} BEGIN {_EVENT.format(row='NEW')} END",
    "CREATE TRIGGER insights_stale_event_update AFTER UPDATE ON cases_caseevent "
    f"WHEN {_EVENT_WHEN.format(row='NEW')} OR {_EVENT_WHEN.format(row='OLD')} "
    f"BEGIN {_EVENT.format(row='NEW')} {_EVENT.format(row='OLD')} END",
    "CREATE TRIGGER insights_stale_event_delete AFTER DELETE ON cases_caseevent "
    f"WHEN {_EVENT_WHEN.format(row='OLD')} BEGIN {_EVENT.format(row='OLD')} END",
    "CREATE TRIGGER insights_stale_household AFTER UPDATE OF area_id ON people_household BEGIN "
    "INSERT INTO insights_staleday (day) SELECT melding_date FROM cases_case WHERE household_id = NEW.id "
    "UNION SELECT onderzoek_due FROM cases_case WHERE household_id = NEW.id AND onderzoek_due IS NOT NULL; END",
]
SQLITE_TRIGGERS = [statement.split()[2] for statement in SQLITE]

EXISTING = """
INSERT INTO insights_staleday (day)
    SELECT DISTINCT melding_date FROM cases_case
    UNION SELECT DISTINCT onderzoek_due FROM cases_case WHERE onderzoek_due IS NOT NULL
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement, params=None)
    schema_editor.execute(EXISTING, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0004_tally"),
        ("cases", "0006_tally_indexes"),
        ("people", "0002_search_trigram"),
        ("zrm", "0003_assessment_domainscore_and_more"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
