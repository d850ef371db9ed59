"""Division table import: the real Qingdao file, and every kind of bad row with its line."""

from __future__ import annotations

import collections

import pytest

from backend.city.divisions import DivisionsError, parse_divisions
from domain.city import NodeInfo
from domain.hierarchy import Level, parent_of

HEADER = "code,name,level,parent_code\n"
GOOD = HEADER + "37,山东省,province,\n3702,青岛市,city,37\n370202,市南区,district,3702\n"


def problems_of(text: str) -> list[str]:
    with pytest.raises(DivisionsError) as info:
        parse_divisions(text, source="t.csv")
    assert str(info.value).startswith("t.csv: ")
    return info.value.problems


def test_real_qingdao_file(shared_data):
    nodes = parse_divisions((shared_data / "qingdao_divisions.csv").read_text(encoding="utf-8"), "qingdao")
    assert len(nodes) == 153
    levels = collections.Counter(Level(n.level) for n in nodes)
    assert levels == {Level.PROVINCE: 1, Level.CITY: 1, Level.DISTRICT: 10, Level.STREET: 141}
    by_code = {n.code: n for n in nodes}
    assert by_code["370202"].name == "市南区"
    assert by_code["370285"].name == "莱西市"
    assert by_code["370202001"].name == "香港中路街道"
    seen = set()
    for n in nodes:
        assert n.parent == parent_of(n.code)
        assert n.parent is None or n.parent in seen, f"{n.code} listed before its parent"
        seen.add(n.code)
    streets_per_district = collections.Counter(n.parent for n in nodes if n.level == Level.STREET)
    assert streets_per_district["370202"] == 11
    assert streets_per_district["370203"] == 22
    assert sum(streets_per_district.values()) == 141


def test_children_before_parents_are_sorted_parent_first_and_bom_blank_lines_quotes_are_fine():
    text = "\ufeff" + HEADER + '370202,"市南区",district,3702\n\n3702,青岛市,city,37\n37,山东省,province,\n'
    nodes = parse_divisions(text)
    assert [n.code for n in nodes] == ["37", "3702", "370202"]
    assert nodes[2] == NodeInfo(code="370202", name="市南区", level=int(Level.DISTRICT), parent="3702")


def test_a_file_may_start_below_the_province():
    nodes = parse_divisions(HEADER + "3702,青岛市,city,\n370202,市南区,district,3702\n")
    assert [n.parent for n in nodes] == ["37", "3702"]  # the true parent, even if not in the file


@pytest.mark.parametrize(
    "row, expected",
    [
        ("370213,李沧区,district\n", "line 5: expected 4 columns, got 3"),
        ("37021x,李沧区,district,3702\n", "line 5: node code '37021x' must contain only the digits 0-9"),
        ("3702131,李沧区,district,3702\n", "line 5: node code '3702131' has 7 digits"),
        ("370200,青岛市辖区,district,3702\n", "line 5: node code '370200': the district part '00' is all zeros"),
        ("370213,李沧区,street,3702\n", "line 5: code 370213 has 6 digits, which is a district, but level says 'street'"),
        ("370213,李沧区,county,3702\n", "line 5: level 'county' is not one of province, city"),
        ("370213, ,district,3702\n", "line 5: code 370213: name is empty"),
        ("370213,李沧区,district,3703\n", "line 5: parent_code '3703' is not the parent of 370213; expected '3702'"),
        ("370202,市南区,district,3702\n", "line 5: code 370202 duplicates line 4"),
        ("370213,李沧区,district,\n", "line 5: parent_code of 370213 is empty, but only the top row may omit it"),
        ("38,河南省,province,37\n", "line 5: code 38 is a province and has no parent, but parent_code is '37'"),
        ("370213001,某街道,street,370213\n", "line 5: parent 370213 of 370213001 is not in the file"),
    ],
)
def test_each_bad_row_kind_is_reported_with_its_line(row, expected):
    problems = problems_of(GOOD + row)
    assert len(problems) == 1, problems
    assert problems[0].startswith(expected), problems[0]


def test_all_bad_rows_are_reported_together_in_line_order_and_nothing_is_returned():
    text = GOOD + "370213,,district,3702\n370214,城阳区,district,3702\n370215,即墨区,street,3702\nxx,y,city,37\n"
    problems = problems_of(text)
    assert [p.split(":")[0] for p in problems] == ["line 5", "line 7", "line 8"]


def test_line_numbers_count_blank_lines():
    problems = problems_of(GOOD + "\n\n370213,李沧区,district,3799\n")
    assert problems[0].startswith("line 7: ")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", "line 1: the file is empty"),
        ("code,name,level\n37,山东省,province\n", "line 1: header must be code,name,level,parent_code"),
        (HEADER, "line 2: the file has a header but no rows"),
    ],
)
def test_bad_files(text, expected):
    assert problems_of(text)[0].startswith(expected)


def test_error_is_a_value_error_listing_the_lines():
    with pytest.raises(ValueError, match=r"1 problem\(s\):\n  line 5: code 370202 duplicates line 4"):
        parse_divisions(GOOD + "370202,市南区,district,3702\n")
