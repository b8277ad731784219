"""The database roles on PostgreSQL (docs/deployment.md#database-roles).

Two roles: the **owner** of the tables runs the migrations (``WIJKTEAM_DB_MIGRATE_URL``), and the
**application** connects as a role that owns nothing (``DATABASE_URL``). The owner, or a superuser,
can empty the access log (``TRUNCATE``), switch off the trigger that refuses changes to it
(``ALTER TABLE … DISABLE TRIGGER``, ``session_replication_role = replica``); the application role
cannot. After every migration the owner grants the application role what it needs
(``grant_application_role``): reading and writing the tables, on the access log only adding and
reading, and its chain's head only moving on. ``role_problems`` tells when the application
connects as more than that: ``check --deploy`` and ``/healthz`` report it.
"""

from django.db import connections

ACCESS_LOG = "privacy_accesslog"
ACCESS_LOG_HEAD = "privacy_accessloghead"
# What the application may do with the access log: add a row and read. The rest of the tables:
# read, add, change and remove rows (never TRUNCATE, REFERENCES or TRIGGER, never own).
ACCESS_LOG_PRIVILEGES = "SELECT, INSERT"
TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"


def role_problems(alias: str = "default") -> list[str]:
    """What the role this process connects as may do beyond what the application needs, in
    words for an operator (no personal data). Empty on SQLite, which has no roles."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT r.rolsuper,
                   EXISTS (SELECT 1 FROM pg_class c
                           WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
                             AND pg_has_role(current_user, c.relowner, 'USAGE')),
                   coalesce((SELECT has_table_privilege(log, 'TRUNCATE') OR has_table_privilege(log, 'UPDATE')
                                    OR has_table_privilege(log, 'DELETE') OR has_table_privilege(log, 'TRIGGER')
                             FROM to_regclass(%(log)s) AS log), false)
            FROM pg_roles r WHERE r.rolname = current_user
            """,
            {"log": ACCESS_LOG},
        )
        superuser, owner, may_change_log = cursor.fetchone()
    problems = []
    if superuser:
        problems.append("The application connects to the database as a superuser.")
    if owner:
        problems.append("The application's database role owns tables (or is a member of their owner).")
    if may_change_log and not (superuser or owner):
        problems.append("The application's database role may change, delete or truncate access-log rows.")
    return problems


def grant_application_role(cursor, role: str) -> None:
    """Run by the owner after the migrations: the application role gets exactly what it needs on
    every table and sequence of the schema, whatever it had before."""
    role, schema = _quote(cursor, role), _quote(cursor, None)
    for statement in (
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}",
        f"GRANT {TABLE_PRIVILEGES} ON ALL TABLES IN SCHEMA {schema} TO {role}",
        f"REVOKE {TABLE_PRIVILEGES} ON {ACCESS_LOG} FROM {role}",
        f"GRANT {ACCESS_LOG_PRIVILEGES} ON {ACCESS_LOG} TO {role}",
        # The chain's head is moved on, never removed (privacy.chain).
        f"REVOKE DELETE ON {ACCESS_LOG_HEAD} FROM {role}",
        # The list of applied migrations is the owner's to write.
        f"REVOKE {TABLE_PRIVILEGES} ON django_migrations FROM {role}",
        f"GRANT SELECT ON django_migrations TO {role}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
    ):
        cursor.execute(statement)


def _quote(cursor, name: str | None) -> str:
    """The role's name, or the current schema's, as a quoted identifier."""
    cursor.execute("SELECT quote_ident(coalesce(%s, current_schema()))", [name])
    return cursor.fetchone()[0]
