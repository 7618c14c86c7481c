"""Latency of the main web pages with 50 concurrent signed-in users on loopback.

Builds the synthetic demo workspace, serves it with `uvicorn` (one process, as `sijill serve`
does) in a subprocess on 127.0.0.1, signs in 50 users (Argon2id + TOTP, production settings),
then each user fetches the main pages ROUNDS times (bounded: 50 × ROUNDS × pages requests)
with an httpx async client. Prints p50/p95 per page and overall, against `/health` (no
database, no template) as the baseline measured in the same run.

Run: .venv/bin/python bench/web_latency.py [--users 50] [--rounds 4]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pyotp

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench password, synthetic only"
#: The demo parts the pages show (reports are not part of the web app).
DEMO_PARTS = {"case", "lists", "linkage", "corroboration"}
PAGES = [
    "/cases",
    "/cases/{case}",
    "/cases/{case}/sources",
    "/cases/{case}/testimonies",
    "/cases/{case}/events",
    "/cases/{case}/evidence",
    "/cases/{case}/corroboration",
    "/lists",
    "/review",
    "/api/cases/{case}/sources",
]

SERVER = """
import sys, uvicorn
from sijill.demo import DEMO_PASSPHRASE
from sijill.web import create_app
from sijill.workspace import open_workspace
ws = open_workspace(sys.argv[1])
key = ws.unlock(DEMO_PASSPHRASE)
uvicorn.run(create_app(ws, key), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning",
            timeout_keep_alive=300)
"""


def prepare(folder: Path, users: int) -> tuple[str, dict[str, str]]:
    """The demo workspace with `users` web users (investigators in the case)."""
    from sijill.demo import DEMO_PASSPHRASE, build_demo
    from sijill.services import cases, web_auth
    from sijill.services.session import open_session
    from sijill.vault.keys import KdfParams
    from sijill.workspace import open_workspace

    builder = build_demo(folder, DEMO_PASSPHRASE, kdf=KdfParams(1, 1024, 1), only=DEMO_PARTS)
    ws = open_workspace(folder)
    key = ws.unlock(DEMO_PASSPHRASE)
    secrets: dict[str, str] = {}
    with open_session(ws, "admin", key=key) as s:
        for i in range(users):
            name = f"bench{i:02d}"
            cases.add_user(s, name, "admin" if i == 0 else "investigator")
            cases.add_member(s, builder.case_code, name)
            web_auth.set_password(s, name, PASSWORD)
            secrets[name] = web_auth.enrol_totp(s, name).secret
    ws.close()
    return builder.case_code, secrets


async def sign_in(client: httpx.AsyncClient, name: str, secret: str) -> None:
    page = await client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    done = await client.post(
        "/login",
        data={
            "username": name,
            "password": PASSWORD,
            "code": pyotp.TOTP(secret).now(),
            "csrf_token": token.group(1),
        },
    )
    assert done.status_code == 303, done.text[:300]


async def user(
    client: httpx.AsyncClient, paths: list[str], rounds: int, out: dict[str, list[float]]
) -> None:
    for _ in range(rounds):
        for path in paths:
            start = time.perf_counter()
            response = await client.get(path)
            elapsed = time.perf_counter() - start
            assert response.status_code == 200, (path, response.status_code)
            out.setdefault(path, []).append(elapsed)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


async def run(base: str, case: str, secrets: dict[str, str], rounds: int) -> None:
    paths = ["/health"] + [p.format(case=case) for p in PAGES]
    out: dict[str, list[float]] = {}
    clients = [httpx.AsyncClient(base_url=base, timeout=120) for _ in secrets]
    signing = time.perf_counter()
    await asyncio.gather(
        *(sign_in(c, n, s) for c, (n, s) in zip(clients, secrets.items(), strict=True))
    )
    print(
        f"{len(clients)} sign-ins (Argon2id production cost + TOTP) in "
        f"{time.perf_counter() - signing:.1f} s"
    )
    alone: dict[str, list[float]] = {}
    await user(clients[0], paths, 5, alone)  # baseline: one user, nobody else
    start = time.perf_counter()
    await asyncio.gather(*(user(c, paths, rounds, out) for c in clients))
    wall = time.perf_counter() - start
    for client in clients:
        await client.aclose()
    total = sum(len(v) for v in out.values())
    print(f"{len(secrets)} users × {rounds} rounds × {len(paths)} paths = {total} requests")
    print(f"{'path':36} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8} {'1-user p50':>10}")
    for path in paths:
        values = out[path]
        print(
            f"{path:36} {len(values):5d} {pct(values, 0.5):8.1f} {pct(values, 0.95):8.1f} "
            f"{statistics.fmean(values) * 1000:8.1f} {pct(alone[path], 0.5):10.1f}"
        )
    pages = [v for p, v in out.items() if p != "/health" for v in v]
    print(
        f"{'all pages (excluding /health)':40} {len(pages):5d} {pct(pages, 0.5):8.1f} "
        f"{pct(pages, 0.95):8.1f} {statistics.fmean(pages) * 1000:8.1f}"
    )
    print(f"throughput: {total / wall:.1f} requests/s over {wall:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="sijill-web-bench-")) / "demo"
    case, secrets = prepare(folder, args.users)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(folder), str(port)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores)")
        asyncio.run(run(base, case, secrets, args.rounds))
        print(f"load average after: {os.getloadavg()[0]:.2f}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
