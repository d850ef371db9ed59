"""Rewrite retired category codes in source files to the items that replaced them.

The catalog keeps every code it ever used: a retired code with ``replaced_by`` names the item
it became (resources/catalog/catalog.toml, [[retired]]). Tests, scenarios and data files that
report new cases must use active codes; this rewrites each quoted retired code ("01001" or
'01001') in the given files to its replacement and prints what it changed.

    python tools/recode_categories.py tests/backend/test_x.py resources/scenarios/*.toml
    python tools/recode_categories.py --check tests   # list, change nothing; exit 1 if any
    python tools/recode_categories.py --bare docs/intake.md   # also unquoted codes (URLs, XML)
"""

from __future__ import annotations

import argparse
import pathlib
import re
import sys

from domain.catalog import load_catalog

_QUOTED = re.compile(r"""(["'])([0-9]{5})\1""")
_BARE = re.compile(r"""()(?<![0-9])([0-9]{5})(?![0-9])""")
_SUFFIXES = {".py", ".toml", ".md", ".json"}


def replacements() -> dict[str, str]:
    catalog = load_catalog()
    return {code: item.replaced_by for code, item in catalog.categories.items() if item.replaced_by}


def files(paths: list[str]) -> list[pathlib.Path]:
    out: list[pathlib.Path] = []
    for p in map(pathlib.Path, paths):
        out += sorted(f for f in p.rglob("*") if f.suffix in _SUFFIXES) if p.is_dir() else [p]
    return out


def recode(text: str, mapping: dict[str, str], bare: bool = False) -> tuple[str, int]:
    count = 0

    def swap(m: re.Match[str]) -> str:
        nonlocal count
        new = mapping.get(m.group(2))
        if new is None:
            return m.group(0)
        count += 1
        return f"{m.group(1)}{new}{m.group(1)}"

    return (_BARE if bare else _QUOTED).sub(swap, text), count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--check", action="store_true", help="only list files that use retired codes")
    parser.add_argument("--bare", action="store_true", help="also unquoted 5-digit codes (check the diff)")
    args = parser.parse_args(argv)
    mapping = replacements()
    found = 0
    for path in files(args.paths):
        text = path.read_text(encoding="utf-8")
        new, count = recode(text, mapping, args.bare)
        if count:
            found += count
            print(f"{path}: {count} retired code(s)")
            if not args.check:
                path.write_text(new, encoding="utf-8")
    return 1 if args.check and found else 0


if __name__ == "__main__":
    sys.exit(main())
