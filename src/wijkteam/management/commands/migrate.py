"""``manage.py migrate``: Django's command, run as the owner of the tables when
``WIJKTEAM_DB_MIGRATE_URL`` is set, after which the owner grants the application's role (the user
of ``DATABASE_URL``) exactly what it needs (``wijkteam.database.grant_application_role``).

Without ``WIJKTEAM_DB_MIGRATE_URL`` this is Django's own command. The owner's URL is given to the
step that migrates, never to the running application (docs/deployment.md#database-roles).
"""

import dj_database_url
from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import connections

from wijkteam import database

OWNER_KEYS = ("USER", "PASSWORD", "HOST", "PORT")


class Command(DjangoMigrate):
    help = DjangoMigrate.help + " With WIJKTEAM_DB_MIGRATE_URL: as the owner, then grants the application's role."

    def handle(self, *args, **options):
        if not settings.DB_MIGRATE_URL or options["database"] != "default":
            return super().handle(*args, **options)
        connection = connections["default"]
        owner = dj_database_url.parse(settings.DB_MIGRATE_URL)
        if connection.vendor != "postgresql" or not owner["ENGINE"].endswith("postgresql"):
            raise CommandError("WIJKTEAM_DB_MIGRATE_URL is for PostgreSQL, as DATABASE_URL.")
        if owner["NAME"] != connection.settings_dict["NAME"]:
            raise CommandError("WIJKTEAM_DB_MIGRATE_URL must name the same database as DATABASE_URL.")
        application = connection.settings_dict["USER"]
        saved = {key: connection.settings_dict[key] for key in OWNER_KEYS}
        connection.close()
        connection.settings_dict.update({key: owner[key] for key in OWNER_KEYS})
        try:
            super().handle(*args, **options)
            if application and application != owner["USER"]:
                with connection.cursor() as cursor:
                    database.grant_application_role(cursor, application)
                if options["verbosity"]:
                    self.stdout.write(
                        f"The application's role {application} may read and write the tables; "
                        "the access log only add to and read."
                    )
        finally:
            connection.close()
            connection.settings_dict.update(saved)
