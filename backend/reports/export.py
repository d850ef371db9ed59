"""Files a period report is sent upward in: XLSX (xlsxwriter), PDF (reportlab), CSV, and terminal text.

Every text cell passes ``domain.spreadsheet.safe_cell``: a place or worker name starting
with = + - @ cannot become a formula. Numbers stay numbers: XLSX cells hold the value
with a number format (a rate is 0.952 shown as 95.2%), CSV cells the plain value.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from domain.periods import CST
from domain.reporting import GROUP_LABELS, ROW_COLUMNS, ReportData, format_value, row_values, summary_rows
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

    def row(cells):
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
def to_xlsx(data: ReportData, path: Path | str) -> Path:
    import xlsxwriter

    path = Path(path)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    head = wb.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True, "valign": "vcenter"})
    formats = {"int": wb.add_format({"num_format": "#,##0"}), "rate": wb.add_format({"num_format": "0.0%"}),
               "hours": wb.add_format({"num_format": "0.0"}), "score": wb.add_format({"num_format": "0.0"}),
               "text": wb.add_format({})}
    title_fmt = wb.add_format({"bold": True, "font_size": 14})

    def cell(ws, r, c, v, kind):
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
    return path


# ---- PDF -----------------------------------------------------------------------------------------
def to_pdf(data: ReportData, path: Path | str, top: int = 25) -> Path:
    """A title page with the summary, then per table a score chart and the leading rows (A4 landscape)."""
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    path = Path(path)
    h1 = ParagraphStyle("h1", fontName=font, fontSize=24, leading=32, spaceAfter=8 * mm)
    h2 = ParagraphStyle("h2", fontName=font, fontSize=14, leading=20, spaceAfter=3 * mm)
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=14)
    style = TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 8),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DCE6F1")),
                        ("GRID", (0, 0), (-1, -1), 0.3, colors.grey), ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                        ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    story = [Spacer(1, 6 * mm), Paragraph(safe_cell(title(data)), h1),
             Paragraph(f"统计截至 {as_of_text(data)} (北京时间)，指标口径见 docs/indicators.md", body),
             Spacer(1, 5 * mm)]
    rows = summary_rows(data)
    half = (len(rows) + 1) // 2
    summary = [["指标", "本期", "上期", "", "指标", "本期", "上期"]]
    for i in range(half):
        line = [rows[i][0], format_value(rows[i][2], rows[i][1]), format_value(rows[i][3], rows[i][1]), ""]
        if half + i < len(rows):
            n, k, a, b = rows[half + i]
            line += [n, format_value(a, k), format_value(b, k)]
        summary.append(line + [""] * (7 - len(line)))
    story.append(Table(summary, colWidths=[38 * mm, 28 * mm, 28 * mm, 8 * mm, 38 * mm, 28 * mm, 28 * mm],
                       style=TableStyle([*style.getCommands(), ("ALIGN", (4, 1), (4, -1), "LEFT")]), repeatRows=1))
    cols = ("rank", "name", "score", "trend", "due", "on_time_rate", "close_rate", "dispatch_accuracy",
            "overdue_open", "handle_hours", "rework_rate", "self_resolved_rate")
    idx = [[k for k, _, _ in ROW_COLUMNS].index(c) for c in cols]
    for table in data.tables:
        label = GROUP_LABELS[table.group_by]
        story += [PageBreak(), Paragraph(f"{label}综合评价 {data.label}", h2)]
        rows = [r for r in table.rows if r.score is not None][:15]
        if rows:
            drawing = Drawing(250 * mm, 6 * mm * len(rows) + 14 * mm)
            chart = HorizontalBarChart()
            chart.x, chart.y = 45 * mm, 8 * mm
            chart.width, chart.height = 190 * mm, 6 * mm * len(rows)
            chart.data = [[r.score for r in reversed(rows)]]
            chart.categoryAxis.categoryNames = [safe_cell(r.name) for r in reversed(rows)]
            chart.categoryAxis.labels.fontName = font
            chart.categoryAxis.labels.fontSize = 8
            chart.valueAxis.valueMin = 0
            chart.valueAxis.valueMax = 100
            chart.valueAxis.labels.fontSize = 8
            chart.bars[0].fillColor = colors.HexColor("#2F75B5")
            chart.barLabelFormat = "%.1f"
            chart.barLabels.fontSize = 7
            chart.barLabels.nudge = 8
            drawing.add(chart)
            story.append(drawing)
        grid = [[ROW_COLUMNS[i][1] for i in idx]]
        for r in table.rows[:top]:
            v = row_values(r)
            grid.append([safe_cell(format_value(v[i], ROW_COLUMNS[i][2])) if ROW_COLUMNS[i][2] != "text"
                         else safe_cell(str(v[i]))[:18] for i in idx])
        story += [Spacer(1, 4 * mm), Table(grid, style=style, repeatRows=1)]
    SimpleDocTemplate(str(path), pagesize=landscape(A4), leftMargin=15 * mm, rightMargin=15 * mm,
                      topMargin=12 * mm, bottomMargin=12 * mm, title=title(data)).build(story)
    return path


def write(data: ReportData, fmt: str, out: Path | str | None) -> str | Path:
    """Write ``data`` as ``fmt``: text is returned, files written to ``out`` (a default name when None)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if fmt == "text":
        return to_text(data)
    path = Path(out) if out is not None else Path(f"report-{data.node or 'all'}-{data.label}.{fmt}")
    if fmt == "csv":
        path.write_bytes(to_csv(data))
        return path
    return to_xlsx(data, path) if fmt == "xlsx" else to_pdf(data, path)
