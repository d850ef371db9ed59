"""Display names of the gridwork keys (care groups, patrols, attendee roles, place kinds)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

_CTX = "Gridwork"

CARE = {
    "elderly_alone": QT_TRANSLATE_NOOP("Gridwork", "Elderly living alone"),  # 独居老人
    "elderly_80": QT_TRANSLATE_NOOP("Gridwork", "Elderly over 80"),  # 高龄老人
    "disabled": QT_TRANSLATE_NOOP("Gridwork", "Disabled"),  # 残疾人
    "left_behind_children": QT_TRANSLATE_NOOP("Gridwork", "Left-behind children"),  # 留守儿童
    "children_in_difficulty": QT_TRANSLATE_NOOP("Gridwork", "Children in difficulty"),  # 困境儿童
    "low_income": QT_TRANSLATE_NOOP("Gridwork", "Subsistence allowance"),  # 低保
    "veterans": QT_TRANSLATE_NOOP("Gridwork", "Veterans"),  # 退役军人
    "serious_illness": QT_TRANSLATE_NOOP("Gridwork", "Seriously ill"),  # 重病患者
}
PATROLS = {
    "routine": QT_TRANSLATE_NOOP("Gridwork", "Routine patrol"),  # 日常巡查
    "ice": QT_TRANSLATE_NOOP("Gridwork", "Ice safety patrol"),  # 冰面安全巡查
    "flood": QT_TRANSLATE_NOOP("Gridwork", "Flood patrol"),  # 防汛巡查
    "fire": QT_TRANSLATE_NOOP("Gridwork", "Fire patrol"),  # 防火巡查
}
ROLES = {
    "resident": QT_TRANSLATE_NOOP("Gridwork", "Resident"),  # 居民代表
    "grid_head": QT_TRANSLATE_NOOP("Gridwork", "Grid head"),  # 网格长
    "grid_worker": QT_TRANSLATE_NOOP("Gridwork", "Grid worker"),  # 网格员
    "party": QT_TRANSLATE_NOOP("Gridwork", "Party member"),  # 党员
    "property": QT_TRANSLATE_NOOP("Gridwork", "Property management"),  # 物业
    "department": QT_TRANSLATE_NOOP("Gridwork", "Department"),  # 部门代表
    "volunteer": QT_TRANSLATE_NOOP("Gridwork", "Volunteer"),  # 志愿者
}
PLACES = {
    "school": QT_TRANSLATE_NOOP("Gridwork", "School"),  # 学校
    "clinic": QT_TRANSLATE_NOOP("Gridwork", "Clinic"),  # 医疗点
    "market": QT_TRANSLATE_NOOP("Gridwork", "Market"),  # 市场
    "elderly": QT_TRANSLATE_NOOP("Gridwork", "Elderly centre"),  # 养老场所
    "site": QT_TRANSLATE_NOOP("Gridwork", "Construction site"),  # 工地
    "water": QT_TRANSLATE_NOOP("Gridwork", "Waterway"),  # 水域
}


def _label(table: dict[str, str], key: str) -> str:
    source = table.get(key)
    return QCoreApplication.translate(_CTX, source) if source else key


def care_label(key: str) -> str:
    return _label(CARE, key)


def care_labels(keys) -> str:
    return "、".join(care_label(k) for k in keys)


def patrol_label(key: str) -> str:
    return _label(PATROLS, key)


def role_label(key: str) -> str:
    return _label(ROLES, key)


def place_label(key: str) -> str:
    return _label(PLACES, key)


def percent(part: int, whole: int) -> str:
    return "—" if whole == 0 else f"{100.0 * part / whole:.1f}%"
