"""The BRP (Basisregistratie Personen) through the Haal Centraal BRP API Personen, version 2.

- ``persons``: a person as the API returns it (JSON) -> the resident's fields and ``people.names.Name``;
- ``client``: the municipality's BRP, configured from the environment (docs/configuration.md);
- ``service``: a local BRP that answers per the specification from RvIG's test persons (demo, tests).
"""
