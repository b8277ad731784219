import factory

from areas.factories import MunicipalityFactory

from .models import Provision, ProvisionKind


class ProvisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provision
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    kind = ProvisionKind.ALGEMEEN
    name = factory.Sequence(lambda n: f"Voorziening {n}")
    description = "Spreekuur in het buurthuis"

    @factory.post_generation
    def life_domains(self, create, extracted, **kwargs):
        if extracted:
            self.life_domains.set(extracted)
