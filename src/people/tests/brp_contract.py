"""The Haal Centraal BRP API Personen's OpenAPI specification (``data/brp/``) as a contract: validate an
answer with JSON Schema (OpenAPI 3.1 is JSON Schema 2020-12), follow the discriminators that JSON
Schema leaves to the reader (``type`` of a place, a date, a query), and refuse properties the
specification does not name, so a misspelt field does not pass as an "additional" one."""

from functools import cache

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from wijkteam.reference import data_path

URI = "urn:haalcentraal:brp-personen"


@cache
def spec() -> dict:
    return yaml.safe_load(data_path("brp", "haal_centraal_brp_personen_openapi.yaml").read_text(encoding="utf-8"))


@cache
def _registry() -> Registry:
    return Registry().with_resource(URI, Resource(contents=spec(), specification=DRAFT202012))


def _schema(ref: str) -> dict:
    node = spec()
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def validate(instance, ref: str) -> list[str]:
    """Every way ``instance`` breaks the schema at ``ref`` (``#/components/schemas/...``)."""
    validator = Draft202012Validator({"$ref": f"{URI}{ref}"}, registry=_registry(), format_checker=FormatChecker())
    problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(instance)]
    return problems + _walk(instance, ref, "")


def _parts(schema: dict) -> tuple[dict, dict | None, dict | None]:
    """A schema's properties (through $ref and allOf), its discriminator and its items."""
    properties: dict = {}
    discriminator = schema.get("discriminator")
    items = schema.get("items")
    if "$ref" in schema:
        p, d, i = _parts(_schema(schema["$ref"]))
        properties.update(p)
        discriminator, items = discriminator or d, items or i
    for part in schema.get("allOf", []):
        p, d, i = _parts(part)
        properties.update(p)
        discriminator, items = discriminator or d, items or i
    properties.update(schema.get("properties", {}))
    return properties, discriminator, items


def _walk(instance, ref_or_schema, path: str) -> list[str]:
    schema = {"$ref": ref_or_schema} if isinstance(ref_or_schema, str) else ref_or_schema
    properties, discriminator, items = _parts(schema)
    problems = []
    if isinstance(instance, list) and items is not None:
        for n, item in enumerate(instance):
            problems += _walk(item, items, f"{path}/{n}")
    if not isinstance(instance, dict):
        return problems
    if discriminator and isinstance(instance.get(discriminator["propertyName"]), str):
        target = discriminator.get("mapping", {}).get(instance[discriminator["propertyName"]])
        if target is None:
            return [
                *problems,
                f"{path}: unknown {discriminator['propertyName']} {instance[discriminator['propertyName']]!r}",
            ]
        if not isinstance(ref_or_schema, str) or target != ref_or_schema:
            problems += validate_at(instance, target, path)
            return problems
    for key, value in instance.items():
        if key not in properties:
            problems.append(f"{path}/{key}: not in the specification")
        else:
            problems += _walk(value, properties[key], f"{path}/{key}")
    return problems


def validate_at(instance, ref: str, path: str) -> list[str]:
    return [f"{path}{p}" if p.startswith("/") else f"{path}/{p}" for p in validate(instance, ref)]
