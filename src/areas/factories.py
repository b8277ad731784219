import factory

from .models import Area, AreaKind, Municipality, Positioning, PostcodeArea


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["cbs_code"]

    cbs_code = "GM0080"
    name = "Leeuwarden"
    positioning = Positioning.HYBRIDE


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    municipality = factory.SubFactory(MunicipalityFactory)
    kind = AreaKind.WIJK
    cbs_code = factory.Sequence(lambda n: f"WK0080{n + 90:02d}")
    name = factory.Sequence(lambda n: f"Wijk {n}")
    inhabitants = 5000


class PostcodeAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostcodeArea

    postcode4 = "8921"
    area = factory.SubFactory(AreaFactory)
