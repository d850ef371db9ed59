"""A timeline entry's detail in words: names for departments, categories, grids and levels,
通过/不通过 for a verification, times as times — never a raw code, id or ``True``.

An event's ``detail`` holds the arguments of its command and what changed (see
``domain.lifecycle``). Each key this module knows becomes a phrase; keys it does not know
are left out rather than shown raw, so a new argument needs a line in ``PHRASES`` to appear.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication

from widgets.common.formatting import QT_TRANSLATE_NOOP, arg, time_text
from widgets.common.names import Names, source_label, urgency_label
from widgets.console.evidence import stage_label
from widgets.console.loop_detail import loop_event_text

_CTX = "CaseDetail"

LEVEL_NAMES = {
    0: "Province",  # 省
    1: "City",  # 市
    2: "District",  # 区
    3: "Street",  # 街道
    4: "Community",  # 社区
    5: "Grid",  # 网格
}


def _t(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def condition_name(names: Names, code: str) -> str:
    """The 立案条件's words when the names know them (the app's directory does), else the code."""
    lookup = getattr(names, "condition_name", None)
    return str(lookup(code)) if callable(lookup) else code


def _report(d: Mapping[str, Any], names: Names) -> list[str]:
    parts = []
    if d.get("source"):
        try:
            parts.append(source_label(str(d["source"])))
        except ValueError:
            pass
    if d.get("category"):
        parts.append(names.category_name(str(d["category"])))
    if d.get("node"):
        parts.append(names.node_name(str(d["node"])))
    if d.get("urgency") and d["urgency"] != "normal":
        try:
            parts.append(urgency_label(str(d["urgency"])))
        except ValueError:
            pass
    return [" · ".join(parts)] if parts else []


def _phrase(template: str, fmt: Callable[[Any], str] = str) -> Callable[[Any, Names], str]:
    return lambda value, names: arg(_t(template), fmt(value))


def _department(value: Any, names: Names) -> str:
    return arg(QCoreApplication.translate("CaseDetail", "To %1"), names.department_name(str(value)))


def _passed(value: Any, names: Names) -> str:
    if value is True:
        return QCoreApplication.translate("CaseDetail", "Verified")  # 核实通过
    return QCoreApplication.translate("CaseDetail", "Not verified")  # 核实未通过


def _on_time(value: Any, names: Names) -> str:
    if value is True:
        return QCoreApplication.translate("CaseDetail", "Closed on time")  # 按期结案
    return QCoreApplication.translate("CaseDetail", "Closed late")  # 超期结案


def _owner(value: Any, names: Names) -> str:
    level = LEVEL_NAMES.get(value) if isinstance(value, int) else None
    # zh: 现由%1负责
    return arg(QCoreApplication.translate("CaseDetail", "Now owned by: %1"), _t(level)) if level else ""


def _attachment(value: Any, names: Names) -> str:
    stage = value.get("stage") if isinstance(value, Mapping) else getattr(value, "stage", None)
    name = value.get("name") if isinstance(value, Mapping) else getattr(value, "name", "")
    return " ".join(t for t in (stage_label(stage) if stage else "", name or "") if t)


def _when(value: Any) -> str:
    return time_text(float(value), "%Y-%m-%d %H:%M") if isinstance(value, (int, float)) else ""


#: detail key → its phrase, in the order they are joined. ``merged_into`` repeats ``parent_id``.
PHRASES: dict[str, Callable[[Any, Names], str]] = {
    "reason": lambda v, n: str(v),
    "message": lambda v, n: str(v),
    "department": _department,
    "passed": _passed,
    "parent_id": _phrase(QT_TRANSLATE_NOOP("CaseDetail", "Into case %1")),  # 合并至 %1
    "level": _phrase(QT_TRANSLATE_NOOP("CaseDetail", "Level %1 supervision")),  # %1级督办
    "due": _phrase(QT_TRANSLATE_NOOP("CaseDetail", "due %1"), _when),  # 期限 %1
    "owner_level": _owner,
    "extension_count": _phrase(QT_TRANSLATE_NOOP("CaseDetail", "Extension %1 of 2")),  # 第%1次延期（共2次）
    "deadline": _phrase(QT_TRANSLATE_NOOP("CaseDetail", "deadline %1"), _when),  # 截止 %1
    "rework_count": _phrase(QT_TRANSLATE_NOOP("CaseDetail", "Rework no. %1")),  # 第%1次返工
    "closed_on_time": _on_time,
    "ticket_no": _phrase(QT_TRANSLATE_NOOP("CaseDetail", "12345 ticket %1")),  # 12345 工单 %1
    "condition": lambda v, n: arg(QCoreApplication.translate("CaseDetail", "Filing condition: %1"),
                                  condition_name(n, str(v))),  # 立案条件：%1
    "attachment": _attachment,
}


def event_detail_text(detail: Mapping[str, Any], names: Names) -> str:
    """A timeline entry's detail in words (a report: source, category, grid; then every known key)."""
    parts = _report(detail, names) if "category" in detail and "node" in detail else []
    for key, phrase in PHRASES.items():
        value = detail.get(key)
        if value in (None, "") or (key == "merged_into"):
            continue
        text = phrase(value, names)
        if text:
            parts.append(text)
    parts.extend(loop_event_text(dict(detail), names))  # the step, a request and its answer, a verdict, 协办
    return "；".join(parts)
