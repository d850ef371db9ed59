"""`gridcc-hub report --format`: the files of ``domain.report_files`` written out, and the PDF (reportlab).

The PDF is drawn here because the hub has no Qt; every text in it passes
``domain.spreadsheet.safe_cell`` like the cells of the other files.
"""

from __future__ import annotations

from pathlib import Path

from domain.report_files import FORMATS, as_of_text, title, to_csv, to_text, to_xlsx
from domain.reporting import GROUP_LABELS, ROW_COLUMNS, ReportData, format_value, row_values, summary_rows
from domain.spreadsheet import safe_cell

__all__ = ["FORMATS", "to_pdf", "write"]

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
        scored = [r for r in table.rows if r.score is not None][:15]
        if scored:
            drawing = Drawing(250 * mm, 6 * mm * len(scored) + 14 * mm)
            chart = HorizontalBarChart()
            chart.x, chart.y = 45 * mm, 8 * mm
            chart.width, chart.height = 190 * mm, 6 * mm * len(scored)
            chart.data = [[r.score for r in reversed(scored)]]
            chart.categoryAxis.categoryNames = [safe_cell(r.name) for r in reversed(scored)]
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
    if fmt == "xlsx":
        path.write_bytes(to_xlsx(data))
        return path
    return to_pdf(data, path)
