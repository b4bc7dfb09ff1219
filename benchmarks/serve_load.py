"""Bounded load test for `claimaudit serve`: requests per second and latency of POST /api/audit.

Starts `python -m claimaudit serve` on a free loopback port (or uses --url, loopback only),
waits until the auditor is ready, then sends --requests audits of a ~2,000-word draft with
--concurrency clients in flight, stopping early at --max-seconds. Prints one JSON line.

    .venv/bin/python benchmarks/serve_load.py                     # 200 requests, concurrency 4
    .venv/bin/python benchmarks/serve_load.py --requests 50 --words 500
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

SEEDS = Path(__file__).resolve().parents[1] / "corpora" / "seeds"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def draft_of(words: int, seeds: Path = SEEDS) -> str:
    """The first `words` words of the seed articles, keeping their lines.

    The promotional seeds (001, 002, ...) come first and the careful 000 last, so the draft
    carries a realistic load of findings.
    """
    lines: list[str] = []
    count = 0
    paths = sorted(seeds.glob("*.txt"), key=lambda path: (path.name.startswith("000"), path.name))
    for path in paths:
        for line in path.read_text("utf-8").splitlines():
            tokens = line.split()
            if not tokens:
                continue
            if count + len(tokens) >= words:
                lines.append(" ".join(tokens[: words - count]))
                return "\n".join(lines)
            lines.append(line)
            count += len(tokens)
    return "\n".join(lines)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(port: int, workers: int | None = None, code: str | None = None) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "claimaudit",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    if workers is not None:
        command += ["--workers", str(workers)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if code:  # another source tree (e.g. an older commit exported with `git archive`)
        env["PYTHONPATH"] = code
    return subprocess.Popen(command, env=env)


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process (Linux /proc), or None where unavailable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int) -> float | None:
    """CPU time of a process and all its descendants alive now (the audit workers), or None."""
    total = cpu_seconds(pid)
    if total is None:
        return None
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        children = [int(c) for task in tasks for c in (task / "children").read_text().split()]
    except OSError:
        return total
    return total + sum(tree_cpu_seconds(child) or 0.0 for child in children)


def wait_ready(url: str, timeout: float) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            health = httpx.get(f"{url}/api/health", timeout=2).json()
            if health.get("ready") or health.get("status") == "error":
                return dict(health)
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise SystemExit(f"the server at {url} was not ready within {timeout:.0f} s")


async def run_load(
    url: str, text: str, requests: int, concurrency: int, max_seconds: float
) -> dict[str, object]:
    latencies: list[float] = []
    failures: dict[str, int] = {}
    findings: set[int] = set()
    queue: asyncio.Queue[int] = asyncio.Queue()
    for index in range(requests):
        queue.put_nowait(index)
    started = time.perf_counter()
    deadline = started + max_seconds

    async def worker(client: httpx.AsyncClient) -> None:
        while time.perf_counter() < deadline:
            try:
                queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            sent = time.perf_counter()
            try:
                response = await client.post(
                    f"{url}/api/audit", json={"text": text, "format": "text"}
                )
            except httpx.HTTPError as exc:
                failures[type(exc).__name__] = failures.get(type(exc).__name__, 0) + 1
                continue
            if response.status_code == 200:
                latencies.append(time.perf_counter() - sent)
                findings.add(response.json()["summary"]["findings"])
            else:
                failures[str(response.status_code)] = failures.get(str(response.status_code), 0) + 1

    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "completed": len(latencies),
        "failed": failures,
        "elapsed_s": round(elapsed, 2),
        "requests_per_s": round(len(latencies) / elapsed, 2) if elapsed else 0.0,
        "p50_ms": round(statistics.median(ordered) * 1000, 1) if ordered else None,
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95 + 0.5) - 1)] * 1000, 1)
        if ordered
        else None,
        "max_ms": round(ordered[-1] * 1000, 1) if ordered else None,
        "findings_per_response": sorted(findings),
        "stopped_early": len(latencies) + sum(failures.values()) < requests,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--words", type=int, default=2000)
    parser.add_argument(
        "--max-seconds", type=float, default=300.0, help="stop sending after this long"
    )
    parser.add_argument(
        "--url", help="use a running server (loopback only) instead of starting one"
    )
    parser.add_argument("--ready-timeout", type=float, default=180.0)
    parser.add_argument("--workers", type=int, help="serve --workers N (default: serve's own)")
    parser.add_argument("--code", help="run the claimaudit package of this source tree")
    args = parser.parse_args(argv)
    if not 1 <= args.requests <= 5_000 or not 1 <= args.concurrency <= 64:
        parser.error("--requests must be 1..5000 and --concurrency 1..64")

    text = draft_of(args.words)
    server = None
    if args.url:
        if urlsplit(args.url).hostname not in LOOPBACK:
            parser.error("--url must point at a loopback address")
        url = args.url.rstrip("/")
    else:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = start_server(port, args.workers, args.code)
    try:
        load_started = time.perf_counter()
        health = wait_ready(url, args.ready_timeout)
        ready_s = time.perf_counter() - load_started
        if health.get("status") == "error":
            raise SystemExit(f"the auditor could not start: {health.get('error')}")
        warm = httpx.post(f"{url}/api/audit", json={"text": text, "format": "text"}, timeout=120)
        warm.raise_for_status()
        cpu_before = cpu_seconds(server.pid) if server else None
        tree_before = tree_cpu_seconds(server.pid) if server else None
        stats = asyncio.run(run_load(url, text, args.requests, args.concurrency, args.max_seconds))
        cpu_after = cpu_seconds(server.pid) if server else None
        tree_after = tree_cpu_seconds(server.pid) if server else None
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    report = {
        "requests": args.requests,
        "concurrency": args.concurrency,
        "words": len(text.split()),
        "characters": len(text),
        "server_ready_s": round(ready_s, 2) if server else None,
        "kb_version": health.get("kb_version"),
        **stats,
        "server_cpu_ms_per_request": (
            round((cpu_after - cpu_before) * 1000 / stats["completed"], 1)  # type: ignore[operator]
            if cpu_before is not None and cpu_after is not None and stats["completed"]
            else None
        ),
        "server_and_workers_cpu_ms_per_request": (
            round((tree_after - tree_before) * 1000 / stats["completed"], 1)  # type: ignore[operator]
            if tree_before is not None and tree_after is not None and stats["completed"]
            else None
        ),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(report))
    return 0 if not stats["failed"] else 1


if __name__ == "__main__":
    sys.exit(main())
