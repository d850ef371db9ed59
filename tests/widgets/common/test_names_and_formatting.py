"""Labels for every enum value, Names lookups, CST times, countdowns, one-pass %n filling."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from domain.model import Action, SlaState, Source, State, Urgency
from tests.widgets.list_source import T0, make_case, small_city
from widgets.common.formatting import arg, countdown_text, duration_text, percent_text, time_text
from widgets.common.names import (
    MappingNames,
    Names,
    action_label,
    sla_label,
    source_label,
    state_label,
    urgency_label,
)


def test_every_enum_value_has_a_label(qapp):
    for enum_type, label in ((State, state_label), (Urgency, urgency_label), (Source, source_label),
                             (SlaState, sla_label), (Action, action_label)):
        labels = [label(value) for value in enum_type]
        assert all(labels) and len(set(labels)) == len(labels), enum_type
    assert urgency_label("critical") == "Critical"
    with pytest.raises(ValueError, match="no state label for 'done'"):
        state_label("done")


class _Chinese(QTranslator):
    """Stands in for the lead's zh_CN .qm: proves labels go through Qt translation."""

    TABLE = {("Names", "Critical"): "特急", ("Formatting", "%1 left"): "剩 %1", ("Formatting", "%1d %2"): "%1天 %2"}

    def translate(self, context, source, disambiguation=None, n=-1):
        return self.TABLE.get((context, source))

    def isEmpty(self):
        return False


def test_labels_are_translated_at_call_time(qapp):
    translator = _Chinese()
    assert QCoreApplication.installTranslator(translator)
    try:
        assert urgency_label(Urgency.CRITICAL) == "特急"
        case = make_case("C", deadline=T0 + 86400 + 5025)
        assert countdown_text(case, T0) == "剩 1天 1:23:45"
    finally:
        QCoreApplication.removeTranslator(translator)
    assert urgency_label(Urgency.CRITICAL) == "Critical"


def test_mapping_names(qapp):
    names = MappingNames({"20102": "暴露垃圾"}, small_city(), {"D01": "城管"}, path_from="370203001")
    assert isinstance(names, Names)
    assert names.category_name("20102") == "暴露垃圾" and names.category_name("99999") == "99999"
    assert names.node_name("370203001002") == "第1-2社区"
    assert names.node_path("370203001002003") == "第1街道 / 第1-2社区 / 第1-2-3网格"
    assert names.department_name("D01") == "城管" and names.department_name("X") == "X"
    assert MappingNames().node_path("370203") == "370203"


def test_times_are_china_standard_time(qapp):
    assert time_text(T0, "%Y-%m-%d %H:%M:%S") == "2025-01-01 10:53:20"
    assert time_text(None) == ""
    assert duration_text(5025) == "1:23:45" and duration_text(-3) == "0:00:00"
    assert percent_text(0.9912) == "99.1%" and percent_text(None) == "—"


def test_arg_fills_once(qapp):
    assert arg("%1 · %2", "a%2", "b") == "a%2 · b"
    assert arg("%2 before %1", "x", "y") == "y before x"
    assert arg("%1 and %3", "x") == "x and %3"
