"""A period report as the files people send upward: text, CSV and XLSX, as bytes (no file I/O here).

Shared by ``gridcc-hub report`` (which adds the PDF, with reportlab) and the console's
评价/报表 view (which prints its PDF with Qt). Every text cell passes
``domain.spreadsheet.safe_cell``: a place or worker name starting with = + - @ cannot
become a formula. Numbers stay numbers: XLSX cells hold the value with a number format (a
rate is 0.952 shown as 95.2%), CSV cells the plain value.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from domain.periods import CST
from domain.reporting import GROUP_LABELS, ROW_COLUMNS, Cell, ReportData, format_value, row_values, summary_rows
from domain.spreadsheet import safe_cell

FORMATS = ("text", "csv", "xlsx", "pdf")
KIND_LABELS = {"day": "日报", "week": "周报", "month": "月报", "custom": "报表"}


def title(data: ReportData) -> str:
    return f"{data.node_name} 考核评价{KIND_LABELS[data.period.kind.value]} {data.label}"


def as_of_text(data: ReportData) -> str:
    return dt.datetime.fromtimestamp(data.as_of, CST).strftime("%Y-%m-%d %H:%M")


# ---- text ----------------------------------------------------------------------------------------
def to_text(data: ReportData, top: int = 15) -> str:
    lines = [title(data), f"统计截至 {as_of_text(data)} (北京时间)", "",
             f"{'指标':<12}{'本期':>12}{'上期':>12}"]
    for name, kind, now, before in summary_rows(data):
        lines.append(f"{name:<12}{format_value(now, kind):>12}{format_value(before, kind):>12}")
    for table in data.tables:
        lines += ["", f"{GROUP_LABELS[table.group_by]}综合评价 (前 {top} 名)",
                  f"{'排名':>4}  {'名称':<16}{'综合评价':>8}{'较上期':>8}{'应结案数':>8}{'按期结案率':>10}"
                  f"{'超期未结':>8}"]
        for row in table.rows[:top]:
            v = dict(zip((c[0] for c in ROW_COLUMNS), row_values(row), strict=True))
            lines.append(f"{format_value(v['rank'], 'int'):>4}  {row.name[:16]:<16}"
                         f"{format_value(v['score'], 'score'):>8}{format_value(v['trend'], 'score'):>8}"
                         f"{v['due']:>8,}{format_value(v['on_time_rate'], 'rate'):>10}{v['overdue_open']:>8,}")
    return "\n".join(lines)


# ---- CSV -----------------------------------------------------------------------------------------
def to_csv(data: ReportData) -> bytes:
    """UTF-8 with a BOM (so spreadsheet programs read the Chinese right); tables one after another."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")

    def row(cells: Sequence[Cell]) -> None:
        w.writerow([safe_cell("" if c is None else c) for c in cells])

    row([title(data)])
    row(["统计截至", as_of_text(data)])
    row([])
    row(["指标", "本期", "上期"])
    for name, _, now, before in summary_rows(data):
        row([name, now, before])
    for table in data.tables:
        row([])
        row([GROUP_LABELS[table.group_by] + "综合评价"])
        row(["代码"] + [h for _, h, _ in ROW_COLUMNS])
        for r in table.rows:
            row([r.key] + row_values(r))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# ---- XLSX ----------------------------------------------------------------------------------------
def to_xlsx(data: ReportData) -> bytes:
    """The workbook's bytes: a summary sheet, then one sheet per table, each with a score chart."""
    import xlsxwriter

    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    head = wb.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True, "valign": "vcenter"})
    formats = {"int": wb.add_format({"num_format": "#,##0"}), "rate": wb.add_format({"num_format": "0.0%"}),
               "hours": wb.add_format({"num_format": "0.0"}), "score": wb.add_format({"num_format": "0.0"}),
               "text": wb.add_format({})}
    title_fmt = wb.add_format({"bold": True, "font_size": 14})

    def cell(ws: Any, r: int, c: int, v: Cell, kind: str) -> None:
        if v is None:
            ws.write_blank(r, c, None, formats[kind])
        elif kind == "text" or isinstance(v, str):
            ws.write_string(r, c, safe_cell(str(v)), formats["text"])
        else:
            ws.write_number(r, c, v, formats[kind])

    ws = wb.add_worksheet("汇总")
    ws.write_string(0, 0, safe_cell(title(data)), title_fmt)
    ws.write_string(1, 0, f"统计截至 {as_of_text(data)} (北京时间)")
    for c, h in enumerate(("指标", "本期", "上期", "变化")):
        ws.write_string(3, c, h, head)
    for i, (name, kind, now, before) in enumerate(summary_rows(data), start=4):
        ws.write_string(i, 0, name)
        cell(ws, i, 1, now, kind)
        cell(ws, i, 2, before, kind)
        cell(ws, i, 3, None if now is None or before is None else now - before, kind)
    ws.set_column(0, 0, 16)
    ws.set_column(1, 3, 12)
    ws.freeze_panes(4, 1)

    for table in data.tables:
        sheet = wb.add_worksheet(GROUP_LABELS[table.group_by] + "评价")
        headers = ["代码"] + [h for _, h, _ in ROW_COLUMNS]
        kinds = ["text"] + [k for _, _, k in ROW_COLUMNS]
        for c, h in enumerate(headers):
            sheet.write_string(0, c, h, head)
        for r, row in enumerate(table.rows, start=1):
            for c, (v, kind) in enumerate(zip([row.key] + row_values(row), kinds, strict=True)):
                cell(sheet, r, c, v, kind)
        sheet.freeze_panes(1, 3)
        sheet.set_row(0, 32)
        sheet.set_column(0, 0, 16)
        sheet.set_column(2, 2, 20)
        sheet.set_column(3, len(headers) - 1, 10)
        sheet.autofilter(0, 0, max(1, len(table.rows)), len(headers) - 1)
        n = min(len(table.rows), 20)
        if n:
            chart = wb.add_chart({"type": "bar"})
            score_col = 1 + [k for k, _, _ in ROW_COLUMNS].index("score")
            chart.add_series({"name": "综合评价", "categories": [sheet.name, 1, 2, n, 2],
                              "values": [sheet.name, 1, score_col, n, score_col], "fill": {"color": "#2F75B5"}})
            chart.set_title({"name": f"{GROUP_LABELS[table.group_by]}综合评价 (前 {n} 名)"})
            chart.set_legend({"none": True})
            chart.set_y_axis({"reverse": True})
            chart.set_size({"width": 640, "height": 24 * n + 120})
            sheet.insert_chart(1, len(headers) + 1, chart)
    wb.close()
    return buffer.getvalue()
