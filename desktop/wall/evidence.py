"""The photo of a 特急 case in the wall's alarm band: fetched off the GUI thread, by thumbnail."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from backend_client.attachments import Downloads
from domain.model import Stage

_BEFORE = (Stage.BEFORE_NEAR, Stage.BEFORE_FAR)


def alarm_photo(case):
    """The attachment the band shows for ``case``: the first 'before' photo, else any photo; or None."""
    photos = [a for a in case.attachments if a.thumb]
    before = [a for a in photos if a.stage in _BEFORE]
    return (before or photos or [None])[0]


class AlarmPhotos(QObject):
    _fetched = Signal(str, bytes)

    def __init__(self, downloads: Downloads, band, parent=None) -> None:
        super().__init__(parent)
        self.downloads, self.band = downloads, band
        self._asked: set[tuple[str, str]] = set()
        self._fetched.connect(band.set_photo)

    def update(self, alarms, replica) -> None:
        """Fetch the photos of the critical alarms not yet on the band."""
        for alarm in alarms:
            if alarm.kind != "critical" or alarm.case_id in self.band.photos:
                continue
            case = replica.get(alarm.case_id)
            att = alarm_photo(case) if case is not None else None
            if att is None or (case.id, att.thumb) in self._asked:
                continue
            self._asked.add((case.id, att.thumb))
            future = self.downloads.fetch(case.id, att.thumb)
            future.add_done_callback(
                lambda f, cid=case.id: self._fetched.emit(cid, f.result())
                if not f.cancelled() and f.exception() is None else None)

    def close(self) -> None:
        self.downloads.close()
