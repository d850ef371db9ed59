"""Words for the trainer panel: places, categories, upcoming events, and the scorecard's footnotes."""

from __future__ import annotations

import functools
import time

from PySide6.QtCore import QCoreApplication

from backend.embedded import ScenarioError, load_scenario
from widgets.common.formatting import arg, time_text
from widgets.common.names import urgency_label


@functools.cache
def _scenario_name(ref: str) -> str:
    from domain.rules import default_rules

    try:
        return load_scenario(ref, default_rules().catalog).name
    except ScenarioError:
        return ref


class Labels:
    def __init__(self, session) -> None:
        self.session = session
        self.catalog = session.rules.catalog

    def scenario(self, ref: str) -> str:
        return _scenario_name(ref)

    def street(self, code: str) -> str:
        return f"{self.session.node_name(code[:6])} {self.session.node_name(code)}"

    def grid(self, code: str) -> str:
        return f"{self.session.node_name(code[:12])} {self.session.node_name(code)}"

    def category(self, code: str) -> str:
        category = self.catalog.categories.get(code)
        return code if category is None else category.name

    def categories(self) -> list[tuple[str, str]]:
        """Active items as "部件 / 公用设施 / 雨水井盖": 部件 first, then 事件, each by class."""
        kinds = dict(self.catalog.kinds())
        return [(c.code, f"{kinds.get(c.kind, c.kind)} / {c.class_name} / {c.name}") for c in self.catalog.active()]

    def upcoming(self, u) -> str:
        text = f"{time_text(u.at)} {self.category(u.category)} · {self.street(u.grid[:9])} · {urgency_label(u.urgency)}"
        if u.injected:
            text += " " + QCoreApplication.translate("TrainerLabels", "(scheduled)")  # （预设）
        return text

    def injected(self, case, now: float) -> str:
        return f"{time_text(now)} {case.id} {self.category(case.category)} · {self.grid(case.node)}"

    def score_note(self) -> str:
        return QCoreApplication.translate(
            "TrainerLabels",
            "Times run from the report to the trainee's first accept or dispatch, in simulated minutes. "
            "Right department: dispatches to the category's default department. Conflicts (someone else "
            # zh: 用时从上报起算至学员首次受理或派遣（模拟分钟）。部门选择正确：派遣至该类别的默认责任部门。
            # 版本冲突（他人先改动了事件）不计为失误。
            "changed the case first) are not counted as mistakes.")

    def pdf_title(self) -> str:
        return arg(QCoreApplication.translate("TrainerLabels", "Training scorecard · %1"),  # 培训成绩单 · %1
                   self.session.scenario.name)

    def pdf_facts(self) -> list[str]:
        s = self.session
        return [
            arg(QCoreApplication.translate("TrainerLabels", "Scenario: %1 (%2)"),  # 场景：%1（%2）
                s.scenario.name, s.scenario.description),
            arg(QCoreApplication.translate("TrainerLabels", "Simulated time: %1 to %2"),  # 模拟时间：%1 至 %2
                time_text(s.sim_start, "%Y-%m-%d %H:%M"), time_text(s.now(), "%Y-%m-%d %H:%M")),
            arg(QCoreApplication.translate("TrainerLabels", "Trainees: %1 · printed %2"),  # 学员：%1 人 · 打印于 %2
                len(s.accounts), time_text(time.time(), "%Y-%m-%d %H:%M")),
        ]

    def pdf_notes(self) -> list[str]:
        return [self.score_note()]
