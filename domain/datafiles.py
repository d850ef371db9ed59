"""Reading the data files the domain ships (catalog, calendar), or a replacement a user gives.

Parsing stays pure (text in, structs out); this is the one place that touches a file,
so an unreadable file is reported the same way whatever it holds.
"""

from __future__ import annotations

import pathlib
from collections.abc import Callable
from importlib import resources
from typing import TypeVar

T = TypeVar("T")


def load(path: pathlib.Path | str | None, shipped: str, parse: Callable[[str, str], T],
         error: type[Exception], what: str) -> T:
    """Parse ``path``, or the shipped ``resources/catalog/<shipped>`` when ``path`` is None."""
    if path is None:
        file = resources.files("resources") / "catalog" / shipped
        source = f"resources/catalog/{shipped}"
    else:
        file = pathlib.Path(path)
        source = str(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise error(f"{source}: cannot read {what}: {exc}") from None
    return parse(text, source)


def shipped_names(pattern: str) -> list[str]:
    """Names of the shipped ``resources/catalog`` files matching a glob ``pattern``, sorted."""
    import fnmatch

    folder = resources.files("resources") / "catalog"
    return sorted(entry.name for entry in folder.iterdir() if fnmatch.fnmatch(entry.name, pattern))
