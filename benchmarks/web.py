"""Web benchmark: the explorer page and the posts API on 1,000,000 posts in SQLite.

    python benchmarks/web.py [--posts 1000000] [--requests 40] [--db PATH] [--shared DIR]

Builds (or reuses, with --db) a SQLite workspace of real post texts from ../shared/data
(38 pages, two years), starts `lytter serve`, and times each case with a real HTTP client:
the server's own time (its Server-Timing header) at p50 and p95, and the client's p95. The
baseline is the same query answered by an unindexed scan (`posts NOT INDEXED`, text matched
with LIKE '%word%'), timed on the same file in the same run. Prints a table, then one summary
line. Target: p95 server time under 300 ms.
"""

from __future__ import annotations

import argparse
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx2 as httpx

sys.path.insert(0, str(Path(__file__).parent))
from ingest import real_texts, write_posts  # noqa: E402
from lytter.domain.access import Actor  # noqa: E402
from lytter.domain.users import Role  # noqa: E402
from lytter.services import auth  # noqa: E402
from lytter.services import users as user_service  # noqa: E402
from lytter.services.access import actor_for  # noqa: E402
from lytter.services.importing import import_file  # noqa: E402
from lytter.store import open_store  # noqa: E402

TARGET_P95_MS = 300.0
PASSWORD = "benchmark-password"


@dataclass(frozen=True)
class Case:
    """One request to time, and the same question as an unindexed scan."""

    name: str
    path: str
    as_agent: bool
    like: str | None
    where: str
    args: tuple[object, ...]


def cases(page_id: int) -> list[Case]:
    da = "platform = 'facebook' AND language = 'da'"
    window = "created_at >= '2023-06-01' AND created_at < '2024-01-01'"
    return [
        Case(
            "explorer · filter platform+language",
            "/listen?platform=facebook&language=da",
            False,
            None,
            da,
            (),
        ),
        Case("explorer · full text 'service'", "/listen?q=service", False, "service", "1", ()),
        Case(
            "explorer · full text + filter + dates",
            "/listen?q=danmark&language=da&since=2023-06-01&until=2023-12-31",
            False,
            "danmark",
            f"language = 'da' AND {window}",
            (),
        ),
        Case(
            "API · filter platform+dates",
            "/api/v1/posts?platform=twitter&since=2023-06-01&until=2023-12-31",
            False,
            None,
            f"platform = 'twitter' AND {window}",
            (),
        ),
        Case("API · full text 'service'", "/api/v1/posts?q=service", False, "service", "1", ()),
        Case(
            "explorer · query: OR, NEAR, inflection",
            "/listen?q=" + quote("(service OR kundeservice~) NEAR/5 (dårlig OR slow OR bad)"),
            False,
            "service",
            "1",
            (),
        ),
        Case(
            "API · query: wildcard NOT phrase",
            "/api/v1/posts?q=" + quote('kund* NOT "tak for"'),
            False,
            "kund",
            "1",
            (),
        ),
        Case(
            "API · query: only NOT (no index)",
            "/api/v1/posts?q=" + quote("NOT service"),
            False,
            None,
            "text NOT LIKE '%service%'",
            (),
        ),
        Case(
            "API · agent of one page, full text",
            "/api/v1/posts?q=tak",
            True,
            "tak",
            "source_id = ?",
            (page_id,),
        ),
    ]


def build(db: Path, posts: int, shared: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="lytter-web-bench-") as tmp:
        file = Path(tmp) / "posts.jsonl"
        write_posts(file, posts, real_texts(shared))
        store = open_store(f"sqlite:///{db}")
        ws = store.ensure_workspace("default", "Benchmark")
        started = time.perf_counter()
        report = import_file(store, ws.id, file)
        print(f"built {report.saved.inserted:,} posts in {time.perf_counter() - started:.0f} s")
        store.close()


def prepare_users(db: Path) -> tuple[str, str, int]:
    """An admin and an agent of one page (created once): their tokens, and that page's id."""
    store = open_store(f"sqlite:///{db}")
    ws = store.ensure_workspace("default")
    system = Actor.system(ws.id)
    page = next(s for s in store.list_sources(ws.id) if s.name == "Side 3")
    tokens = []
    for email, role in (("admin@bench.dk", Role.ADMIN), ("agent@bench.dk", Role.AGENT)):
        user = store.find_user(email) or user_service.add_user(
            store, system, email=email, name=email, role=role, password=PASSWORD
        )
        if role is Role.AGENT:
            store.grant_sources(user.id, [page.id])
        tokens.append(auth.create_token(store, actor_for(store, user), "bench").secret)
    store.close()
    return tokens[0], tokens[1], page.id


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def time_case(
    client: httpx.Client, case: Case, headers: dict[str, str], n: int
) -> tuple[list[float], list[float]]:
    server, wall = [], []
    for i in range(n + 2):
        started = time.perf_counter()
        response = client.get(case.path, headers=headers)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            sys.exit(f"{case.path}: {response.status_code} {response.text[:300]}")
        if i >= 2:  # two warm-up requests (first facets, page cache)
            found = re.search(r"dur=([\d.]+)", response.headers["Server-Timing"])
            assert found
            server.append(float(found.group(1)))
            wall.append(elapsed)
    return server, wall


def scan_ms(db: Path, case: Case, repeats: int = 3) -> float:
    """The same page of posts and capped count by a full scan, with LIKE for the words."""
    text = "AND text LIKE ?" if case.like else ""
    args = (*case.args, f"%{case.like}%") if case.like else case.args
    page = (
        f"SELECT id, text, created_at FROM posts NOT INDEXED WHERE workspace_id = 1 "
        f"AND {case.where} {text} ORDER BY created_at DESC LIMIT 50"
    )
    count = (
        f"SELECT count(*) FROM (SELECT id FROM posts NOT INDEXED WHERE workspace_id = 1 "
        f"AND {case.where} {text} LIMIT 10000)"
    )
    conn = sqlite3.connect(db)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        conn.execute(page, args).fetchall()
        conn.execute(count, args).fetchall()
        times.append((time.perf_counter() - started) * 1000)
    conn.close()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--db", type=Path, help="reuse (or build) the database at this path")
    parser.add_argument("--shared", type=Path, default=Path(__file__).parents[1] / "../shared/data")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="lytter-web-bench-") as tmp:
        db = args.db or Path(tmp) / "web.sqlite"
        if not db.exists():
            build(db, args.posts, args.shared.resolve())
        admin_token, agent_token, page_id = prepare_users(db)
        posts = sqlite3.connect(db).execute("SELECT count(*) FROM posts").fetchone()[0]
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "lytter",
                "serve",
                "--db",
                f"sqlite:///{db}",
                "--port",
                str(port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    httpx.get(f"{base}/healthz")
                    break
                except httpx.ConnectError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        sys.exit(f"lytter serve did not start: {server.communicate()[1]}")
                    time.sleep(0.2)
            with httpx.Client(base_url=base, timeout=60) as client:
                form = client.get("/login").text
                csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
                assert csrf
                client.post(
                    "/login",
                    data={
                        "email": "admin@bench.dk",
                        "password": PASSWORD,
                        "csrf_token": csrf.group(1),
                    },
                )
                rows = []
                for case in cases(page_id):
                    token = agent_token if case.as_agent else admin_token
                    headers = {"Authorization": f"Bearer {token}"} if "/api/" in case.path else {}
                    server_ms, wall_ms = time_case(client, case, headers, args.requests)
                    rows.append((case, server_ms, wall_ms, scan_ms(db, case)))
        finally:
            server.terminate()
            server.communicate(timeout=10)

    print(f"{posts:,} posts in SQLite; {args.requests} timed requests per case after 2 warm-ups")
    print(
        f"{'case':42} {'p50 ms':>8} {'p95 ms':>8} {'client p95':>11} {'scan ms':>9} {'vs scan':>8}"
    )
    worst = 0.0
    ratios = []
    for case, server_ms, wall_ms, scan in rows:
        p50, p95 = percentile(server_ms, 0.5), percentile(server_ms, 0.95)
        worst = max(worst, p95)
        ratios.append(scan / p50)
        print(
            f"{case.name:42} {p50:>8.1f} {p95:>8.1f} {percentile(wall_ms, 0.95):>11.1f} "
            f"{scan:>9.0f} {scan / p50:>7.1f}x"
        )
    verdict = "target met" if worst < TARGET_P95_MS else "TARGET MISSED"
    print(
        f"web {posts:,} posts: worst p95 server time {worst:.0f} ms (target < {TARGET_P95_MS:.0f}),"
        f" {statistics.median(ratios):.0f}x faster than an unindexed LIKE scan (median) — {verdict}"
    )


if __name__ == "__main__":
    main()
