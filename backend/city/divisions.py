"""Parse a division table (CSV ``code,name,level,parent_code``) into checked nodes.

The whole file is checked before anything is returned: every bad row is reported as
``line N: …`` (physical line numbers, the header is line 1), so an operator fixes the file
in one pass and a half-imported hierarchy can never exist.
"""

from __future__ import annotations

import csv
import io

from backend.city.problems import ImportProblems
from domain.city import NodeInfo
from domain.hierarchy import LEVEL_NAMES, CodeError, Level, level_of, parent_of, validate_code

HEADER = ("code", "name", "level", "parent_code")


class DivisionsError(ImportProblems):
    """A division table that cannot be imported; ``problems`` holds one message per bad row."""


def parse_divisions(text: str, source: str = "<csv>") -> list[NodeInfo]:
    """Parse and validate a division table; return its nodes parent-first (by level, then file order).

    Rules: the header is exactly ``code,name,level,parent_code``; codes are valid and unique;
    ``level`` names the level its code length implies; names are non-empty; ``parent_code``
    equals the code's parent and that parent appears somewhere in the file. Only one row, the
    top of the tree, may leave ``parent_code`` empty (a province must).
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text))
    problems: list[str] = []
    try:
        header = next(reader)
    except StopIteration:
        raise DivisionsError(source, ["line 1: the file is empty; expected the header " + ",".join(HEADER)]) from None
    except csv.Error as exc:
        raise DivisionsError(source, [f"line 1: not readable as CSV ({exc})"]) from None
    if tuple(h.strip().lower() for h in header) != HEADER:
        raise DivisionsError(source, [f"line 1: header must be {','.join(HEADER)}, got {','.join(header)!r}"])

    rows: list[tuple[int, str, str, Level, str]] = []  # line, code, name, level, parent_code
    first_line: dict[str, int] = {}
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(f"line {reader.line_num}: not readable as CSV ({exc})")
            break
        line = reader.line_num
        if not fields or all(not f.strip() for f in fields):
            continue  # blank line
        if len(fields) != len(HEADER):
            problems.append(f"line {line}: expected {len(HEADER)} columns, got {len(fields)}")
            continue
        code, name, level_name, parent_code = (f.strip() for f in fields)
        row_problems = []
        level = None
        try:
            validate_code(code)
            level = level_of(code)
        except CodeError as exc:
            row_problems.append(str(exc))
        if not name:
            row_problems.append(f"code {code}: name is empty")
        named_level = LEVEL_NAMES.get(level_name.lower())
        if named_level is None:
            row_problems.append(f"level {level_name!r} is not one of {', '.join(LEVEL_NAMES)}")
        elif level is not None and named_level != level:
            row_problems.append(
                f"code {code} has {len(code)} digits, which is a {level.name.lower()}, but level says {level_name!r}"
            )
        if level is not None:
            expected = parent_of(code)
            if expected is None and parent_code:
                row_problems.append(f"code {code} is a province and has no parent, but parent_code is {parent_code!r}")
            elif expected is not None and parent_code and parent_code != expected:
                row_problems.append(f"parent_code {parent_code!r} is not the parent of {code}; expected {expected!r}")
            if code in first_line:
                row_problems.append(f"code {code} duplicates line {first_line[code]}")
            else:
                first_line[code] = line
        if row_problems:
            problems.extend(f"line {line}: {p}" for p in row_problems)
        else:
            assert level is not None  # a code without a level left a problem above
            rows.append((line, code, name, level, parent_code))

    problems.extend(_check_links(rows, first_line))
    if not rows and not problems:
        problems.append("line 2: the file has a header but no rows")
    if problems:
        raise DivisionsError(source, sorted(problems, key=_line_key))
    rows.sort(key=lambda r: (r[3], r[0]))
    return [NodeInfo(code=c, name=n, level=int(lv), parent=parent_of(c)) for _, c, n, lv, _ in rows]


def _check_links(rows: list[tuple[int, str, str, Level, str]], first_line: dict[str, int]) -> list[str]:
    """Parents must be in the file; exactly one root (the shallowest row) may omit its parent."""
    problems = []
    roots = sorted((r for r in rows if not r[4]), key=lambda r: (r[3], r[0]))
    for line, code, _, _, parent_code in rows:
        if parent_code and parent_code not in first_line:
            problems.append(f"line {line}: parent {parent_code} of {code} is not in the file")
    for line, code, _, _, _ in roots[1:]:
        problems.append(
            f"line {line}: parent_code of {code} is empty, but only the top row may omit it "
            f"(top is {roots[0][1]} on line {roots[0][0]}); expected {parent_of(code)!r}"
        )
    return problems


def _line_key(problem: str) -> int:
    try:
        return int(problem.split(":", 1)[0].removeprefix("line "))
    except ValueError:
        return 0
