"""Evidence rules as data, and the lifecycle refusing a step whose photos are missing."""

from __future__ import annotations

import msgspec
import pytest

from domain.errors import DomainError, ErrorCode
from domain.evidence import EvidenceError, load_evidence_policy, parse_evidence_policy
from domain.lifecycle import apply
from domain.model import Action, Actor, Args, Attachment, Role, Source, Stage, State, Urgency
from domain.rules import Rules, default_rules, evidence_rules

GRID = "370202001001001"
OP = Actor("op", Role.OPERATOR, "370202001")
DEPT = Actor("dept", Role.DEPARTMENT, "3702", department="szyl")
T0 = 1772413200.0


def photo(stage: Stage, n: int = 1) -> Attachment:
    return Attachment(sha256=f"{n:064x}", mime="image/jpeg", size=1000, stage=stage)


def in_progress(rules: Rules, category: str = "10103"):
    case = apply(None, Action.REPORT, Args(node=GRID, category=category, urgency=Urgency.NORMAL,
                                           source=Source.GRID_WORKER), OP, T0, rules, new_id="C1").case
    case = apply(case, Action.ACCEPT, Args(), OP, T0 + 1, rules).case
    case = apply(case, Action.DISPATCH, Args(department="szyl"), OP, T0 + 2, rules).case
    return apply(case, Action.SIGN, Args(), DEPT, T0 + 3, rules).case


def test_the_shipped_rules():
    policy = load_evidence_policy()
    assert policy.required("10103", Action.RESOLVE) == (Stage.AFTER,)
    assert policy.required("10103", Action.VERIFY) == (Stage.AFTER, Stage.VERIFICATION)
    assert policy.required("10103", Action.VERIFY, passed=False) == ()
    assert policy.required("21001", Action.RESOLVE) == ()  # 矛盾纠纷: no scene to photograph
    assert not default_rules().evidence and evidence_rules().evidence


def test_resolve_and_verify_are_refused_until_the_photos_are_attached():
    rules = evidence_rules()
    case = in_progress(rules)
    with pytest.raises(DomainError) as refused:
        apply(case, Action.RESOLVE, Args(), DEPT, T0 + 4, rules)
    assert refused.value.code is ErrorCode.EVIDENCE_REQUIRED and refused.value.detail == {"missing": ["after"]}
    case = apply(case, Action.ATTACH, Args(attachment=photo(Stage.AFTER)), DEPT, T0 + 4, rules).case
    assert case.attachments[0].by == "dept" and case.attachments[0].at == T0 + 4  # stamped by the domain
    case = apply(case, Action.RESOLVE, Args(), DEPT, T0 + 5, rules).case
    with pytest.raises(DomainError) as refused:
        apply(case, Action.VERIFY, Args(passed=True), OP, T0 + 6, rules)
    assert refused.value.detail == {"missing": ["verification"]}
    rework = apply(case, Action.VERIFY, Args(passed=False, reason="未整改"), OP, T0 + 6, rules).case
    assert rework.state is State.IN_PROGRESS  # sending back needs no photo
    case = apply(case, Action.ATTACH, Args(attachment=photo(Stage.VERIFICATION, 2)), OP, T0 + 7, rules).case
    assert apply(case, Action.VERIFY, Args(passed=True), OP, T0 + 8, rules).case.state is State.CLOSED


def test_without_rules_nothing_is_required():
    rules = default_rules()
    case = apply(in_progress(rules), Action.RESOLVE, Args(), DEPT, T0 + 4, rules).case
    assert case.state is State.RESOLVED


def test_attach_needs_a_reference_and_an_open_case():
    rules = evidence_rules()
    case = in_progress(rules)
    with pytest.raises(DomainError) as refused:
        apply(case, Action.ATTACH, Args(), DEPT, T0 + 4, rules)
    assert refused.value.code is ErrorCode.INVALID
    closed = msgspec.structs.replace(case, state=State.CLOSED)
    with pytest.raises(DomainError) as refused:
        apply(closed, Action.ATTACH, Args(attachment=photo(Stage.AFTER)), OP, T0 + 4, rules)
    assert refused.value.code is ErrorCode.ILLEGAL_TRANSITION


@pytest.mark.parametrize("text, message", [
    ('[[rule]]\naction = "fly"\nstages = ["after"]', "unknown action"),
    ('[[rule]]\naction = "resolve"\nstages = ["later"]', "unknown stage"),
    ('[[rule]]\naction = "resolve"\nstages = []', "non-empty"),
    ('[[rule]]\naction = "resolve"\nstages = ["after"]\nonly = ["x1"]', "category codes"),
    ('[[rules]]', "unknown key"),
])
def test_bad_rule_files_are_refused_with_the_reason(text, message):
    with pytest.raises(EvidenceError, match=message):
        parse_evidence_policy(text, "test.toml")
