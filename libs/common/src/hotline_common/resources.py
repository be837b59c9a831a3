"""Files a service ships as package data (templates, static files, locales), found through the
installed package (importlib.resources), never through a source tree."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def package_dir(package: str, *parts: str) -> Path:
    """The folder `parts` inside the installed `package`, with a clear error when the wheel lacks it."""
    resource = files(package).joinpath(*parts)
    if not resource.is_dir():
        where = "/".join(parts)
        raise RuntimeError(
            f"{package}: '{where}' is missing from the installed package; it is package data "
            f"(pyproject.toml [tool.setuptools.package-data]): rebuild and reinstall the wheel"
        )
    return Path(str(resource))
