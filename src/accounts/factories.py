import factory

from .models import Expertise, Role, User


class ExpertiseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expertise
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"expertise-{n}")
    name = factory.Sequence(lambda n: f"Expertise {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.LazyAttribute(lambda u: f"{u.username}@wijkteam.example")
    role = Role.SOCIAL_WORKER
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def teams(self, create, extracted, **kwargs):
        """``UserFactory(teams=[team])`` makes the user a member; ``leads=True`` a leader."""
        from teams.models import TeamMembership

        for team in extracted or []:
            TeamMembership.objects.create(team=team, user=self, is_leader=bool(kwargs.get("leader")))

    @factory.post_generation
    def leads(self, create, extracted, **kwargs):
        if extracted:
            self.memberships.update(is_leader=True)
