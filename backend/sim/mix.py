"""The base mix of a normal day: how often each kind of case comes, when, and from whom.

Scenarios scale these (category multipliers, their own urgency and source mix, a volume);
what stays the same from one scenario to the next lives here. Figures are plausible
shares for a northern Chinese city's grid platform, not measurements: 市容环境 and 街面秩序
make up about half of all reports, 突发事件 a few per cent (mostly blocked sewers).
"""

from __future__ import annotations

from domain.model import Source, Urgency

#: Items per day city-wide in a normal day: Qingdao's ~9,000 (docs/operations.md §4).
REFERENCE_VOLUME = 9000
#: Grids of the city that REFERENCE_VOLUME belongs to; smaller demo cities get a
#: proportional share so their operators see a plausible load.
REFERENCE_GRIDS = 14000

#: Relative weight per category code. Codes missing here (a city's own additions) get
#: DEFAULT_WEIGHT; seasonal items are near zero and scenarios raise them.
BASE_WEIGHTS: dict[str, float] = {
    # 部件 101 公用设施: covers, lights, hydrants
    "10101": 0.3, "10102": 0.4, "10103": 1.0, "10104": 0.8, "10111": 0.2, "10123": 0.2, "10137": 3.0,
    "10146": 1.0, "10149": 0.1, "10151": 1.5,
    # 部件 102 道路交通
    "10204": 0.5, "10212": 0.3, "10217": 0.6, "10251": 0.5, "10252": 1.0, "10253": 3.0,
    # 部件 103 市容环境, 104 园林绿化, 105 房屋土地, 106 其他设施
    "10301": 0.8, "10305": 1.2, "10306": 0.5, "10402": 1.0, "10408": 0.3, "10551": 2.0, "10552": 0.3,
    "10606": 0.2, "10607": 0.2,
    # 事件 201 市容环境
    "20101": 2.0, "20102": 9.0, "20104": 4.0, "20105": 0.4, "20106": 2.0, "20151": 7.0, "20152": 0.5,
    # 事件 202 宣传广告, 203 施工管理
    "20201": 4.0, "20202": 0.5, "20204": 0.5,
    "20301": 1.5, "20302": 1.5, "20304": 1.0, "20351": 1.0, "20352": 0.8,
    # 事件 204 突发事件 (下水道 is the common one; the rest are rare)
    "20401": 0.03, "20402": 0.05, "20403": 0.02, "20404": 2.0, "20451": 0.3, "20452": 0.03, "20453": 0.03,
    "20454": 0.3, "20455": 0.1, "20456": 0.2, "20457": 0.1, "20458": 0.05,
    # 事件 205 街面秩序
    "20501": 7.0, "20504": 5.0, "20505": 4.0, "20506": 3.0, "20507": 5.0, "20510": 0.5,
    # GridCC's social-governance classes: 210 矛盾纠纷, 211 社会治安, 212 民生服务
    "21001": 2.5, "21002": 0.8, "21003": 1.5, "21004": 0.8, "21005": 0.8, "21006": 0.3,
    "21101": 2.5, "21102": 0.5,
    "21201": 1.5, "21202": 2.0, "21204": 1.0, "21205": 0.5, "21206": 0.8, "21207": 0.5, "21208": 0.3,
    # 213 安全隐患, 214 生态环境, 215 市场监管
    "21301": 1.0, "21303": 2.5, "21305": 0.5, "21307": 0.8, "21308": 2.0, "21309": 0.5,
    "21401": 0.5, "21402": 0.6, "21403": 1.2, "21404": 0.5,
    "21501": 1.0, "21502": 0.6, "21503": 0.3, "21504": 0.3,
}
DEFAULT_WEIGHT = 1.0

#: Categories that are never reported as a normal (一般) case: people trapped, fire, …
MIN_URGENCY: dict[str, Urgency] = {
    "20401": Urgency.URGENT,
    "20403": Urgency.URGENT,
    "20451": Urgency.URGENT,
    "20457": Urgency.CRITICAL,
    "20458": Urgency.URGENT,
    "20452": Urgency.URGENT,
    "20453": Urgency.URGENT,
    "20454": Urgency.URGENT,
    "20455": Urgency.URGENT,
}

URGENCY_MIX: dict[Urgency, float] = {Urgency.NORMAL: 0.85, Urgency.URGENT: 0.12, Urgency.CRITICAL: 0.03}

SOURCE_MIX: dict[Source, float] = {
    Source.GRID_WORKER: 0.55,
    Source.RESIDENT: 0.14,
    Source.HOTLINE: 0.18,
    Source.VIDEO: 0.09,
    Source.MEETING: 0.04,
}

#: Relative arrivals per hour of the day (CST), 0:00 first: a night low, a morning peak
#: when grid workers make their first round, a dip at lunch, an afternoon peak.
HOURLY_PROFILE: tuple[float, ...] = (
    0.9, 0.6, 0.45, 0.4, 0.45, 0.8,  # 00–05
    1.6, 3.2, 5.6, 7.2, 7.6, 6.6,  # 06–11
    4.4, 4.8, 6.6, 7.0, 6.8, 5.6,  # 12–17
    4.0, 3.3, 2.8, 2.2, 1.7, 1.25,  # 18–23
)
