"""The special-care register's groups (重点关爱人群) and how often each is visited.

A person may belong to several groups; they are visited at the shortest interval of their
groups (an elderly person living alone who is also disabled is visited weekly).
"""

from __future__ import annotations

from domain.periods import CST_OFFSET

#: Group key → (Chinese name, days between visits, the usual care needs).
CARE_GROUPS: dict[str, tuple[str, int, str]] = {
    "elderly_alone": ("独居老人", 7, "生活照料、安全检查"),
    "elderly_80": ("高龄老人", 14, "健康随访"),
    "disabled": ("残疾人", 14, "康复、辅具"),
    "left_behind_children": ("留守儿童", 7, "监护、学业"),
    "children_in_difficulty": ("困境儿童", 7, "生活保障、心理关爱"),
    "low_income": ("低保户", 30, "救助政策落实"),
    "veterans": ("退役军人", 30, "优抚政策落实"),
    "serious_illness": ("重病患者", 14, "就医协助"),
}
CARE_KEYS = tuple(CARE_GROUPS)
#: The default visit interval of someone in no known group.
DEFAULT_FREQUENCY_DAYS = 30
DAY = 86400.0


def care_name(key: str) -> str:
    return CARE_GROUPS[key][0] if key in CARE_GROUPS else key


def visit_frequency_days(groups: tuple[str, ...] | list[str]) -> int:
    """Days between visits: the shortest interval among the person's groups."""
    days = [CARE_GROUPS[g][1] for g in groups if g in CARE_GROUPS]
    return min(days) if days else DEFAULT_FREQUENCY_DAYS


def default_needs(groups: tuple[str, ...] | list[str]) -> str:
    return "；".join(CARE_GROUPS[g][2] for g in groups if g in CARE_GROUPS)


#: China Standard Time is UTC+8; a visit is due by the end of its due day there.


def end_of_day(t: float) -> float:
    """The last second of the China Standard Time day ``t`` falls in."""
    return (t + CST_OFFSET) // DAY * DAY - CST_OFFSET + DAY - 1


def next_due(last_visit_at: float, frequency_days: int) -> float:
    """When the next visit is due after a visit at ``last_visit_at``: the end of the day
    ``frequency_days`` later (a weekly visit made on a Tuesday is due by the next Tuesday)."""
    return end_of_day(last_visit_at + frequency_days * DAY)
