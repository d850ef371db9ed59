"""The evidence widgets on their own: panel (thumbnails, drops, uploads), viewer, the wall's alarm photo."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from domain.model import Attachment, Case, Source, Stage, State, Urgency
from widgets.console.evidence import EvidencePanel, EvidenceViewer, UploadRow, caption
from widgets.wall.alarm import AlarmBand


def jpeg(color=(200, 40, 40), size=(320, 240)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


def att(n: int, stage: Stage, **kw) -> Attachment:
    return Attachment(sha256=f"{n:064x}", mime="image/jpeg", size=300_000, stage=stage, by="gw-1", at=1773106200.0,
                      thumb=f"{n + 100:064x}", width=1280, height=960, **kw)


def case(*attachments: Attachment) -> Case:
    return Case(id="QD1", node="370202001001001", category="10103", urgency=Urgency.NORMAL,
                source=Source.GRID_WORKER, state=State.IN_PROGRESS, version=3, reported_at=1773106200.0,
                reported_by="gw-1", attachments=attachments)


def test_panel_thumbnails_uploads_and_missing(qtbot):
    panel = EvidencePanel()
    qtbot.addWidget(panel)
    needed = []
    panel.thumbnails_needed.connect(lambda cid, wanted: needed.append((cid, wanted)))
    before = att(1, Stage.BEFORE_NEAR, taken_at=1773106000.0, lat=36.06, lon=120.38)
    panel.set_case(case(before))
    assert needed == [("QD1", [(before.sha256, before.thumb)])]
    assert panel.list.count() == 1 and panel.thumbnail_count() == 0
    panel.set_thumbnail(before.thumb, jpeg())
    assert panel.thumbnail_count() == 1
    panel.set_missing([Stage.AFTER])
    assert not panel.missing_label.isHidden() and panel.missing_label.text()
    panel.set_uploads([UploadRow(1, "a.jpg", "after", "sending", 50, 100), UploadRow(2, "b.jpg", "after", "failed",
                                                                                     message="malformed")])
    label, bar = panel.upload_widgets[1]
    assert bar.value() == 50 and bar.maximum() == 100
    assert "malformed" in panel.upload_widgets[2][0].text()
    assert "36.06000" in caption(before)


def test_files_dropped_on_the_case_are_attached_at_the_chosen_stage(qtbot, tmp_path):
    from PySide6.QtWidgets import QWidget

    host = QWidget()
    qtbot.addWidget(host)
    panel = EvidencePanel(host)
    panel.accept_drops_on(host)
    panel.set_case(case())
    panel.set_stage(Stage.AFTER)
    photo = tmp_path / "after.jpg"
    photo.write_bytes(jpeg())
    asked = []
    panel.attach_requested.connect(lambda cid, paths, stage: asked.append((cid, paths, stage)))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo))])
    drop = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    # Qt delivers synthetic drops only during a real drag; hand the event to the filter on the case.
    assert panel.eventFilter(host, drop) is True
    assert asked == [("QD1", [str(photo)], "after")]


def test_viewer_puts_before_and_after_side_by_side(qtbot):
    before, after = att(1, Stage.BEFORE_NEAR), att(2, Stage.AFTER)
    viewer = EvidenceViewer("QD1", [after, before])
    qtbot.addWidget(viewer)
    wanted = []
    viewer.image_needed.connect(wanted.append)
    viewer.show()
    qtbot.waitUntil(lambda: len(wanted) == 2)
    assert viewer.shown(viewer.left) == before.sha256 and viewer.shown(viewer.right) == after.sha256
    viewer.set_image(before.sha256, jpeg((10, 10, 10), (1280, 960)))
    assert not viewer.left.view.item.pixmap().isNull() and viewer.right.view.item.pixmap().isNull()
    z = viewer.right.view.zoom
    viewer._zoom(1.25)
    assert viewer.right.view.zoom > z


@dataclass(frozen=True)
class Alarm:
    case_id: str
    kind: str
    since: float
    category: str
    place: str


def test_the_wall_alarm_band_shows_the_photo_of_a_critical_case(qtbot):
    band = AlarmBand()
    qtbot.addWidget(band)
    band.resize(1920, 90)
    band.set_alarms([Alarm("QD1", "critical", 1773106200.0, "井盖缺失", "八大关街道")])
    band.show()
    band.boxes()
    assert band.shown_photo() is None
    band.set_photo("QD1", jpeg())
    band.boxes()
    assert band.shown_photo() is not None and band.photo_rect.height() > 0
    image = band.grab().toImage()
    centre = band.photo_rect.center()
    assert image.pixelColor(int(centre.x()), int(centre.y())).red() > 150  # the photo is painted
