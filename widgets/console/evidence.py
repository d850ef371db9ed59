"""Evidence in the console: thumbnails on the case, uploads in flight, and the before/after viewer.

Widgets only: they take attachments (``domain.model.Attachment``), image bytes and upload
rows, and emit intents (attach these files at this stage, open the viewer, I need these
images). Fetching and sending is the app's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from domain.model import Attachment, Stage
from widgets.common.formatting import arg, time_text

STAGE_LABELS = {
    Stage.BEFORE_NEAR: QT_TRANSLATE_NOOP("Evidence", "Before, near"),  # 上报近景
    Stage.BEFORE_FAR: QT_TRANSLATE_NOOP("Evidence", "Before, far"),  # 上报远景
    Stage.AFTER: QT_TRANSLATE_NOOP("Evidence", "After"),  # 处置后
    Stage.VERIFICATION: QT_TRANSLATE_NOOP("Evidence", "Verification"),  # 核查
    Stage.DOCUMENT: QT_TRANSLATE_NOOP("Evidence", "Document"),  # 文件
}
UPLOAD_STATES = {
    "queued": QT_TRANSLATE_NOOP("Evidence", "waiting to send"),  # 等待发送
    "sending": QT_TRANSLATE_NOOP("Evidence", "sending"),  # 发送中
    "done": QT_TRANSLATE_NOOP("Evidence", "sent"),  # 已发送
    "failed": QT_TRANSLATE_NOOP("Evidence", "refused"),  # 被拒绝
}
#: Why the hub refused a file, by its code (the hub's English message is the fallback).
UPLOAD_ERRORS = {
    # zh: 仅支持 JPEG、PNG、WebP 照片和 PDF 文件
    "unsupported_type": QT_TRANSLATE_NOOP("Evidence", "only JPEG, PNG, WebP photos and PDF files"),
    "malformed": QT_TRANSLATE_NOOP("Evidence", "the file is damaged or cannot be read"),  # 文件已损坏或无法读取
    "too_many_pixels": QT_TRANSLATE_NOOP("Evidence", "the image has too many pixels"),  # 图片像素过多
    "too_large": QT_TRANSLATE_NOOP("Evidence", "the file is too large"),  # 文件过大
    "quota_exceeded": QT_TRANSLATE_NOOP("Evidence", "today's upload quota is used up"),  # 今日上传额度已用完
    "forbidden": QT_TRANSLATE_NOOP("Evidence", "not allowed for this case"),  # 无权为该事件上传
    "illegal_transition": QT_TRANSLATE_NOOP("Evidence", "the case is closed"),  # 事件已结案
}
THUMB = 120
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".pdf")


def stage_label(stage: Stage | str) -> str:
    try:
        return QCoreApplication.translate("Evidence", STAGE_LABELS[Stage(stage)])
    except ValueError:
        return str(stage)


def place_text(att: Attachment) -> str:
    if att.lat is None or att.lon is None:
        return ""
    return f"{att.lat:.5f}°N {att.lon:.5f}°E"


def caption(att: Attachment) -> str:
    """Stage, capture time and place, who and when: what an operator checks on a photo."""
    parts = [stage_label(att.stage)]
    if att.taken_at is not None:
        taken = time_text(att.taken_at, "%Y-%m-%d %H:%M")
        parts.append(arg(QCoreApplication.translate("Evidence", "taken %1"), taken))  # 拍摄于 %1
    else:
        parts.append(QCoreApplication.translate("Evidence", "no capture time"))  # 无拍摄时间
    place = place_text(att)
    parts.append(place or QCoreApplication.translate("Evidence", "no position"))  # 无位置信息
    parts.append(arg(QCoreApplication.translate("Evidence", "by %1 at %2"), att.by, time_text(att.at)))  # %1 于 %2 上传
    if att.width and att.height:
        parts.append(f"{att.width}×{att.height} · {att.size / 1024:.0f} KB")
    return " · ".join(parts)


@dataclass(frozen=True, slots=True)
class UploadRow:
    """One upload as the panel shows it (the app converts its queue's jobs)."""

    job_id: int
    name: str
    stage: str
    state: str  # queued | sending | done | failed
    sent: int = 0
    size: int = 0
    message: str = ""
    code: str = ""  # the hub's code when refused


def _placeholder(text: str) -> QPixmap:
    pix = QPixmap(THUMB, THUMB)
    pix.fill(QColor("#e4e7eb"))
    painter = QPainter(pix)
    painter.setPen(QColor("#5b6470"))
    painter.drawText(pix.rect(), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return pix


class EvidencePanel(QGroupBox):
    """Thumbnails of a case's photos and documents, the attach controls and the uploads in flight.

    Files dropped on the panel (or on the widget given to ``accept_drops_on``) are attached
    at the chosen stage.
    """

    attach_requested = Signal(str, list, str)  # case id, file paths, stage value
    open_requested = Signal(str, str)  # case id, sha256 of the photo clicked
    thumbnails_needed = Signal(str, list)  # case id, [(sha256 of the file, sha256 of its thumbnail)]
    case_shown = Signal(object)  # the Case now shown (or None), for the app to add uploads and requirements

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Evidence"), parent)  # 证据照片
        self.setObjectName("evidencePanel")
        self._case_id: str | None = None
        self._attachments: tuple[Attachment, ...] = ()
        self._thumbs: dict[str, QPixmap] = {}
        self.choose_files: Callable[[], list[str]] = self._ask_files

        self.list = QListWidget(self)
        self.list.setObjectName("evidenceThumbs")
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setFlow(QListWidget.Flow.LeftToRight)
        self.list.setWrapping(False)
        self.list.setMovement(QListWidget.Movement.Static)
        self.list.setGridSize(QSize(THUMB + 14, THUMB + 30))
        self.list.setUniformItemSizes(True)
        self.list.setFixedHeight(THUMB + 52)  # one row and the scroll bar when they do not fit
        self.list.itemActivated.connect(self._open)
        self.list.itemClicked.connect(self._open)

        # zh: 暂无照片，可拖入文件或点击添加
        self.empty_label = QLabel(self.tr("No photos yet. Drop files here or attach one."), self)
        self.empty_label.setObjectName("evidenceEmpty")
        self.missing_label = QLabel(self)
        self.missing_label.setObjectName("evidenceMissing")
        self.missing_label.setStyleSheet("color: #b3261e;")
        self.missing_label.setWordWrap(True)
        self.stage_box = QComboBox(self)
        self.stage_box.setObjectName("evidenceStage")
        for stage in Stage:
            self.stage_box.addItem(stage_label(stage), stage.value)
        self.attach_button = QPushButton(self.tr("Attach file…"), self)  # 添加文件…
        self.attach_button.setObjectName("evidenceAttach")
        self.attach_button.clicked.connect(self._attach_clicked)
        self.view_button = QPushButton(self.tr("Before / after"), self)  # 前后对比
        self.view_button.setObjectName("evidenceCompare")
        self.view_button.clicked.connect(self._compare)

        self.uploads_host = QWidget(self)
        self.uploads_layout = QVBoxLayout(self.uploads_host)
        self.uploads_layout.setContentsMargins(0, 0, 0, 0)
        self.upload_widgets: dict[int, tuple[QLabel, QProgressBar]] = {}

        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("Stage"), self))  # 环节
        controls.addWidget(self.stage_box)
        controls.addWidget(self.attach_button)
        controls.addStretch(1)
        controls.addWidget(self.view_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.missing_label)
        layout.addLayout(controls)
        layout.addWidget(self.uploads_host)
        self.setAcceptDrops(True)
        self.set_case(None)

    # ---- data in ----------------------------------------------------------------------------
    def set_case(self, case) -> None:
        """Show the attachments of ``case`` (a domain Case, or None)."""
        case_id = None if case is None else case.id
        attachments = () if case is None else case.attachments
        self.case_shown.emit(case)
        if case_id == self._case_id and attachments == self._attachments:
            return
        if case_id != self._case_id:
            self.set_uploads([])
            self.set_missing([])
        self._case_id, self._attachments = case_id, attachments
        self.list.clear()
        for att in attachments:
            item = QListWidgetItem(self._icon(att), stage_label(att.stage))
            item.setData(Qt.ItemDataRole.UserRole, att.sha256)
            item.setToolTip(caption(att) + (f"\n{att.name}" if att.name else ""))
            self.list.addItem(item)
        self.list.setVisible(bool(attachments))
        self.empty_label.setVisible(case is not None and not attachments)
        self.attach_button.setEnabled(case is not None)
        self.view_button.setEnabled(any(a.thumb for a in attachments))
        wanted = [(a.sha256, a.thumb) for a in attachments if a.thumb and a.thumb not in self._thumbs]
        if wanted and case_id is not None:
            self.thumbnails_needed.emit(case_id, wanted)

    def _icon(self, att: Attachment) -> QIcon:
        if att.thumb and att.thumb in self._thumbs:
            return QIcon(self._thumbs[att.thumb])
        return QIcon(_placeholder("PDF" if att.mime == "application/pdf" else "…"))

    def set_thumbnail(self, thumb_sha: str, data: bytes) -> None:
        pix = QPixmap()
        if not pix.loadFromData(data):
            return
        self._thumbs[thumb_sha] = pix
        for i in range(self.list.count()):
            item = self.list.item(i)
            att = self._attachments[i] if i < len(self._attachments) else None
            if att is not None and att.thumb == thumb_sha:
                item.setIcon(QIcon(pix))

    def thumbnail_count(self) -> int:
        """Thumbnails shown as images (not placeholders), for tests."""
        return sum(1 for a in self._attachments if a.thumb in self._thumbs)

    def set_missing(self, stages: Sequence[Stage | str]) -> None:
        """The stages the next step needs and the case lacks (shown in red)."""
        if not stages:
            self.missing_label.clear()
            self.missing_label.hide()
            return
        names = "、".join(stage_label(s) for s in stages)
        self.missing_label.setText(arg(self.tr("Required before the next step: %1"), names))  # 下一步需要：%1
        self.missing_label.show()

    def set_uploads(self, rows: Sequence[UploadRow]) -> None:
        """Uploads of the shown case: name, stage, state and progress."""
        for label, bar in self.upload_widgets.values():
            label.deleteLater()
            bar.deleteLater()
        self.upload_widgets = {}
        for row in rows:
            state = QCoreApplication.translate("Evidence", UPLOAD_STATES.get(row.state, row.state))
            text = f"{row.name} · {stage_label(row.stage)} · {state}"
            if row.state == "failed" and (row.code in UPLOAD_ERRORS or row.message):
                reason = UPLOAD_ERRORS.get(row.code)
                text += "：" + (QCoreApplication.translate("Evidence", reason) if reason else row.message)
            label = QLabel(text, self.uploads_host)
            label.setWordWrap(True)
            bar = QProgressBar(self.uploads_host)
            bar.setRange(0, max(1, row.size))
            bar.setValue(row.size if row.state == "done" else min(row.sent, row.size))
            bar.setVisible(row.state in ("queued", "sending"))
            self.uploads_layout.addWidget(label)
            self.uploads_layout.addWidget(bar)
            self.upload_widgets[row.job_id] = (label, bar)
        self.uploads_host.setVisible(bool(rows))

    # ---- intents out --------------------------------------------------------------------------
    def current_stage(self) -> str:
        return self.stage_box.currentData()

    def set_stage(self, stage: Stage | str) -> None:
        self.stage_box.setCurrentIndex(max(0, self.stage_box.findData(Stage(stage).value)))

    def attach(self, paths: Sequence[str]) -> None:
        files = [str(p) for p in paths if Path(p).suffix.lower() in IMAGE_SUFFIXES or Path(p).is_file()]
        if files and self._case_id is not None:
            self.attach_requested.emit(self._case_id, files, self.current_stage())

    def _ask_files(self) -> list[str]:
        # zh: 照片和文件 (*.jpg *.jpeg *.png *.webp *.pdf)
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("Attach file…"), "",
                                                self.tr("Photos and documents (*.jpg *.jpeg *.png *.webp *.pdf)"))
        return files

    def _attach_clicked(self) -> None:
        self.attach(self.choose_files())

    def _open(self, item: QListWidgetItem) -> None:
        if self._case_id is not None:
            self.open_requested.emit(self._case_id, item.data(Qt.ItemDataRole.UserRole))

    def _compare(self) -> None:
        if self._case_id is not None and self._attachments:
            first = next((a for a in self._attachments if a.thumb), self._attachments[0])
            self.open_requested.emit(self._case_id, first.sha256)

    # ---- drops ----------------------------------------------------------------------------------
    def accept_drops_on(self, widget: QWidget) -> None:
        """Let files dropped anywhere on ``widget`` (the case detail) be attached here."""
        widget.setAcceptDrops(True)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and self._takes(event):
            event.acceptProposedAction()
            return True
        if event.type() == QEvent.Type.Drop and self._takes(event):
            self.attach([u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()])
            event.acceptProposedAction()
            return True
        return super().eventFilter(watched, event)

    def _takes(self, event) -> bool:
        data = event.mimeData()
        return self._case_id is not None and data.hasUrls() and any(u.isLocalFile() for u in data.urls())

    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if self._takes(event):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        if self._takes(event):
            self.attach([u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()])
            event.acceptProposedAction()


class _ZoomView(QGraphicsView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.item = QGraphicsPixmapItem()
        self.item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.scene().addItem(self.item)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setBackgroundBrush(QColor("#1f2328"))
        self.setMinimumSize(320, 240)
        self.zoom = 1.0

    def set_pixmap(self, pix: QPixmap) -> None:
        self.item.setPixmap(pix)
        self.scene().setSceneRect(self.item.boundingRect())
        self.fit()

    def fit(self) -> None:
        if not self.item.pixmap().isNull():
            self.fitInView(self.item, Qt.AspectRatioMode.KeepAspectRatio)
            self.zoom = self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        self.scale(factor, factor)
        self.zoom = self.transform().m11()

    def wheelEvent(self, event) -> None:  # noqa: N802
        self.zoom_by(1.25 if event.angleDelta().y() > 0 else 0.8)


class _Pane(QWidget):
    def __init__(self, title: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.title = QLabel(f"<b>{title}</b>", self)
        self.choice = QComboBox(self)
        self.view = _ZoomView(self)
        self.caption = QLabel(self)
        self.caption.setWordWrap(True)
        self.caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.choice, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.caption)


class EvidenceViewer(QDialog):
    """Before and after side by side, each zoomable (wheel, buttons), with capture time and place.

    Emits ``image_needed(sha256)`` for a photo it has no bytes for; ``set_image`` shows them.
    """

    image_needed = Signal(str)

    def __init__(self, case_id: str, attachments: Sequence[Attachment], focus: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evidenceViewer")
        self.setWindowTitle(arg(self.tr("Evidence of case %1"), case_id))  # 事件 %1 的证据照片
        self.case_id = case_id
        self.photos = [a for a in attachments if a.mime.startswith("image/")]
        self._images: dict[str, QPixmap] = {}
        self.left = _Pane(self.tr("Before"), self)  # 处置前
        self.right = _Pane(self.tr("After"), self)  # 处置后
        for pane in (self.left, self.right):
            for att in self.photos:
                pane.choice.addItem(f"{stage_label(att.stage)} · {time_text(att.taken_at or att.at)}", att.sha256)
        before = [a for a in self.photos if a.stage in (Stage.BEFORE_NEAR, Stage.BEFORE_FAR)]
        after = [a for a in self.photos if a.stage in (Stage.AFTER, Stage.VERIFICATION)]
        left = focus if focus in [a.sha256 for a in before] else (before[0].sha256 if before else None)
        right = focus if focus in [a.sha256 for a in after] else (after[0].sha256 if after else None)
        if left is None and self.photos:
            left = self.photos[0].sha256
        if right is None and self.photos:
            right = self.photos[-1].sha256
        zoom_in = QPushButton(self.tr("Zoom in"), self)  # 放大
        zoom_out = QPushButton(self.tr("Zoom out"), self)  # 缩小
        fit = QPushButton(self.tr("Fit"), self)  # 适应窗口
        zoom_in.clicked.connect(lambda: self._zoom(1.25))
        zoom_out.clicked.connect(lambda: self._zoom(0.8))
        fit.clicked.connect(lambda: [p.view.fit() for p in (self.left, self.right)])
        close = QPushButton(self.tr("Close"), self)  # 关闭
        close.clicked.connect(self.accept)
        panes = QHBoxLayout()
        panes.addWidget(self.left, 1)
        panes.addWidget(self.right, 1)
        buttons = QHBoxLayout()
        for b in (zoom_in, zoom_out, fit):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(panes, 1)
        layout.addLayout(buttons)
        self.resize(1400, 820)
        for pane, sha in ((self.left, left), (self.right, right)):
            if sha is not None:
                pane.choice.setCurrentIndex(pane.choice.findData(sha))
            pane.choice.currentIndexChanged.connect(lambda _i, pane=pane: self._show(pane))
        self._shown = False

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._shown:
            self._shown = True
            for pane in (self.left, self.right):
                self._show(pane)

    def _zoom(self, factor: float) -> None:
        for pane in (self.left, self.right):
            pane.view.zoom_by(factor)

    def shown(self, pane: _Pane) -> str | None:
        return pane.choice.currentData()

    def _show(self, pane: _Pane) -> None:
        sha = pane.choice.currentData()
        att = next((a for a in self.photos if a.sha256 == sha), None)
        if att is None:
            pane.caption.setText(self.tr("No photo for this stage yet"))  # 该环节暂无照片
            return
        pane.caption.setText(caption(att))
        if sha in self._images:
            pane.view.set_pixmap(self._images[sha])
        else:
            self.image_needed.emit(sha)

    def set_image(self, sha: str, data: bytes) -> None:
        pix = QPixmap()
        if not pix.loadFromData(data):
            return
        self._images[sha] = pix
        for pane in (self.left, self.right):
            if pane.choice.currentData() == sha:
                pane.view.set_pixmap(pix)

    def loaded(self) -> set[str]:
        return set(self._images)


def require_evidence(dialog, rows: Sequence[tuple[Stage | str, bool]],
                     applies: Callable[[], bool] | None = None) -> QLabel:
    """Show in an action dialog the photos the catalog asks for, and hold OK while one is missing.

    ``rows`` are (stage, present); ``applies`` says whether the requirement holds for the
    current input (a failed verification needs no photo). Returns the label it added.
    """
    lines = []
    for stage, present in rows:
        mark = "✓" if present else "✗"
        state = (QCoreApplication.translate("Evidence", "attached") if present  # 已上传
                 else QCoreApplication.translate("Evidence", "missing"))  # 缺少
        lines.append(f"{mark} {stage_label(stage)}: {state}")
    label = QLabel("\n".join(lines), dialog)
    label.setObjectName("dialogEvidence")
    dialog.form.addRow(QCoreApplication.translate("Evidence", "Photos required"), label)  # 所需照片
    missing = [stage_label(s) for s, present in rows if not present]
    original = dialog.problem

    def problem() -> str | None:
        found = original()
        if found is None and missing and (applies is None or applies()):
            # zh: 请先上传照片：%1
            text = QCoreApplication.translate("Evidence", "Attach the required photos first: %1")
            return arg(text, "、".join(missing))
        return found

    dialog.problem = problem
    dialog.revalidate()
    return label
