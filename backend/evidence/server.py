"""Evidence on the hub's HTTP side: the `gridcc-hub serve` options and what they build."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from backend.evidence.blobs import FileBlobs, S3Blobs
from backend.evidence.service import MAX_UPLOAD_BYTES, Evidence
from domain.evidence import load_evidence_policy
from domain.rules import Rules, default_rules


class HttpSide:
    """Evidence on the hub's HTTP side: the store of files and the port the side listens on.

    ``Hub(store, http=HttpSide(evidence, port=0))`` mounts the upload and download routes on the
    hub's one HTTP site (``backend.http.server.HttpSite``); ``hub.http.port`` is the bound port.
    """

    def __init__(self, evidence: Evidence, port: int = 0) -> None:
        self.evidence = evidence
        self.port = port


def add_serve_arguments(parser) -> None:
    group = parser.add_argument_group("evidence (photos and documents over HTTP)")
    group.add_argument("--http-port", type=int, default=None,
                       help="serve uploads and downloads on this port (0 picks a free one); off when not given")
    group.add_argument("--http-port-file", type=Path, help="write the bound HTTP port here once listening")
    group.add_argument("--data", type=Path, default=None,
                       help="the hub's data folder: files under DATA/blobs, uploads in progress under DATA/incoming "
                            "(default: the per-user data folder)")
    group.add_argument("--s3-url", default=None,
                       help="keep files in an S3-compatible bucket, http(s)://host:port/bucket[/prefix] "
                            "(default $GRIDCC_S3_URL; keys from GRIDCC_S3_ACCESS_KEY and GRIDCC_S3_SECRET_KEY)")
    group.add_argument("--max-upload-mb", type=float, default=None,
                       help=f"largest upload in MiB (default {MAX_UPLOAD_BYTES / 2**20:g})")
    group.add_argument("--evidence-rules", type=Path, default=None,
                       help="evidence rules file (default: the shipped resources/catalog/evidence.toml)")
    group.add_argument("--no-evidence-rules", action="store_true",
                       help="accept resolve and verify without the photos the rules ask for")


def from_serve_arguments(args) -> tuple[HttpSide | None, Rules]:
    """The HTTP side and the rules a hub started with these options runs with.

    Evidence rules apply only with the HTTP side: without it nobody could add the photos.
    """
    base = default_rules()
    if args.http_port is None:
        return None, base
    data = args.data or Path(platformdirs.user_data_dir("gridcc", appauthor=False)) / "hub-data"
    s3_url = args.s3_url or os.environ.get("GRIDCC_S3_URL")
    if s3_url:  # keys from the settings file (backend.config) or the environment
        access = getattr(args, "s3_access_key", None) or os.environ.get("GRIDCC_S3_ACCESS_KEY", "")
        secret = getattr(args, "s3_secret_key", None) or os.environ.get("GRIDCC_S3_SECRET_KEY", "")
        blobs = S3Blobs.from_url(s3_url, access, secret)
    else:
        blobs = FileBlobs(Path(data) / "blobs")
    max_mb = args.max_upload_mb if args.max_upload_mb is not None else MAX_UPLOAD_BYTES / 2**20
    evidence = Evidence(blobs, data, max_bytes=int(max_mb * 2**20))
    rules = base
    if not args.no_evidence_rules:
        rules = Rules(base.catalog, base.calendar, load_evidence_policy(args.evidence_rules))
    return HttpSide(evidence, args.http_port), rules
