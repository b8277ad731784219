"""Static files from npm packages: only the files the pages use, not a package's whole folder.

A package's ``dist`` folder holds more than we serve, and not all of it is whole: the stylesheet
``background-image-icon.css`` of ``@utrecht/design-tokens`` names five SVG files that the package
does not ship. The production storage (hashed names, ``collectstatic``) follows every ``url()`` of
every stylesheet it collects and stops at such a file, after which every page answers 500. So
``settings.VENDOR_STATIC`` lists, per package, the files published under a prefix (glob patterns
relative to the package folder), and this finder offers those and nothing else.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage


class VendorFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.packages: list[tuple[str, Path, list[str]]] = [
            (prefix.strip("/"), Path(folder), list(patterns))
            for prefix, (folder, patterns) in settings.VENDOR_STATIC.items()
        ]

    def _files(self, folder: Path, patterns: list[str]) -> list[str]:
        return sorted(
            {
                path.relative_to(folder).as_posix()
                for pattern in patterns
                for path in folder.glob(pattern)
                if path.is_file()
            }
        )

    def check(self, **kwargs) -> list[Error]:
        errors = []
        for prefix, folder, patterns in self.packages:
            for pattern in patterns:
                if not any(path.is_file() for path in folder.glob(pattern)):
                    errors.append(
                        Error(
                            f"{folder / pattern} (static prefix {prefix}) matches no file: run `npm ci`.",
                            id="wijkteam.E007",
                        )
                    )
        return errors

    def find(self, path: str, find_all: bool = False, **kwargs):
        found = []
        for prefix, folder, patterns in self.packages:
            if not path.startswith(prefix + "/"):
                continue
            name = path[len(prefix) + 1 :]
            if name in self._files(folder, patterns):
                if not find_all:
                    return str(folder / name)
                found.append(str(folder / name))
        return found

    def list(self, ignore_patterns):
        for prefix, folder, patterns in self.packages:
            storage = FileSystemStorage(location=folder)
            storage.prefix = prefix
            for name in self._files(folder, patterns):
                yield name, storage
