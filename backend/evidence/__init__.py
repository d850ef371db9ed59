"""Evidence on the hub: photos and documents of cases, uploaded and downloaded over HTTP.

- :mod:`backend.evidence.media` decides a file's type from its bytes, checks images
  (dimensions, decompression bombs, truncation), reads EXIF and makes thumbnails;
- :mod:`backend.evidence.blobs` stores content by its sha256: files under the hub's data
  folder, or an S3-compatible object store shared by several hubs;
- :mod:`backend.evidence.service` checks tokens, jurisdiction and quotas and issues the
  ``attach`` command;
- :mod:`backend.evidence.routes` is the aiohttp side (:func:`add_routes`), and
  :mod:`backend.evidence.server` runs it beside the hub.
"""
