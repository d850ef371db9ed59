"""`gridcc-hub apikey ...` and `gridcc-hub hotline import`: the intake sources' keys and ticket files.

Registered by ``backend.cli`` like the simulator's commands: ``add_commands`` adds the
sub-commands, ``HANDLERS[command](args)`` runs one; errors raised here become one clear
line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from domain.intake import CHANNELS, IntakeError, Ticket, ticket_from_mapping, tickets_from_json


def add_commands(sub, db_arg: Callable[[argparse.ArgumentParser], None]) -> None:
    key = sub.add_parser("apikey", help="manage the API keys of outside intake sources (Open311, 12345 hotline)")
    key_sub = key.add_subparsers(dest="apikey_command", metavar="ACTION")
    add = key_sub.add_parser("add", help="add a key and print it once")
    db_arg(add)
    add.add_argument("--name", required=True, help="who uses it, e.g. 市民随手拍APP")
    add.add_argument("--kind", required=True, choices=CHANNELS, help="open311 or hotline")
    add.add_argument("--source", required=True,
                     help="stable name of the sending system (tickets are unique per source), e.g. qd12345")
    add.add_argument("--jurisdiction", required=True, help="node code the key may file and read cases in")
    add.add_argument("--rate", type=int, default=60, help="requests per minute (default 60)")
    lst = key_sub.add_parser("list", help="list keys (never the keys themselves)")
    db_arg(lst)
    rev = key_sub.add_parser("revoke", help="revoke a key: it stops working at once")
    db_arg(rev)
    rev.add_argument("key_id")

    hot = sub.add_parser("hotline", help="the 12345 hotline bridge")
    hot_sub = hot.add_subparsers(dest="hotline_command", metavar="ACTION")
    imp = hot_sub.add_parser("import", help="file the tickets of an exported .json or .csv file (idempotent)")
    db_arg(imp)
    imp.add_argument("file", type=Path)
    imp.add_argument("--key-id", required=True, help="id of the hotline key the tickets come under")


def _store(args):
    from backend.store import Store

    return Store.open(args.db or os.environ.get("GRIDCC_DB_URL"))


def cmd_apikey(args) -> int:
    from backend.intake.store import IntakeStore

    if args.apikey_command is None:
        raise ValueError("apikey needs an action: add, list or revoke")
    intake = IntakeStore(_store(args))
    if args.apikey_command == "add":
        key, secret = intake.add_key(args.name, args.kind, args.source, args.jurisdiction, args.rate, time.time())
        print(f"key {key.id} ({key.name}, {key.kind}, source {key.source}, jurisdiction {key.jurisdiction or '(all)'}, "
              f"{key.rate_per_minute}/min) added.")
        print("api key (shown once, store it now):")
        print(secret)
    elif args.apikey_command == "revoke":
        intake.revoke_key(args.key_id, time.time())
        print(f"key {args.key_id} revoked")
    else:
        print("id\tname\tkind\tsource\tjurisdiction\trate_per_minute\tcreated_at\trevoked_at")
        for key in intake.list_keys():
            print("\t".join("" if x is None else str(x) for x in key))
    return 0


def read_tickets(path: Path) -> list[Ticket]:
    """Tickets of an exported file: JSON (as POSTed) or CSV with a header row of ticket fields."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror}") from None
    if path.suffix.lower() == ".json":
        return tickets_from_json(raw)
    if path.suffix.lower() != ".csv":
        raise ValueError(f"{path}: a .json or .csv file is expected")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not UTF-8 text") from None
    rows = list(csv.DictReader(io.StringIO(text)))
    tickets, problems = [], []
    for line, row in enumerate(rows, start=2):
        try:
            tickets.append(ticket_from_mapping(row))
        except IntakeError as exc:
            problems.append(f"{path}:{line}: {exc.description}")
    if problems:
        raise ValueError("; ".join(problems))
    return tickets


def cmd_hotline(args) -> int:
    from backend.intake.service import Intake
    from domain.rules import default_rules

    if args.hotline_command is None:
        raise ValueError("hotline needs an action: import")
    tickets = read_tickets(args.file)
    intake = Intake(_store(args), default_rules(), time.time)
    key = next((k for k in intake.store.list_keys() if k.id == args.key_id and k.revoked_at is None), None)
    if key is None or key.kind != "hotline":
        raise ValueError(f"no live hotline key with id {args.key_id!r}")
    subs, problems = [], []
    for t in tickets:  # every ticket is checked before any is filed
        try:
            subs.append(intake.hotline_submission(key, t))
        except IntakeError as exc:
            problems.append(f"ticket {t.ticket_no}: {exc.description}")
    if problems:
        for p in problems:
            print(f"gridcc-hub: {p}", file=sys.stderr)
        raise ValueError(f"{len(problems)} of {len(tickets)} tickets refused; nothing was filed")
    created = sum(f.created for f in intake.store.file_many(key, subs, time.time(), intake.rules))
    print(f"{len(tickets)} tickets from {args.file}: {created} new cases, {len(tickets) - created} already filed")
    return 0


HANDLERS = {"apikey": cmd_apikey, "hotline": cmd_hotline}
