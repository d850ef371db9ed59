"""Evidence transfer: upload and download MB/s and thumbnail time, each beside a bare peer.

One hub in this process (SQLite store, files under a scratch data folder) with its evidence
HTTP side on loopback; the client is ``backend_client.attachments`` (urllib), as the console's.

- upload: every photo POSTed once (type sniffing, full decode, EXIF, thumbnail, storage,
  the attach command and its event) — against a plain file copy of the same bytes;
- download: every photo GET over HTTP with the bearer check and the case's jurisdiction —
  against a bare aiohttp static file server on the same files, fetched by the same client;
- thumbnail: media.inspect (all checks + EXIF orientation + 320 px JPEG) per photo —
  against Pillow's open + thumbnail + save alone.

Not a test: it prints a table with the ratios (peer ÷ hub: how much the hub's work costs).

    python bench/attachments.py [--photos 30] [--large 2]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image  # noqa: E402

from backend.embedded import HubThread  # noqa: E402
from backend.evidence import media  # noqa: E402
from backend.evidence.server import HttpSide  # noqa: E402
from backend.evidence.service import Evidence  # noqa: E402
from backend.evidence.synthetic import synthetic_photo  # noqa: E402
from backend.store import Store  # noqa: E402
from backend_client.attachments import download, upload  # noqa: E402
from domain.commands import CommandRequest
from domain.model import Action, Args, Role, Source, Urgency  # noqa: E402
from domain.rules import evidence_rules  # noqa: E402

GRID = "370202001001001"


def make_files(folder: Path, photos: int, large: int) -> list[Path]:
    files = []
    for i in range(photos):
        data = synthetic_photo(("10103", "20102", "20501", "21301")[i % 4], ("before_near", "after")[i % 2],
                               1773106200 + i * 60, "市南区 八大关街道 第3网格", lat=36.06, lon=120.38, seed=i)
        path = folder / f"photo-{i:03d}.jpg"
        path.write_bytes(data)
        files.append(path)
    for i in range(large):  # a 12 MP phone photo with grain: the upper end of what arrives
        img = Image.effect_noise((4000, 3000), 40 + i).convert("RGB")
        out = io.BytesIO()
        img.save(out, "JPEG", quality=92)
        path = folder / f"large-{i}.jpg"
        path.write_bytes(out.getvalue())
        files.append(path)
    return files


def mb(nbytes: int, seconds: float) -> float:
    return nbytes / 2**20 / seconds if seconds > 0 else float("inf")


def static_server(root: Path):
    """A bare aiohttp static file server on loopback: (url, stop)."""
    from aiohttp import web

    loop = asyncio.new_event_loop()
    ready = threading.Event()
    box = {}

    async def start():
        app = web.Application()
        app.router.add_static("/files", root)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        box["runner"] = runner
        box["port"] = site._server.sockets[0].getsockname()[1]

    def run():
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        ready.set()
        loop.run_forever()

    threading.Thread(target=run, daemon=True).start()
    ready.wait(30)

    def stop():
        asyncio.run_coroutine_threadsafe(box["runner"].cleanup(), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)

    return f"http://127.0.0.1:{box['port']}/files", stop


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=30)
    parser.add_argument("--large", type=int, default=2)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gridcc-bench-attachments-"))
    try:
        files = make_files(work / "in", args.photos, args.large) if (work / "in").mkdir() is None else []
        total = sum(f.stat().st_size for f in files)
        store = Store.open(f"sqlite:///{work / 'hub.db'}", require_current=False)
        store.migrate()
        user, token = store.add_user("bench", Role.OPERATOR, "370202")
        actor = store.authenticate(token)
        rules = evidence_rules()
        cases = []
        for i in range(-(-len(files) // 50)):
            answer = store.execute(CommandRequest(client_id="bench", id=f"r{i}", action=Action.REPORT, case_id=None,
                                                  expected_version=None,
                                                  args=Args(node=GRID, category="10103", urgency=Urgency.NORMAL,
                                                            source=Source.GRID_WORKER, description="bench"),
                                                  actor=actor), time.time(), rules)
            cases.append(answer.case_id)
        evidence = Evidence.in_folder(work / "data", max_bytes=64 * 2**20)
        with HubThread(store, rules=rules, http=HttpSide(evidence)) as hub:
            base = hub.hub.http.url
            # upload
            t = time.perf_counter()
            refs = []
            for i, f in enumerate(files):
                refs.append((cases[i // 50], upload(base, token, cases[i // 50], "before_near", f)["attachment"]))
            up = time.perf_counter() - t
            copy_dir = work / "copy"
            copy_dir.mkdir()
            t = time.perf_counter()
            for f in files:
                shutil.copyfile(f, copy_dir / f.name)
            copy = time.perf_counter() - t
            # download
            t = time.perf_counter()
            got = 0
            for case_id, ref in refs:
                got += len(download(base, token, case_id, ref["sha256"])[1])
            down = time.perf_counter() - t
            static_url, stop = static_server(work / "in")
            t = time.perf_counter()
            peer_got = 0
            for f in files:
                with urllib.request.urlopen(f"{static_url}/{f.name}", timeout=60) as r:
                    peer_got += len(r.read())
            peer_down = time.perf_counter() - t
            stop()
        assert got == peer_got == total
        # thumbnails
        inspect_ms, bare_ms = [], []
        for f in files:
            t = time.perf_counter()
            media.inspect(f)
            inspect_ms.append((time.perf_counter() - t) * 1000)
        checks = sum(inspect_ms) / 1000
        inspect_ms = inspect_ms[: args.photos]
        for f in files[: args.photos]:
            t = time.perf_counter()
            with Image.open(f) as img:
                img.thumbnail((media.THUMB_SIDE, media.THUMB_SIDE))
                img.convert("RGB").save(io.BytesIO(), "JPEG", quality=media.THUMB_QUALITY)
            bare_ms.append((time.perf_counter() - t) * 1000)
        store.close()
        hub_up, peer_up = mb(total, up), mb(total, copy)
        hub_down, peer_dn = mb(total, down), mb(total, peer_down)
        ti, tb = statistics.median(inspect_ms), statistics.median(bare_ms)
        print(f"{len(files)} files, {total / 2**20:.1f} MiB ({args.photos} synthetic photos ≈"
              f" {statistics.median(f.stat().st_size for f in files[:args.photos]) / 1024:.0f} KB, {args.large} large"
              f" 12 MP photos); one process, loopback")
        print(f"{'':22}{'hub':>12}{'peer':>12}{'peer/hub':>10}  peer")
        print(f"{'upload MB/s':22}{hub_up:12.1f}{peer_up:12.1f}{peer_up / hub_up:10.1f}  plain file copy")
        print(f"{'download MB/s':22}{hub_down:12.1f}{peer_dn:12.1f}{peer_dn / hub_down:10.1f}  bare aiohttp static")
        print(f"{'':22}the file checks (full decode, EXIF, thumbnail) take {checks / up:.0%} of the upload time")
        print(f"{'thumbnail ms (median)':22}{ti:12.1f}{tb:12.1f}{ti / tb:10.1f}  Pillow open+thumbnail+save"
              f" (hub/peer)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
