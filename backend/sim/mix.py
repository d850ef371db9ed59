"""The base mix of a normal day: how often each kind of case comes, when, and from whom.

Scenarios scale these (category multipliers, their own urgency and source mix, a volume);
what stays the same from one scenario to the next lives here. Figures are plausible
shares for a northern Chinese city's grid platform, not measurements: 市容环境 and 街面秩序
make up about half of all reports, 突发事件 well under one per cent.
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
    # 01 市容环境
    "01001": 9.0, "01002": 7.0, "01003": 5.0, "01004": 4.0, "01005": 4.0, "01006": 2.0, "01007": 2.0,
    "01008": 0.5,
    # 02 街面秩序
    "02001": 7.0, "02002": 2.0, "02003": 4.0, "02004": 3.0, "02005": 5.0, "02006": 2.5, "02007": 0.5,
    # 03 公共设施
    "03001": 1.0, "03002": 3.0, "03003": 3.0, "03004": 2.0, "03005": 0.3, "03006": 0.05, "03007": 0.2,
    "03008": 2.0, "03009": 1.0, "03010": 1.0,
    # 04 施工管理
    "04001": 1.5, "04002": 1.5, "04003": 1.0, "04004": 1.0, "04005": 0.8,
    # 05 安全隐患
    "05001": 1.0, "05002": 0.3, "05003": 2.5, "05004": 0.02, "05005": 0.5, "05006": 1.5, "05007": 0.8,
    # 06 矛盾纠纷
    "06001": 2.5, "06002": 0.8, "06003": 1.5, "06004": 0.8, "06005": 0.8,
    # 07 民生服务
    "07001": 1.5, "07002": 2.0, "07003": 2.0, "07004": 1.0, "07005": 0.5, "07006": 0.8, "07007": 0.5,
    # 08 突发事件
    "08001": 0.1, "08002": 0.05, "08003": 0.03, "08004": 0.03, "08005": 0.3, "08006": 0.1,
    # 09 生态环境
    "09001": 0.5, "09002": 0.6, "09003": 1.2, "09004": 0.5, "09005": 0.4,
    # 10 市场监管
    "10001": 1.0, "10002": 0.6, "10003": 0.3, "10004": 0.3,
}
DEFAULT_WEIGHT = 1.0

#: Categories that are never reported as a normal (一般) case: people trapped, fire, …
MIN_URGENCY: dict[str, Urgency] = {
    "03005": Urgency.URGENT,
    "08001": Urgency.CRITICAL,
    "08002": Urgency.URGENT,
    "08003": Urgency.URGENT,
    "08004": Urgency.URGENT,
    "08005": Urgency.URGENT,
    "08006": Urgency.URGENT,
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
