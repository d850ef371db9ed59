"""Wires the evidence panel and viewer to the hub's HTTP side: uploads, thumbnails, full photos.

Uploads go through ``backend_client.attachments`` (a queue that survives disconnects and
restarts); downloads run in its worker pool and come back to the GUI thread by signal.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from backend_client.attachments import EvidenceClient, UploadJob
from backend_client.connection import LinkState
from domain.model import Action, Case, State
from domain.rules import Rules
from widgets.console.evidence import EvidencePanel, EvidenceViewer, UploadRow

#: The step a case in this state waits for, whose evidence the panel asks for.
NEXT_STEP = {State.IN_PROGRESS: Action.RESOLVE, State.RESOLVED: Action.VERIFY, State.SELF_RESOLVED: Action.VERIFY}


def missing_for_next_step(case: Case, rules: Rules) -> tuple:
    action = NEXT_STEP.get(case.state)
    evidence = getattr(rules, "evidence", None)
    if action is None or not evidence:
        return ()
    return evidence.missing(case, action, True)


class EvidenceController(QObject):
    _job = Signal(object)  # UploadJob, from the upload thread
    _fetched = Signal(str, str, bytes, bool)  # case id, sha256, bytes, for the viewer (else a thumbnail)

    def __init__(self, evidence: EvidenceClient | None, panel: EvidencePanel, rules: Rules, *, bridge=None,
                 window=None) -> None:
        super().__init__(window)
        self.evidence, self.panel, self.rules, self.window = evidence, panel, rules, window
        self.viewer: EvidenceViewer | None = None
        self._case: Case | None = None
        self._progress: dict[int, UploadJob] = {}
        panel.case_shown.connect(self._case_shown)
        panel.thumbnails_needed.connect(self._need_thumbnails)
        panel.attach_requested.connect(self.attach)
        panel.open_requested.connect(self.open_viewer)
        self._job.connect(self._on_job)
        self._fetched.connect(self._on_fetched)
        if evidence is not None:
            evidence.uploader.listeners.append(self._job.emit)
        else:
            panel.attach_button.setToolTip(self.tr("This hub has no evidence service"))  # 该平台未开启照片服务
        if bridge is not None:
            bridge.state_changed.connect(self._on_link)

    # ---- the shown case -------------------------------------------------------------------------
    def _case_shown(self, case: Case | None) -> None:
        previous, self._case = self._case, case
        if case is None:
            return
        self.panel.set_missing(missing_for_next_step(case, self.rules))
        if previous is None or previous.id != case.id:
            self._progress = {}
            self._show_uploads()
        self.panel.attach_button.setEnabled(self.evidence is not None)

    def _show_uploads(self) -> None:
        if self.evidence is None or self._case is None:
            self.panel.set_uploads([])
            return
        rows = []
        for job in self.evidence.jobs(self._case.id):
            live = self._progress.get(job.id)
            sent = live.sent if live is not None and job.state == "sending" else 0
            if job.state == "done" and job.id not in self._progress:
                continue  # sent before this case was opened: its thumbnail shows it
            rows.append(UploadRow(job.id, job.name, job.stage, job.state, sent, job.size, job.message, job.code))
        self.panel.set_uploads(rows)

    def _on_job(self, job: UploadJob) -> None:
        self._progress[job.id] = job
        if self._case is not None and job.case_id == self._case.id:
            self._show_uploads()

    def _on_link(self, state) -> None:
        if self.evidence is not None and state.state is LinkState.LIVE:
            self.evidence.uploader.nudge()  # back online: send what waited

    # ---- intents -----------------------------------------------------------------------------------
    def attach(self, case_id: str, paths: list, stage: str) -> None:
        if self.evidence is None:
            return
        for path in paths:
            try:
                self.evidence.attach(case_id, stage, path)
            except OSError as exc:
                self.panel.set_uploads([UploadRow(-1, str(path), stage, "failed", message=str(exc))])

    def _need_thumbnails(self, case_id: str, wanted: list) -> None:
        if self.evidence is None:
            return
        for _sha, thumb in wanted:
            self._fetch(case_id, thumb, False)

    def _fetch(self, case_id: str, sha: str, full: bool) -> None:
        future = self.evidence.fetch(case_id, sha)

        def done(f) -> None:
            if not f.cancelled() and f.exception() is None:
                self._fetched.emit(case_id, sha, f.result(), full)

        future.add_done_callback(done)

    def _on_fetched(self, case_id: str, sha: str, data: bytes, full: bool) -> None:
        if full:
            if self.viewer is not None and self.viewer.case_id == case_id:
                self.viewer.set_image(sha, data)
        else:
            self.panel.set_thumbnail(sha, data)

    def open_viewer(self, case_id: str, sha: str) -> EvidenceViewer | None:
        if self._case is None or self._case.id != case_id or self.evidence is None:
            return None
        if self.viewer is not None:
            self.viewer.close()
            self.viewer.deleteLater()
        self.viewer = EvidenceViewer(case_id, self._case.attachments, focus=sha, parent=self.window)
        self.viewer.image_needed.connect(lambda wanted: self._fetch(case_id, wanted, True))
        self.viewer.show()
        return self.viewer

    def close(self) -> None:
        if self.viewer is not None:
            self.viewer.close()
        if self.evidence is not None:
            self.evidence.close()
