"""Benchmark (not a test): throughput, latency, cold start, peak memory, knowledge-base load.

    .venv/bin/python benchmarks/bench.py [--repeat 5]

Prints a table; the README records the numbers measured on the project machine. Timings are
wall-clock on a possibly shared machine: the load averages before and after are printed with
them. Throughput is given twice: the first pass of a fresh Auditor (cold caches) and the best of
`--repeat` later passes (warm spaCy tokenizer cache; per-document caches never carry over).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = [ROOT / "corpora" / "seeds", ROOT / "corpora" / "written"]


def corpus_texts() -> list[tuple[str, str]]:
    texts = []
    for folder in CORPORA:
        for path in sorted(folder.glob("*")):
            if path.suffix in {".txt", ".md", ".html"}:
                texts.append((str(path), path.read_text(encoding="utf-8")))
    return texts


def words(text: str) -> int:
    return len(text.split())


def bench_throughput(auditor, texts: list[tuple[str, str]], repeat: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Words per second: (first pass, best later pass)."""
    from claimaudit.ingest import read_text

    sources = [read_text(text, path=path, media_type=None) for path, text in texts]
    total_words = sum(words(t) for _, t in texts)
    timings = []
    for _ in range(repeat + 1):
        started = time.perf_counter()
        list(auditor.audit_sources(sources))
        timings.append(time.perf_counter() - started)
    return total_words / timings[0], total_words / min(timings[1:])


def two_thousand_word_page(texts: list[tuple[str, str]]) -> str:
    pool = " \n".join(t for _, t in texts).split(" ")
    return " ".join(pool[:2000])


def bench_latency(auditor, page: str, repeat: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    from claimaudit.ingest import read_text

    source = read_text(page, path="page.txt", media_type="text/plain")
    auditor.audit_source(source)  # warm
    timings = []
    for _ in range(max(20, repeat * 10)):
        started = time.perf_counter()
        auditor.audit_source(source)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(0.95 * (len(timings) - 1))]


def bench_cold_start(path: Path, repeat: int) -> float:
    exe = ROOT / ".venv" / "bin" / "claimaudit"
    command = [str(exe) if exe.exists() else "claimaudit", "check", str(path), "--format", "json"]
    subprocess.run(command, capture_output=True)  # fill the knowledge-base cache
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def bench_kb_load(repeat: int) -> tuple[float, float]:
    code = (
        "import time,sys;t=time.perf_counter();"
        "from claimaudit.knowledge_base.load import load_knowledge_base;"
        "load_knowledge_base();print(time.perf_counter()-t)"
    )
    def run(env_extra: dict[str, str]) -> float:
        import os

        env = dict(os.environ, **env_extra)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
        return float(out.stdout.strip() or "nan")

    import tempfile

    with tempfile.TemporaryDirectory() as empty:
        cold = statistics.median(run({"CLAIMAUDIT_CACHE_DIR": str(Path(empty) / f"c{i}")}) for i in range(repeat))
    warm = statistics.median(run({}) for _ in range(repeat))
    return cold, warm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from claimaudit.audit import Auditor

    texts = corpus_texts()
    load_before = os.getloadavg()
    started = time.perf_counter()
    auditor = Auditor()
    build = time.perf_counter() - started
    first_wps, wps = bench_throughput(auditor, texts, args.repeat)
    median, p95 = bench_latency(auditor, two_thousand_word_page(texts), args.repeat)
    cold = bench_cold_start(Path(texts[0][0]), args.repeat)
    kb_cold, kb_warm = bench_kb_load(args.repeat)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load_after = os.getloadavg()
    print(f"machine                         {os.cpu_count()} cores; load average "
          f"{' '.join(f'{x:.2f}' for x in load_before)} before, {' '.join(f'{x:.2f}' for x in load_after)} after")
    print(f"documents                       {len(texts)} ({sum(words(t) for _, t in texts)} words)")
    print(f"auditor build (in process)      {build * 1000:.0f} ms")
    print(f"throughput (1 core)             {wps:,.0f} words/s warm (first pass {first_wps:,.0f} words/s)")
    print(f"2,000-word page, warm           median {median:.1f} ms, p95 {p95:.1f} ms")
    print(f"cold start `check` one file     {cold:.2f} s")
    print(f"knowledge base load             {kb_cold * 1000:.0f} ms without cache, {kb_warm * 1000:.0f} ms cached")
    print(f"peak memory (this process)      {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
