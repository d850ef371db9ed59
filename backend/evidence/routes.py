"""The evidence HTTP routes (aiohttp): upload, and download with ETag and Range.

``POST /v1/cases/{case_id}/attachments?stage=after&name=IMG_0012.jpg`` with the file as
the body (any Content-Type; the hub reads the type from the bytes) answers 201 with the
reference (``{"attachment": {...}, "created": true, "seq": 123}``), 200 when the case
already held that file at that stage, or an error ``{"code": ..., "message": ...}``.

``GET /v1/cases/{case_id}/attachments/{sha256}`` returns the file, or its thumbnail when
``sha256`` is the reference's ``thumb``. The ETag is the hash; ``If-None-Match`` gives 304,
``Range: bytes=a-b`` gives 206. The bearer token is the feed's; jurisdiction is the case's.
"""

from __future__ import annotations

import re

from aiohttp import web

from backend.evidence.service import Evidence, Refused, attachment_json

UPLOAD_PATH = "/v1/cases/{case_id}/attachments"
FILE_PATH = "/v1/cases/{case_id}/attachments/{sha256}"
CHUNK = 256 * 1024
_RANGE = re.compile(r"bytes=(\d*)-(\d*)$")
EVIDENCE_KEY = web.AppKey("gridcc_evidence", Evidence)


def add_routes(app: web.Application, evidence: Evidence) -> None:
    """Mount the evidence routes on ``app``; ``evidence`` must be bound to a started hub."""
    app[EVIDENCE_KEY] = evidence
    app.router.add_post(UPLOAD_PATH, _upload)
    app.router.add_get(FILE_PATH, _download)


def _error(exc: Refused) -> web.Response:
    body = {"code": exc.code, "message": exc.message}
    if exc.detail:
        body["detail"] = exc.detail
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return web.json_response(body, status=exc.status, headers=headers)


async def _upload(request: web.Request) -> web.StreamResponse:
    evidence: Evidence = request.app[EVIDENCE_KEY]
    try:
        actor = await evidence.authenticate(request.headers.get("Authorization", ""))
        stored = await evidence.upload(
            actor, request.match_info["case_id"], request.query.get("stage", ""), request.query.get("name", ""),
            request.content_length, request.content.iter_chunked(CHUNK))
    except Refused as exc:
        return _error(exc)
    body = {"attachment": attachment_json(stored.attachment), "created": stored.created, "seq": stored.seq}
    return web.json_response(body, status=201 if stored.created else 200)


async def _download(request: web.Request) -> web.StreamResponse:
    evidence: Evidence = request.app[EVIDENCE_KEY]
    sha = request.match_info["sha256"]
    try:
        actor = await evidence.authenticate(request.headers.get("Authorization", ""))
        mime, size, _att = await evidence.locate(actor, request.match_info["case_id"], sha)
    except Refused as exc:
        return _error(exc)
    etag = f'"{sha}"'
    headers = {"ETag": etag, "Accept-Ranges": "bytes", "Cache-Control": "private, max-age=31536000, immutable",
               "X-Content-Type-Options": "nosniff", "Content-Type": mime}
    if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        return web.Response(status=304, headers=headers)
    start, end, status = 0, size - 1, 200
    spec = request.headers.get("Range")
    if spec and request.headers.get("If-Range", etag) == etag:
        m = _RANGE.match(spec.strip())
        if m is None or (not m[1] and not m[2]):
            return web.Response(status=416, headers={"Content-Range": f"bytes */{size}"})
        if m[1]:
            start = int(m[1])
            end = min(int(m[2]), size - 1) if m[2] else size - 1
        else:  # the last N bytes
            start = max(0, size - int(m[2]))
        if start >= size or start > end:
            return web.Response(status=416, headers={"Content-Range": f"bytes */{size}"})
        status = 206
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    length = end - start + 1
    response = web.StreamResponse(status=status, headers=headers)
    response.content_length = length
    await response.prepare(request)
    if request.method == "HEAD":
        return response
    body = await evidence.run(evidence.blobs.open_range, sha, start, length)
    try:
        while chunk := await evidence.run(body.read, 1 << 20):
            await response.write(chunk)
    finally:
        await evidence.run(body.close)
    await response.write_eof()
    return response
