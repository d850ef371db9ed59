"""Evidence rules: which attachment stages an action needs, as data.

The rules live in ``resources/catalog/evidence.toml`` (a city edits them without a
release). ``domain.lifecycle.apply`` asks :meth:`EvidencePolicy.missing` before a step
and refuses it with ``EVIDENCE_REQUIRED`` (``detail["missing"]`` lists the stages) when
the case lacks a required photo. An empty policy requires nothing.

File format::

    [[rule]]
    action = "verify"                  # an Action value
    stages = ["after", "verification"] # Stage values the case must hold
    only = ["01", "10103"]             # optional: category classes or items it applies to
    except = ["06"]                    # optional: classes or items left out
"""

from __future__ import annotations

import pathlib
import tomllib
from collections.abc import Iterable

import msgspec

from domain import datafiles
from domain.model import Action, Case, Stage

#: Attachment types the hub accepts, decided from the bytes.
IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp")
DOCUMENT_TYPES = ("application/pdf",)
ACCEPTED_TYPES = IMAGE_TYPES + DOCUMENT_TYPES


class EvidenceError(ValueError):
    """Evidence rules that cannot be used."""


class EvidenceRule(msgspec.Struct, frozen=True):
    action: Action
    stages: tuple[Stage, ...]
    only: tuple[str, ...] = ()  # category code prefixes; empty: every category
    exclude: tuple[str, ...] = ()

    def applies_to(self, category: str) -> bool:
        if self.only and not any(category.startswith(c) for c in self.only):
            return False
        return not any(category.startswith(c) for c in self.exclude)


class EvidencePolicy:
    """The rules, looked up by action and category."""

    def __init__(self, rules: Iterable[EvidenceRule] = ()) -> None:
        self.rules = tuple(rules)

    def __bool__(self) -> bool:
        return bool(self.rules)

    def required(self, category: str, action: Action | str, passed: bool | None = None) -> tuple[Stage, ...]:
        """The stages ``action`` needs for a case of ``category``, in rule order, without repeats."""
        action = Action(action)
        if action is Action.VERIFY and passed is False:
            return ()
        out: list[Stage] = []
        for rule in self.rules:
            if rule.action is action and rule.applies_to(category):
                out.extend(s for s in rule.stages if s not in out)
        return tuple(out)

    def missing(self, case: Case, action: Action | str, passed: bool | None = None) -> tuple[Stage, ...]:
        """The required stages ``case`` has no attachment for yet."""
        have = {a.stage for a in case.attachments}
        return tuple(s for s in self.required(case.category, action, passed) if s not in have)


NO_EVIDENCE = EvidencePolicy()


def load_evidence_policy(path: pathlib.Path | str | None = None) -> EvidencePolicy:
    """Read and validate an evidence rules file; by default the shipped ``resources/catalog/evidence.toml``."""
    return datafiles.load(path, "evidence.toml", parse_evidence_policy, EvidenceError, "evidence rules")


def parse_evidence_policy(text: str, source: str) -> EvidencePolicy:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise EvidenceError(f"{source}: invalid TOML: {exc}") from None
    unknown = sorted(set(data) - {"rule"})
    if unknown:
        raise EvidenceError(f"{source}: unknown key {unknown[0]!r}; allowed: rule")
    entries = data.get("rule", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise EvidenceError(f"{source}: 'rule' must be an array of tables ([[rule]])")
    rules = []
    for i, entry in enumerate(entries):
        where = f"{source}: rule #{i + 1}"
        extra = sorted(set(entry) - {"action", "stages", "only", "except"})
        if extra:
            raise EvidenceError(f"{where}: unknown key {extra[0]!r}; allowed: action, except, only, stages")
        try:
            action = Action(entry.get("action"))
        except ValueError:
            raise EvidenceError(f"{where}: unknown action {entry.get('action')!r}") from None
        stages = entry.get("stages")
        if not isinstance(stages, list) or not stages:
            raise EvidenceError(f"{where}: stages must be a non-empty list")
        try:
            parsed = tuple(Stage(s) for s in stages)
        except ValueError:
            known = ", ".join(s.value for s in Stage)
            raise EvidenceError(f"{where}: unknown stage in {stages!r}; known: {known}") from None
        codes = {}
        for key in ("only", "except"):
            value = entry.get(key, [])
            if not isinstance(value, list) or not all(isinstance(c, str) and c.isdigit() for c in value):
                raise EvidenceError(f"{where}: {key} must be a list of category codes")
            codes[key] = tuple(value)
        rules.append(EvidenceRule(action, parsed, codes["only"], codes["except"]))
    return EvidencePolicy(rules)
