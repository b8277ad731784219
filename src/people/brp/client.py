"""The municipality's BRP through the Haal Centraal BRP API Personen (v2), configured from the
environment (docs/configuration.md): ``WIJKTEAM_BRP_URL`` (the ``/personen`` endpoint),
``WIJKTEAM_BRP_API_KEY`` (header ``X-API-KEY``), ``WIJKTEAM_BRP_CERT``/``WIJKTEAM_BRP_KEY`` (the
client certificate for mutual TLS), ``WIJKTEAM_BRP_CA`` and ``WIJKTEAM_BRP_TIMEOUT``.

Every lookup is a processing of personal data: it is written to the access log with its purpose
(``privacy.services.log_access``, action ``brp_lookup``), never with the BSN or the name asked."""

import json
import logging
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings

from privacy.models import Action
from privacy.services import log_access

from .persons import resident_fields

logger = logging.getLogger(__name__)

# What Wijkteam asks of a person: what the resident form holds, nothing more (data minimisation).
FIELDS = [
    "burgerservicenummer",
    "naam",
    "geslacht",
    "geboorte.datum",
    "overlijden.datum",
    "verblijfplaats",
    "adressering",
    "partners.naam",
    "partners.aangaanHuwelijkPartnerschap.datum",
    "partners.ontbindingHuwelijkPartnerschap.datum",
    "geheimhoudingPersoonsgegevens",
    "gemeenteVanInschrijving",
    "rni",
]
# ZoekMetGeslachtsnaamEnGeboortedatum and the searches at an address answer with fewer fields
# (PersoonBeperkt).
SEARCH_FIELDS = ["burgerservicenummer", "naam", "geslacht", "geboorte.datum", "adressering"]
# Who lives with the main person: the BSNs of their partners, children and parents, only to suggest
# each housemate's relation (``people.brp.household``).
RELATIVES = ["partners.burgerservicenummer", "kinderen.burgerservicenummer", "ouders.burgerservicenummer"]


class BrpUnavailable(Exception):
    """The BRP did not answer (not configured, down, too slow, or it refused us)."""


@dataclass(frozen=True)
class Found:
    bsn: str
    fields: dict  # the resident's fields (``people.brp.persons.resident_fields``)
    person: dict  # the BRP's answer as it came


def configured() -> bool:
    return bool(settings.BRP["URL"])


def _context() -> ssl.SSLContext | None:
    config = settings.BRP
    if not config["URL"].startswith("https:"):
        return None
    context = ssl.create_default_context(cafile=config["CA"] or None)
    if config["CERT"]:
        context.load_cert_chain(config["CERT"], config["KEY"] or None)
    return context


def _post(query: dict) -> dict:
    config = settings.BRP
    if not config["URL"].startswith(("https://", "http://")):
        raise BrpUnavailable("not configured")
    headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"}
    if config["API_KEY"]:
        headers["X-API-KEY"] = config["API_KEY"]
    body = json.dumps(query).encode()
    request = urllib.request.Request(config["URL"], data=body, headers=headers, method="POST")  # noqa: S310 - http(s) only
    try:
        with urllib.request.urlopen(request, timeout=config["TIMEOUT"], context=_context()) as response:  # noqa: S310
            return json.loads(response.read(2_000_000))
    except urllib.error.HTTPError as error:
        logger.warning("BRP answered %s", error.code)
        raise BrpUnavailable(f"HTTP {error.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError, ValueError, ssl.SSLError) as error:
        logger.warning("BRP did not answer: %s", type(error).__name__)
        raise BrpUnavailable(type(error).__name__) from None


def _found(answer: dict) -> list[Found]:
    return [Found(p.get("burgerservicenummer", ""), resident_fields(p), p) for p in answer.get("personen") or []]


def lookup_bsn(*, bsn: str, user, purpose: str) -> Found | None:
    """RaadpleegMetBurgerservicenummer: the person with this BSN, or None."""
    found = lookup_bsns(bsns=[bsn], user=user, purpose=purpose)
    return found[0] if found else None


def lookup_bsns(*, bsns: list[str], user, purpose: str, fields: list[str] = FIELDS) -> list[Found]:
    """RaadpleegMetBurgerservicenummer: the persons with these BSNs (at most 20, as the API allows)."""
    if not bsns:
        return []
    log_access(user=user, action=Action.BRP_LOOKUP, purpose=purpose, detail=f"brp: bsn: {len(bsns[:20])}")
    return _found(
        _post({"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": bsns[:20], "fields": fields})
    )


def search_address(
    *, postcode: str, huisnummer: int, huisletter: str = "", huisnummertoevoeging: str = "", user, purpose: str
) -> list[Found]:
    """ZoekMetPostcodeEnHuisnummer: who lives at the address (a house letter and addition narrow it)."""
    query = {"type": "ZoekMetPostcodeEnHuisnummer", "postcode": postcode, "huisnummer": huisnummer}
    query.update({k: v for k, v in (("huisletter", huisletter), ("huisnummertoevoeging", huisnummertoevoeging)) if v})
    found = _found(_post({**query, "fields": SEARCH_FIELDS}))
    log_access(user=user, action=Action.BRP_LOOKUP, purpose=purpose, detail=f"brp: address: {len(found)}")
    return found


def search_name_birth(*, geslachtsnaam: str, geboortedatum: str, user, purpose: str) -> list[Found]:
    """ZoekMetGeslachtsnaamEnGeboortedatum: the persons with this surname born on this day."""
    answer = _post(
        {
            "type": "ZoekMetGeslachtsnaamEnGeboortedatum",
            "geslachtsnaam": geslachtsnaam,
            "geboortedatum": geboortedatum,
            "fields": SEARCH_FIELDS,
        }
    )
    found = _found(answer)
    log_access(user=user, action=Action.BRP_LOOKUP, purpose=purpose, detail=f"brp: name and birth date: {len(found)}")
    return found[:10]
