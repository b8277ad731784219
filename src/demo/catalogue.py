"""Leeuwarden-like partners and a social map for the demo. Organisation names are fictional or
generic; phone numbers are in the 058 area code but invented; the iWmo/iJw categories and units
are the real code lists."""

from datetime import date
from decimal import Decimal

from areas.models import Area, Municipality
from cases.models import LegalFramework
from partners.models import Organisation, OrganisationKind, PartnerContact
from provisions.models import Contract, Provision, ProvisionKind
from zrm.models import LifeDomain

# (name, kind, district codes served, phone, referrer code COD327, AGB code)
PARTNERS = [
    ("Huisartsenpraktijk Huizum", OrganisationKind.HUISARTS, ["WK008040", "WK008041"], "058 212 4001", "02", ""),
    ("Huisartsenpraktijk Camminghaburen", OrganisationKind.HUISARTS, ["WK008051"], "058 212 4002", "02", ""),
    (
        "Politie, wijkagenten Leeuwarden-Zuid",
        OrganisationKind.POLITIE,
        ["WK008040", "WK008041", "WK008070"],
        "0900 8844",
        "",
        "",
    ),
    ("Woningcorporatie Leeuwarden Wonen", OrganisationKind.WONINGCORPORATIE, [], "058 212 4010", "", ""),
    ("Kredietbank Leeuwarden", OrganisationKind.KREDIETBANK, [], "058 212 4020", "", ""),
    ("Basisschool De Zwette", OrganisationKind.SCHOOL, ["WK008041"], "058 212 4030", "", ""),
    (
        "Consultatiebureau Huizum",
        OrganisationKind.CONSULTATIEBUREAU,
        ["WK008040", "WK008041"],
        "058 212 4040",
        "03",
        "",
    ),
    ("Veilig Thuis Friesland", OrganisationKind.VEILIG_THUIS, [], "0800 2000", "", ""),
    ("GGZ-team Leeuwarden", OrganisationKind.GGZ, [], "058 212 4050", "", ""),
    ("Wijkplatform Huizum", OrganisationKind.WIJKPLATFORM, ["WK008040"], "058 212 4060", "", ""),
    ("Voetbalvereniging Huizum", OrganisationKind.SPORTCLUB, ["WK008040", "WK008041"], "058 212 4070", "", ""),
    ("Wijkkerk Huizum", OrganisationKind.KERK, ["WK008040"], "058 212 4080", "", ""),
    ("Vrijwilligerscentrale Leeuwarden", OrganisationKind.WELZIJN, [], "058 212 4090", "", ""),
    ("Thuiszorg Noord", OrganisationKind.AANBIEDER, [], "058 212 4100", "", "75750001"),
    ("Zorg aan Huis Friesland", OrganisationKind.AANBIEDER, [], "058 212 4101", "", "75750002"),
    ("Begeleiding Dichtbij", OrganisationKind.AANBIEDER, [], "058 212 4102", "", "41410003"),
    ("Hulpmiddelencentrum Noord", OrganisationKind.AANBIEDER, [], "058 212 4103", "", "72720004"),
    ("Jeugdhulp Fryslân Ambulant", OrganisationKind.AANBIEDER, [], "058 212 4104", "", "98980005"),
]

# The smoelenboek: (organisation, name, role, expertise, direct phone, district codes or [] for the
# organisation's). Names are fictional.
PARTNER_CONTACTS = [
    (
        "Politie, wijkagenten Leeuwarden-Zuid",
        "Rinse Hoekstra",
        "wijkagent",
        "Huizum, Nijlân",
        "06 1100 2001",
        ["WK008040", "WK008041"],
    ),
    ("Politie, wijkagenten Leeuwarden-Zuid", "Sandra Bouma", "wijkagent", "Zuidwest", "06 1100 2002", ["WK008070"]),
    (
        "Basisschool De Zwette",
        "Marleen de Wit",
        "intern begeleider",
        "zorg voor leerlingen, contact met ouders",
        "058 212 4031",
        [],
    ),
    (
        "Basisschool De Zwette",
        "Jan Kooistra",
        "schoolmaatschappelijk werker",
        "opvoeden, scheiding, verzuim",
        "06 1100 2003",
        [],
    ),
    (
        "Consultatiebureau Huizum",
        "Aafke Postma",
        "jeugdverpleegkundige",
        "slapen, voeding, opvoeden 0-4 jaar",
        "06 1100 2004",
        [],
    ),
    (
        "Huisartsenpraktijk Huizum",
        "Tineke Smit",
        "praktijkondersteuner GGZ",
        "somberheid, angst, eenzaamheid",
        "058 212 4005",
        [],
    ),
    (
        "Woningcorporatie Leeuwarden Wonen",
        "Erik Jelsma",
        "woonconsulent",
        "huurachterstand, overlast",
        "06 1100 2006",
        ["WK008040", "WK008041"],
    ),
    (
        "Kredietbank Leeuwarden",
        "Nynke Dijkstra",
        "schuldhulpconsulent",
        "schuldregeling, budgetbeheer",
        "058 212 4021",
        [],
    ),
    (
        "Voetbalvereniging Huizum",
        "Hendrik Zwart",
        "buurtsportcoach",
        "meedoen, jeugd, ouderen in beweging",
        "06 1100 2007",
        [],
    ),
    ("Wijkkerk Huizum", "Grietje Talsma", "diaconie", "noodhulp, bezoekwerk bij eenzaamheid", "06 1100 2008", []),
    ("Wijkplatform Huizum", "Pieter van der Veen", "voorzitter", "buurtinitiatieven, buurtbudget", "06 1100 2009", []),
]

# (name, kind, description, target group, life domain codes, districts, framework, category, unit, price, providers)
PROVISIONS = [
    (
        "Buurthuis De Zwette",
        ProvisionKind.ALGEMEEN,
        "Koffie-inloop, samen eten op woensdag, activiteiten voor jong en oud.",
        "Iedereen in de wijk",
        ["sociaal-netwerk", "maatschappelijke-participatie", "tijdsbesteding"],
        ["WK008041", "WK008040"],
        None,
        "",
        "",
        None,
        [],
    ),
    (
        "Maatschappelijk werk Leeuwarden",
        ProvisionKind.ALGEMEEN,
        "Gesprekken bij persoonlijke problemen, relaties en rouw.",
        "Volwassenen",
        ["huiselijke-relaties", "geestelijke-gezondheid"],
        [],
        None,
        "",
        "",
        None,
        [],
    ),
    (
        "Schuldhulp-spreekuur Huizum",
        ProvisionKind.ALGEMEEN,
        "Elke dinsdag spreekuur: post sorteren, betalingsregelingen, doorverwijzing naar de Kredietbank.",
        "Inwoners met geldzorgen",
        ["financien"],
        ["WK008040", "WK008041"],
        None,
        "",
        "",
        None,
        [],
    ),
    (
        "Thuisadministratie door vrijwilligers",
        ProvisionKind.ALGEMEEN,
        "Een getrainde vrijwilliger komt thuis helpen de post en de administratie bij te houden.",
        "Inwoners die hun administratie niet meer overzien",
        ["financien"],
        [],
        None,
        "",
        "",
        None,
        [],
    ),
    (
        "Opvoedcursus Positief Opvoeden",
        ProvisionKind.ALGEMEEN,
        "Cursus van zes avonden voor ouders: grenzen stellen, slapen, ruzie.",
        "Ouders van kinderen tot 12 jaar",
        ["huiselijke-relaties"],
        [],
        None,
        "",
        "",
        None,
        [],
    ),
    (
        "Maaltijdservice",
        ProvisionKind.ALGEMEEN,
        "Warme maaltijd aan huis, vijf of zeven dagen per week.",
        "Ouderen en mensen die niet (meer) koken",
        ["instrumentele-adl", "lichamelijke-gezondheid"],
        [],
        None,
        "",
        "",
        None,
        [],
    ),
    (
        "Mantelzorgsteunpunt",
        ProvisionKind.ALGEMEEN,
        "Advies, lotgenotencontact en respijtzorg voor mantelzorgers.",
        "Mantelzorgers",
        ["huiselijke-relaties", "sociaal-netwerk"],
        [],
        None,
        "",
        "",
        None,
        [],
    ),
    (
        "Hulp bij het huishouden",
        ProvisionKind.MAATWERK,
        "Schoonmaken van de woning wanneer de inwoner en het netwerk dat niet kunnen.",
        "Volwassenen met beperkingen",
        ["instrumentele-adl"],
        [],
        "wmo",
        "01",
        "04",
        Decimal("31.50"),
        ["Thuiszorg Noord", "Zorg aan Huis Friesland"],
    ),
    (
        "Begeleiding individueel",
        ProvisionKind.MAATWERK,
        "Ondersteuning bij het regelen van het dagelijks leven.",
        "Volwassenen die dit niet zelf kunnen",
        ["financien", "tijdsbesteding", "sociaal-netwerk"],
        [],
        "wmo",
        "02",
        "04",
        Decimal("58.20"),
        ["Begeleiding Dichtbij", "Zorg aan Huis Friesland"],
    ),
    (
        "Traplift",
        ProvisionKind.MAATWERK,
        "Een traplift wanneer de bovenverdieping anders niet bereikbaar is.",
        "Inwoners die de trap niet op kunnen",
        ["basale-adl", "lichamelijke-gezondheid"],
        [],
        "wmo",
        "13",
        "82",
        Decimal("6850.00"),
        ["Hulpmiddelencentrum Noord"],
    ),
    (
        "Scootmobiel",
        ProvisionKind.MAATWERK,
        "Scootmobiel in bruikleen voor verplaatsing in de buurt.",
        "Inwoners die slecht ter been zijn",
        ["lichamelijke-gezondheid", "maatschappelijke-participatie"],
        [],
        "wmo",
        "12",
        "82",
        Decimal("2400.00"),
        ["Hulpmiddelencentrum Noord"],
    ),
    (
        "Kleine hulpmiddelen",
        ProvisionKind.MAATWERK,
        "Een eenvoudig hulpmiddel dat een grotere voorziening overbodig maakt, zoals een tweede stofzuiger "
        "voor boven of een douchekruk.",
        "Inwoners voor wie een klein hulpmiddel volstaat",
        ["instrumentele-adl", "basale-adl"],
        [],
        "wmo",
        "14",
        "82",
        Decimal("189.00"),
        ["Hulpmiddelencentrum Noord"],
    ),
    (
        "Jeugdhulp ambulant",
        ProvisionKind.MAATWERK,
        "Gezinsbegeleiding thuis door een jeugdhulpverlener.",
        "Gezinnen met kinderen tot 18 jaar",
        ["huiselijke-relaties", "geestelijke-gezondheid"],
        [],
        "jeugdwet",
        "45",
        "04",
        Decimal("86.40"),
        ["Jeugdhulp Fryslân Ambulant"],
    ),
]


# General provisions run by a partner organisation: a referral shares the resident's data with
# it and so needs the resident's consent (privacy.services.require_consent). The others are run by
# the municipality.
RUN_BY = {
    "Schuldhulp-spreekuur Huizum": "Kredietbank Leeuwarden",
    "Thuisadministratie door vrijwilligers": "Vrijwilligerscentrale Leeuwarden",
    "Opvoedcursus Positief Opvoeden": "Consultatiebureau Huizum",
    "Maaltijdservice": "Thuiszorg Noord",
}


def build_catalogue(municipality: Municipality) -> tuple[int, int]:
    areas = {a.cbs_code: a for a in Area.objects.filter(municipality=municipality)}
    domains = {d.code: d for d in LifeDomain.objects.all()}
    frameworks = {f.code: f for f in LegalFramework.objects.all()}
    organisations = {}
    for name, kind, served, phone, referrer_code, agb in PARTNERS:
        organisation = Organisation.objects.create(
            municipality=municipality,
            name=name,
            kind=kind,
            phone=phone,
            referrer_code=referrer_code,
            agb_code=agb,
            email=f"info@{name.lower().split(',')[0].replace(' ', '-')}.example",
        )
        organisation.areas.set([areas[code] for code in served])
        organisations[name] = organisation
    for organisation, name, role, expertise, phone, served in PARTNER_CONTACTS:
        contact = PartnerContact.objects.create(
            organisation=organisations[organisation],
            name=name,
            role=role,
            expertise=expertise,
            phone=phone,
            email=f"{name.lower().replace(' ', '.')}@{organisation.lower().split(',')[0].replace(' ', '-')}.example",
        )
        contact.areas.set([areas[code] for code in served])
    for (
        name,
        kind,
        description,
        target,
        domain_codes,
        served,
        framework,
        category,
        unit,
        price,
        providers,
    ) in PROVISIONS:
        provision = Provision.objects.create(
            municipality=municipality,
            kind=kind,
            name=name,
            description=description,
            target_group=target,
            framework=frameworks.get(framework) if framework else None,
            product_category=category,
            unit=unit,
            unit_price=price,
            phone="058 233 2000" if kind == ProvisionKind.ALGEMEEN else "",
            organisation=organisations.get(RUN_BY.get(name, "")),
        )
        provision.life_domains.set([domains[code] for code in domain_codes])
        provision.areas.set([areas[code] for code in served])
        for provider in providers:
            Contract.objects.create(provision=provision, provider=organisations[provider], valid_from=date(2025, 1, 1))
    return len(organisations), len(PROVISIONS)
