"""Node codes and the six levels."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.hierarchy import (
    _WELL_FORMED,
    CodeError,
    Hierarchy,
    Level,
    _checked_part_by_part,
    ancestors,
    is_within,
    level_of,
    lineage,
    parent_of,
    validate_code,
)

GRID = "370202001001003"


def test_levels_from_code_lengths():
    assert [level_of(c) for c in ("37", "3702", "370202", "370202001", "370202001001", GRID)] == list(Level)


def test_parent_and_ancestors_are_prefixes():
    assert parent_of(GRID) == "370202001001"
    assert parent_of("37") is None
    assert ancestors(GRID) == ["37", "3702", "370202", "370202001", "370202001001"]
    assert lineage("370202") == ["37", "3702", "370202"]
    assert is_within(GRID, "370202") and not is_within(GRID, "370203") and is_within(GRID, "")


@pytest.mark.parametrize("code,message", [
    ("", "empty"),
    ("37020", "5 digits"),
    ("3702O2", "only the digits"),
    ("３７", "only the digits"),  # full-width digits are not ASCII
    ("370200", "district part '00' is all zeros"),
    ("370202000", "street part '000' is all zeros"),
    ("370202001001000", "grid part '000' is all zeros"),
])
def test_bad_codes_say_what_is_wrong(code, message):
    with pytest.raises(CodeError, match=message):
        validate_code(code)


def test_non_string_code():
    with pytest.raises(CodeError, match="string"):
        validate_code(370202)


@given(st.integers(1, 99), st.integers(1, 999), st.integers(1, 999), st.integers(1, 999), st.integers(2, 5))
def test_every_generated_code_round_trips_through_its_lineage(district, street, community, grid, depth):
    parts = [f"{district:02d}", f"{street:03d}", f"{community:03d}", f"{grid:03d}"][: depth - 1]
    code = "3702" + "".join(parts)
    assert validate_code(code) == code and level_of(code) == Level(depth)
    assert lineage(code)[-1] == code and all(code.startswith(a) for a in ancestors(code))
    assert len(ancestors(code)) == depth and parent_of(code) == ancestors(code)[-1]


_GOOD_PARTS = (st.sampled_from(["01", "10", "37"]),) * 3 + (st.sampled_from(["001", "010", "100", "202"]),) * 3
_BAD_PART = st.sampled_from(["00", "000", "0", "0000", "1", "x1", "0 "])


@st.composite
def _codes(draw) -> str:
    """A well-formed code (parts with leading zeros included), or one with a part spoiled."""
    depth = draw(st.integers(1, 6))
    parts = [draw(part) for part in _GOOD_PARTS[:depth]]
    if draw(st.booleans()):
        parts[draw(st.integers(0, depth - 1))] = draw(_BAD_PART)
    return "".join(parts)


_CODES = _codes() | st.text(alphabet="012x", max_size=16)


@given(_CODES)
def test_the_one_match_accepts_exactly_what_the_part_by_part_check_accepts(code):
    """validate_code's fast path (one regular expression) and its checks with messages agree."""
    try:
        _checked_part_by_part(code)
        accepted = True
    except CodeError:
        accepted = False
    assert (_WELL_FORMED.fullmatch(code) is not None) == accepted
    if accepted:
        assert validate_code(code) == code
    else:
        with pytest.raises(CodeError):
            validate_code(code)


def test_hierarchy_tree_walks():
    h = Hierarchy([("37", "山东省"), ("3702", "青岛市"), ("370202", "市南区"), ("370203", "市北区"),
                   ("370202001", "香港中路街道")])
    assert h.children("3702") == ["370202", "370203"]
    assert list(h.subtree("3702")) == ["3702", "370202", "370202001", "370203"]
    assert h.path_names("370202001") == ["山东省", "青岛市", "市南区", "香港中路街道"]
    assert h.at_level(Level.DISTRICT) == ["370202", "370203"]
    assert h.name("999999") == "999999"  # unknown codes show as themselves
    with pytest.raises(CodeError, match="parent 370299 is not present"):
        h.add("370299001", "无主街道")
    with pytest.raises(CodeError, match="already present"):
        h.add("370202", "市南区")
