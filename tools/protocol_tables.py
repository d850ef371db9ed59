"""The action, role and argument tables of docs/protocol.md, rendered from the domain's own tables.

``domain.transitions`` (the lifecycle: TRANSITIONS, FLAGS) and ``domain.permissions``
(ROLE_ACTIONS, WHOLE_TREE_ROLES) are the truth; the document holds a copy between the
markers ``<!-- tables:begin -->`` and ``<!-- tables:end -->``. ``tests/domain`` renders the
tables and fails when the copy differs, so regenerate after changing the domain:

    python tools/protocol_tables.py --write     # rewrite the block in docs/protocol.md
    python tools/protocol_tables.py             # print it
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from domain.model import Action, Args, Role  # noqa: E402
from domain.permissions import OWNER_LEVEL_ROLES, ROLE_ACTIONS, SYSTEM_ACTIONS, WHOLE_TREE_ROLES  # noqa: E402
from domain.transitions import FLAGS, TRANSITIONS  # noqa: E402

DOC = Path(__file__).resolve().parent.parent / "docs" / "protocol.md"
BEGIN, END = "<!-- tables:begin -->", "<!-- tables:end -->"

_ARG_SHAPES = {
    "node": "15-digit grid code in the node directory",
    "category": "5-digit category code of the catalog",
    "urgency": "`normal` \\| `urgent` \\| `critical`",
    "source": "one of the `Source` values",
    "description": "text",
    "address": "text",
    "reason": "text",
    "parent_id": "case id (in the sender's jurisdiction)",
    "department": "department code of the catalog",
    "passed": "true \\| false",
    "level": "1 \\| 2 \\| 3",
    "due": "POSIX seconds, later than now",
    "message": "text",
    "attachment": "an `Attachment` reference (§16); only the hub's evidence upload sends `attach`",
    "lon": "WGS-84 longitude in degrees, −180…180, with `lat`; inside the grid `node` names",
    "caller_name": "text ≤ 50 characters: the citizen who called or walked in (诉求人)",
    "caller_phone": "phone number, digits with optional leading `+` and `-`, 5–20 characters",
    "ticket_no": "the 12345 hotline's ticket (工单号), printable text ≤ 64 characters",
    "condition": "code of one of the category's 立案条件 (item code + 2 digits)",
    "lat": "WGS-84 latitude in degrees, −90…90, with `lon`",
    "request": "`extend` \\| `suspend` \\| `return` (§18)",
    "until": "POSIX seconds, later than now: when a suspension ends by itself (§18)",
    "assist": "list of department codes of the catalog, not the lead (协办, §18)",
    "satisfaction": "`satisfied` \\| `fairly_satisfied` \\| `dissatisfied` (§18)",
    "to_level": "2 (district) \\| 3 (street) \\| 4 (community); `report`: 3 or 4 (§18)",
    "assignee": "user id of a person of the department (§18)",
}


def _names(items) -> str:
    return ", ".join(f"`{getattr(i, 'value', i)}`" for i in sorted(items, key=lambda x: getattr(x, "value", x)))


def _args(required, optional) -> str:
    parts = [f"`{a}`" for a in required] + [f"`{a}`?" for a in optional]
    return " ".join(parts) or "—"


def render() -> str:
    from domain.model import Source, Urgency

    shapes = dict(_ARG_SHAPES)
    shapes["urgency"] = " \\| ".join(f"`{u.value}`" for u in Urgency)
    shapes["source"] = " \\| ".join(f"`{s.value}`" for s in Source)
    missing = set(Args.__struct_fields__) - set(shapes)
    if missing:
        raise SystemExit(f"no shape written for args {sorted(missing)}")
    lines = ["#### Moves between states (`domain.transitions.TRANSITIONS`)", "",
             "| action | from | to | roles | args (`?` optional) |", "|---|---|---|---|---|"]
    for (state, action), move in TRANSITIONS.items():
        source = "(new case)" if state is None else f"`{state.value}`"
        lines.append(f"| `{action.value}` | {source} | `{move.next_state.value}` | {_names(move.roles)} | "
                     f"{_args(move.required, move.optional)} |")
        if move.on_fail is not None:
            fail = move.on_fail
            branch = "`passed: false`" if "passed" in fail.required else "`satisfaction: dissatisfied`"
            lines.append(f"| `{action.value}` ({branch}) | {source} | `{fail.next_state.value}` | "
                         f"{_names(fail.roles)} | {_args(fail.required, fail.optional)} |")
    lines += ["", "#### Flags on any open state (`domain.transitions.FLAGS`)", "",
              "| action | applies when | roles | args (`?` optional) |", "|---|---|---|---|"]
    for action, flag in FLAGS.items():
        lines.append(f"| `{action.value}` | {flag.guard.value} | {_names(flag.roles)} | "
                     f"{_args(flag.required, flag.optional)} |")
    lines += ["", "#### Roles × actions (`domain.permissions.ROLE_ACTIONS`)", "",
              "| role | may take | whole tree (`scope: \"\"`) | bound by the owning level |", "|---|---|---|---|"]
    for role in Role:
        actions = ROLE_ACTIONS.get(role, frozenset())
        shown = _names(actions) if actions else "— (read only)"
        lines.append(f"| `{role.value}` | {shown} | {'yes' if role in WHOLE_TREE_ROLES else 'no'} | "
                     f"{'yes' if role in OWNER_LEVEL_ROLES else 'no'} |")
    lines += ["", f"Only the hub's clock takes {_names(SYSTEM_ACTIONS)} (role `system`).", "",
              "#### Argument shapes (`domain.model.Args`)", "", "| arg | shape |", "|---|---|"]
    for name in Args.__struct_fields__:
        lines.append(f"| `{name}` | {shapes[name]} |")
    lines.append(f"\nEvery action: {_names(Action)}.")
    return "\n".join(lines) + "\n"


def block() -> str:
    return f"{BEGIN}\n{render()}{END}"


def current(doc: str) -> str | None:
    start, end = doc.find(BEGIN), doc.find(END)
    if start < 0 or end < start:
        return None
    return doc[start:end + len(END)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="render the protocol tables from the domain")
    parser.add_argument("--write", action="store_true", help=f"rewrite the block in {DOC.name}")
    args = parser.parse_args(argv)
    if not args.write:
        print(block())
        return 0
    doc = DOC.read_text(encoding="utf-8")
    old = current(doc)
    if old is None:
        raise SystemExit(f"{DOC}: no {BEGIN} … {END} block to rewrite")
    DOC.write_text(doc.replace(old, block()), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
