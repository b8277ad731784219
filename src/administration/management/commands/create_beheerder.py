import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Role, User
from areas.models import Municipality


class Command(BaseCommand):
    help = (
        "Create the first functional administrator (role beheer) of a municipality imported with import_areas. "
        "Everything else (teams, users, partner organisations and keys, budgets, smoelenboek) is done in the "
        "application at /beheer/. The second sign-in step is set up at the first sign-in."
    )

    def add_arguments(self, parser):
        parser.add_argument("cbs_code", help="Municipality code, e.g. GM0090")
        parser.add_argument("username")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-from-env", metavar="VARIABLE", help="Read the password from this environment variable"
        )

    def handle(self, *args, cbs_code, username, first_name, last_name, email, password_from_env, **options):
        municipality = Municipality.objects.filter(cbs_code=cbs_code.upper()).first()
        if municipality is None:
            raise CommandError(f"{cbs_code} is not in this installation: run import_areas first")
        if User.objects.filter(username=username).exists():
            raise CommandError(f"There is already a user {username}")
        password = os.environ.get(password_from_env, "") if password_from_env else getpass.getpass("Password: ")
        user = User(
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=email,
            role=Role.ADMINISTRATOR,
            municipality=municipality,
        )
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        user.set_password(password)
        user.save()
        self.stdout.write(f"{username}: functional administrator of {municipality.name}; sign in at /account/")
