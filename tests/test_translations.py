"""The zh_CN catalogue: the committed .qm works, the .ts is complete and current with the code,
and tools/translations.py fills, checks and harvests the way its docstring says."""

from __future__ import annotations

import importlib.util
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("gridcc_translations_tool", ROOT / "tools" / "translations.py")
tool = sys.modules.setdefault(_spec.name, importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(tool)

KNOWN = [
    ("StatusBar", "Live", "在线"),
    ("StatusBar", "Reconnecting…", "正在重连…"),
    ("Names", "Accept", "立案"),
    ("Names", "Reject", "不予立案"),
    ("Names", "Urge", "催办"),
    ("Names", "Escalate", "上报上级"),
    ("Names", "Sign for", "签收"),
    ("QueueTabs", "Intake", "待受理"),
    ("CaseDetail", "%1\nReply: %2", "%1\n反馈：%2"),
]


def committed_ts() -> ET.ElementTree:
    return ET.parse(tool.TS_FILE)


# -- (a) the compiled catalogue -----------------------------------------------------------------

def test_qm_loads_and_translates_known_strings(qapp):
    translator = QTranslator()
    assert translator.load(str(tool.QM_FILE)), f"{tool.QM_FILE} does not load; run `make translations`"
    for context, source, chinese in KNOWN:
        assert translator.translate(context, source) == chinese, (context, source)
    assert translator.translate("StatusBar", "no such string") == ""


def test_widgets_speak_chinese_through_i18n(chinese, qtbot):
    from domain.model import Action
    from widgets.console.dialogs import simple_dialog
    from widgets.console.status_bar import ConnectionState, StatusBar

    bar = StatusBar()
    qtbot.addWidget(bar)
    bar.set_connection(ConnectionState.LIVE)
    assert bar.state_label.text() == "在线"
    bar.set_connection(ConnectionState.OFFLINE, outbox=3)
    assert bar.state_label.text() == "离线 · 3条操作待发送"

    # tr() written in ReasonDialog/ActionDialog, called on a subclass instance.
    dialog = simple_dialog(Action.REJECT, "C1")
    qtbot.addWidget(dialog)
    assert dialog.action is Action.REJECT
    assert dialog.windowTitle() == "不予立案"
    assert dialog.error_label.text() == "请填写原因"
    dialog.reason_edit.setPlainText("x" * 1000)
    assert dialog.error_label.text().startswith("最多 ")


# -- (b) the committed .ts is complete ----------------------------------------------------------

def test_every_message_is_translated_with_its_placeholders():
    problems = []
    count = 0
    for context, message in tool.messages(committed_ts()):
        count += 1
        source = message.findtext("source") or ""
        translation = message.find("translation")
        text = translation.text if translation is not None else None
        if translation is None or translation.get("type") in ("unfinished", "obsolete", "vanished") or not text:
            problems.append(f"[{context}] {source!r}: not translated")
        elif tool.placeholders(source) != tool.placeholders(text):
            problems.append(f"[{context}] {source!r} → {text!r}: placeholders differ")
    assert count > 100, f"only {count} messages in {tool.TS_FILE}"
    assert not problems, "run `make translations` after fixing zh_CN.toml:\n" + "\n".join(problems)


def test_table_is_valid():
    table = tool.load_table()
    assert table[("StatusBar", "Live")] == "在线"


# -- (c) the committed .ts is up to date with the code ------------------------------------------

def test_ts_is_current_with_the_code(tmp_path):
    fresh = tmp_path / "fresh.ts"
    tool.run_lupdate(tool.source_files(), fresh)
    in_code = tool.message_keys(ET.parse(fresh))
    committed = tool.message_keys(committed_ts())
    new = sorted(in_code - committed)
    gone = sorted(committed - in_code)
    assert not new and not gone, (
        "resources/translations/gridcc_zh_CN.ts is out of date with the code; run `make translations`"
        + "".join(f"\n  new in code: [{c}] {s!r}" for c, s in new)
        + "".join(f"\n  no longer in code: [{c}] {s!r}" for c, s in gone)
    )


# -- the tool's own rules --------------------------------------------------------------------------

def _ts(messages: list[tuple[str, str]]) -> ET.ElementTree:
    root = ET.Element("TS", version="2.1")
    for context, source in messages:
        ctx = ET.SubElement(root, "context")
        ET.SubElement(ctx, "name").text = context
        message = ET.SubElement(ctx, "message")
        ET.SubElement(message, "source").text = source
        ET.SubElement(message, "translation", type="unfinished")
    return ET.ElementTree(root)


def test_fill_translates_known_and_leaves_the_rest_unfinished():
    tree = _ts([("StatusBar", "Live"), ("StatusBar", "Brand new")])
    report = tool.fill(tree, {("StatusBar", "Live"): "在线", ("Gone", "Old"): "旧"})
    by_source = {m.findtext("source"): m.find("translation") for _, m in tool.messages(tree)}
    assert by_source["Live"].text == "在线" and "type" not in by_source["Live"].attrib
    assert by_source["Brand new"].get("type") == "unfinished"
    assert [(c, m.findtext("source")) for c, m in report.missing] == [("StatusBar", "Brand new")]
    assert report.unused == [("Gone", "Old")]
    assert tree.getroot().get("language") == "zh_CN"


def test_table_with_a_lost_placeholder_is_refused(tmp_path):
    table = tmp_path / "zh_CN.toml"
    table.write_text('["StatusBar"]\n"Server time %1" = "服务器时间"\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"Server time %1.*placeholders \['1'\].*\[\]"):
        tool.load_table(table)


def test_table_with_an_empty_translation_is_refused(tmp_path):
    table = tmp_path / "zh_CN.toml"
    table.write_text('["StatusBar"]\n"Live" = " "\n', encoding="utf-8")
    with pytest.raises(ValueError, match="'Live': translation must be a non-empty string"):
        tool.load_table(table)


def test_missing_strings_come_with_harvested_suggestions(tmp_path):
    code = tmp_path / "widget.py"
    code.write_text(
        'a = self.tr("Live")  # 在线\n'
        "# zh: 请选择责任部门\n"
        'b = self.tr("Choose a department")\n'
        'c = self.tr("Reason")  # the reason field\n'
        'd = self.tr("Untold")\n',
        encoding="utf-8",
    )
    lines = {"Live": 1, "Choose a department": 3, "Reason": 4, "Untold": 5}
    tree = _ts([("W", source) for source in lines])
    for _, message in tool.messages(tree):
        ET.SubElement(message, "location", filename=str(code), line=str(lines[message.findtext("source")]))
    report = tool.fill(tree, {})
    text = tool.missing_text(report, {("Other", "Reason"): "原因"})
    assert '"Live" = "在线"' in text
    assert '"Choose a department" = "请选择责任部门"' in text
    assert '"Reason" = "原因"' in text  # no Chinese comment: taken from another context
    assert '"Untold" = ""' in text and "no comment to harvest" in text


def test_strings_lupdate_cannot_see_are_reported(tmp_path):
    code = tmp_path / "module.py"
    code.write_text(
        "from PySide6.QtCore import QCoreApplication\n"
        "def _tr(text):\n"
        '    return QCoreApplication.translate("Ctx", text)\n'
        'seen = QCoreApplication.translate("Ctx", "Seen")\n'
        'hidden = _tr("Hidden")\n'
        'built = QCoreApplication.translate("Ctx", f"Case {seen}")\n'
        "dynamic = _tr(seen)\n",
        encoding="utf-8",
    )
    found = tool.unseen_strings(code)
    assert len(found) == 2, found
    assert ":5: _tr('Hidden') goes through a helper" in found[0]
    assert ":6: translate() of text built at run time" in found[1]


def test_a_catalogue_rewritten_in_place_leaves_running_apps_translated(qapp, tmp_path, monkeypatch):
    """`make translations` or an upgrade rewrites the .qm under a running console: the console keeps
    its Chinese (it once read the file through a mapping and crashed in the lookup)."""
    import shutil

    from desktop import i18n

    shutil.copy(i18n.translations_dir() / "gridcc_zh_CN.qm", tmp_path / "gridcc_zh_CN.qm")
    monkeypatch.setattr(i18n, "translations_dir", lambda: tmp_path)
    translators = i18n.install(qapp, "zh_CN")
    try:
        qm = tmp_path / "gridcc_zh_CN.qm"
        qm.write_bytes(b"\0" * qm.stat().st_size)  # same size, other bytes, same inode
        assert qapp.translate("ReplayBox", "Refresh") == "刷新"
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
