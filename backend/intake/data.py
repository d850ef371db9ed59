"""The shipped intake data files (``resources/intake``), read once per process."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

from domain.catalog import Catalog
from domain.intake import HotlineMap, Service, parse_hotline_map, parse_services


def _read(path: Path | str | None, shipped: str) -> tuple[str, str]:
    if path is None:
        return (resources.files("resources") / "intake" / shipped).read_text(encoding="utf-8"), \
            f"resources/intake/{shipped}"
    return Path(path).read_text(encoding="utf-8"), str(path)


def load_services(catalog: Catalog, path: Path | str | None = None) -> dict[str, Service]:
    text, source = _read(path, "open311.toml")
    return parse_services(text, source, catalog)


def load_hotline_map(catalog: Catalog, path: Path | str | None = None) -> HotlineMap:
    text, source = _read(path, "hotline_map.toml")
    return parse_hotline_map(text, source, catalog)


@functools.cache
def shipped(catalog: Catalog) -> tuple[dict[str, Service], HotlineMap]:
    """The shipped services and hotline map for ``catalog`` (cached per catalog object)."""
    return load_services(catalog), load_hotline_map(catalog)
