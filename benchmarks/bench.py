"""Benchmark (not a test): claimaudit against proselint on the same distinct texts, and the
speed targets of the README's "Speed" section.

    .venv/bin/pip install -e '.[bench]'          # proselint, the yardstick
    .venv/bin/python benchmarks/bench.py                          # every measure
    .venv/bin/python benchmarks/bench.py --only throughput,cli    # some of them
    .venv/bin/python benchmarks/bench.py --extra ../main/corpora/realpages/cache
    .venv/bin/python benchmarks/bench.py --only identity --ref main

Corpus: every text file (.txt, .md, .html) directly in corpora/seeds, written, blind and
holdout, plus the text files of each `--extra` directory: distinct texts, never copies of one
another (a cache keyed on the text cannot make a run fast).

Measures (`--only` picks some, comma-separated):
- throughput: words/s (per CPU second of this process) of `Auditor.audit_sources` and of proselint's `LintFile.lint` over the
  corpus, in this process on one core (first pass and best of `--repeat` later passes), and
  the ratio claimaudit / proselint.
- cli: wall time and peak RSS of `claimaudit check --format json` over the corpus files with
  `-j 1` and `-j 2` (when `check` has -j), and of the `proselint check` command on the same files.
- fresh: words/s of one pass over the corpus in a fresh process per run (median of `--repeat`),
  claimaudit and proselint alike, each warmed on a text of its own first: the number to quote,
  since no cache keyed on a corpus text can help (throughput's later passes re-read the same texts).
  Both passes run with the heap that exists after the warm-up frozen (`gc.freeze`), as `check`
  audits a batch (`claimaudit.heap.frozen_heap`).
- latency: median and p95 (CPU ms) of one 2,000-word page audited in a warm process: the same
  page repeated, and each of the corpus's distinct 2,000-word pages once.
- cold: median wall time of `claimaudit check ONE.md --format json` (a fresh process).
- big: seconds to audit one ~1 MB document made of the corpus texts joined.
- many: peak RSS of `claimaudit check --format json` over `--many` files (corpus texts,
  each with its own numbered heading so no two files are equal), written to a temp folder.
- daemon: wall time of `check` through `claimaudit daemon` (one file; the corpus with -j 1 and
  -j 2) against the same commands in process, round-robin; and that the reports are equal.
- identity: the JSON reports of `check` and `claims` on the corpus with the code at `--ref`
  (default `main`, exported with `git archive`) and with the working tree must be identical:
  a speed change changes no output. The corpus files are joined into one more ~200 KB file
  (long-document paths: many headings, reference lists, quantities). The reference report is cached in
  benchmarks/.cache/ under the commit hash.

Timings are wall-clock on a possibly shared machine: the load averages are printed with them.
Before measuring, the bytecode of the measured package is written (`compile_bytecode`), as an
installed claimaudit has it; `--no-compile` measures a checkout as it is.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import hashlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = [ROOT / "corpora" / name for name in ("seeds", "written", "blind", "holdout")]
SUFFIXES = {".txt", ".md", ".html"}
CACHE = ROOT / "benchmarks" / ".cache"
MEASURES = ("identity", "throughput", "fresh", "cli", "latency", "cold", "big", "many", "daemon")
NO_DAEMON = "CLAIMAUDIT_NO_DAEMON"  # the in-process measures never use a running daemon


def corpus_paths(extra: Sequence[Path] = ()) -> list[Path]:
    paths = []
    for folder in [*CORPORA, *extra]:
        paths += sorted(p for p in folder.glob("*") if p.suffix in SUFFIXES and p.name != "README.md")
    return paths


def words(text: str) -> int:
    return len(text.split())


CODE: Path | None = None  # --code: run the `claimaudit` commands of this source tree instead


def claimaudit_command(*args: str) -> list[str]:
    if CODE is not None:
        return [sys.executable, "-c", launcher(CODE), *args]
    exe = ROOT / ".venv" / "bin" / "claimaudit"
    return [str(exe) if exe.exists() else "claimaudit", *args]


def launcher(code_root: Path) -> str:
    """Python code that runs the command line of the claimaudit package in `code_root`."""
    return (f"import sys; sys.path.insert(0, {str(code_root)!r}); import claimaudit; "
            f"assert claimaudit.__file__.startswith({str(code_root)!r}), claimaudit.__file__; "
            "from claimaudit.cli import main; main()")


# Commands are started by a small runner process: a child forked from this (large) process
# would report this process's size as its peak RSS, which survives exec.
RUNNER = """
import json, os, subprocess, sys, time
for line in sys.stdin:
    command, env = json.loads(line)
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **env})
    _, status, usage = os.wait4(child.pid, 0)
    print(json.dumps([time.perf_counter() - started, usage.ru_maxrss / 1024,
                      os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime]), flush=True)
"""
_runner: subprocess.Popen[str] | None = None


def run_measured(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int, float]:
    """(wall seconds, peak RSS in MB of the child, exit code, CPU seconds of the child and its
    waited-for children); output is discarded. CPU time is the steadier figure on a busy machine.
    `env` is added to the environment (by default a running daemon is not used)."""
    global _runner
    if _runner is None:
        _runner = subprocess.Popen([sys.executable, "-c", RUNNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   text=True)
    assert _runner.stdin is not None and _runner.stdout is not None
    _runner.stdin.write(json.dumps([command, {NO_DAEMON: "1"} if env is None else env]) + "\n")
    _runner.stdin.flush()
    wall, rss, code, cpu = json.loads(_runner.stdout.readline())
    return wall, rss, code, cpu


def compile_bytecode(code_root: Path) -> None:
    """Write the bytecode of the measured package, as `pip install` does for an installed one:
    an editable checkout run with PYTHONDONTWRITEBYTECODE=1 would otherwise compile its modules
    from source in every fresh process (0.2-0.3 CPU s of a cold start), which no installed
    claimaudit does. The dependencies' bytecode is written by pip at install time."""
    import compileall

    compiled = compileall.compile_dir(str(code_root / "claimaudit"), quiet=1, workers=1)
    print(f"bytecode of {code_root / 'claimaudit'}: {'written' if compiled else 'FAILED'} "
          f"(PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r})", flush=True)


# ------------------------------------------------------------------ throughput, one core


def passes(function: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(seconds of the first pass, best of `repeat` later passes), in this process's CPU time
    (one thread, so on an idle machine it equals wall time; on a busy one it is steadier)."""
    timings = []
    for _ in range(repeat + 1):
        started = time.process_time()
        function()
        timings.append(time.process_time() - started)
    return timings[0], min(timings[1:])


def bench_throughput(paths: list[Path], repeat: int) -> dict[str, float]:
    from claimaudit.audit import Auditor
    from claimaudit.ingest import read_text

    texts = [(str(p), p.read_text(encoding="utf-8")) for p in paths]
    total = sum(words(t) for _, t in texts)
    started = time.perf_counter()
    auditor = Auditor()
    build = time.perf_counter() - started
    sources = [read_text(text, path=path, media_type=None) for path, text in texts]
    first, best = passes(lambda: list(auditor.audit_sources(sources)), repeat)
    out = {"words": total, "auditor_build_ms": build * 1000,
           "claimaudit_first_wps": total / first, "claimaudit_wps": total / best}
    try:
        from proselint.checks import __register__
        from proselint.config import DEFAULT
        from proselint.registry import CheckRegistry
        from proselint.tools import LintFile
    except ImportError:
        print("proselint is not installed: pip install -e '.[bench]'", file=sys.stderr)
        return out
    CheckRegistry().register_many(__register__)
    p_first, p_best = passes(lambda: [LintFile(path, text).lint(DEFAULT) for path, text in texts], repeat)
    out |= {"proselint_first_wps": total / p_first, "proselint_wps": total / p_best,
            "ratio": p_best / best}
    return out


def bench_fresh(paths: list[Path], repeat: int) -> dict[str, float]:
    """Words/s of one pass over the corpus in a fresh process per run (median of `repeat`), for
    claimaudit and proselint alike: each tool is warmed on a short text of its own first
    (`WARM_UP`), so no cache keyed on a corpus text can help."""
    total = sum(words(p.read_text(encoding="utf-8")) for p in paths)
    tools = ["claimaudit"] + (["proselint"] if _has_proselint() else [])
    seconds: dict[str, list[float]] = {tool: [] for tool in tools}
    for _ in range(repeat):  # round-robin, so load changes hit both alike
        for tool in tools:
            done = subprocess.run([sys.executable, __file__, "--fresh-pass", tool, *_extra_args()],
                                  capture_output=True, text=True, cwd=ROOT, env={**os.environ, NO_DAEMON: "1"})
            if done.returncode:
                raise SystemExit(f"fresh pass of {tool} failed: {done.stderr[-2000:]}")
            seconds[tool].append(json.loads(done.stdout.strip().splitlines()[-1])["cpu_s"])
    out = {f"{tool}_fresh_wps": total / statistics.median(values) for tool, values in seconds.items()}
    if "proselint_fresh_wps" in out:
        out["ratio_fresh"] = out["claimaudit_fresh_wps"] / out["proselint_fresh_wps"]
    return out


def _has_proselint() -> bool:
    try:
        import proselint  # noqa: F401
    except ImportError:
        return False
    return True


EXTRA: list[Path] = []  # the --extra folders, passed on to fresh-pass processes


def _extra_args() -> list[str]:
    code = ["--code", str(CODE)] if CODE is not None else []
    return [*code, *(arg for folder in EXTRA for arg in ("--extra", str(folder)))]


WARM_UP = """# Ketamine infusions

Ketamine infusions are FDA-approved for depression and work for 90% of patients within hours.
Studies prove the effects last for months, and the treatment is completely safe with no risk of
addiction (Smith et al., 2019). It rewires the brain by regrowing synapses. Call us today.
"""  # our own sentences: no corpus text, so no cache keyed on a corpus text is warmed


def fresh_pass(tool: str, paths: list[Path]) -> float:
    """CPU seconds of one pass of `tool` over the corpus in this (fresh) process, after a warm-up."""
    texts = [(str(p), p.read_text(encoding="utf-8")) for p in paths]
    if tool == "proselint":
        from proselint.checks import __register__
        from proselint.config import DEFAULT
        from proselint.registry import CheckRegistry
        from proselint.tools import LintFile

        CheckRegistry().register_many(__register__)
        LintFile("warm-up.md", "This is a very unique warm-up text, needless to say.").lint(DEFAULT)
        gc.freeze()  # the same collector settings as claimaudit's pass below
        started = time.process_time()
        for path, text in texts:
            LintFile(path, text).lint(DEFAULT)
        return time.process_time() - started
    from claimaudit.audit import Auditor
    from claimaudit.ingest import read_text

    try:
        from claimaudit.heap import frozen_heap
    except ImportError:  # code from before `check` froze its heap (through --code)
        frozen_heap = contextlib.nullcontext

    auditor = Auditor()
    list(auditor.audit_sources([read_text(WARM_UP, path="warm-up.md", media_type="text/markdown")]))
    sources = [read_text(text, path=path, media_type=None) for path, text in texts]
    started = time.process_time()
    with frozen_heap():  # as `check` audits a batch
        for _ in auditor.audit_sources(sources):
            pass
    return time.process_time() - started


# ------------------------------------------------------------------ command line, cores


def check_has_jobs() -> bool:
    help_text = subprocess.run(claimaudit_command("check", "--help"), capture_output=True, text=True).stdout
    return "--jobs" in help_text


def bench_cli(paths: list[Path], repeat: int) -> dict[str, float]:
    files = [str(p) for p in paths]
    out: dict[str, float] = {}
    variants = {"claimaudit_j1": ["-j", "1"], "claimaudit_j2": ["-j", "2"]} if check_has_jobs() else {"claimaudit": []}
    base = claimaudit_command("check", "--format", "json", "--no-config", "--exit-zero")
    runs: dict[str, list[tuple[float, float, int, float]]] = {name: [] for name in variants}
    proselint = shutil.which("proselint", path=str(ROOT / ".venv" / "bin")) or shutil.which("proselint")
    if proselint:
        runs["proselint"] = []
    for _ in range(repeat):  # round-robin, so load changes hit every variant alike
        for name in runs:
            command = [proselint, "check", *files] if name == "proselint" else [*base, *variants[name], *files]
            runs[name].append(run_measured(command))  # type: ignore[list-item]
    total = sum(words(p.read_text(encoding="utf-8")) for p in paths)
    for name, results in runs.items():
        wall = statistics.median(r[0] for r in results)
        out[f"{name}_s"] = wall
        out[f"{name}_wps"] = total / wall
        out[f"{name}_rss_mb"] = max(r[1] for r in results)
        out[f"{name}_cpu_s"] = statistics.median(r[3] for r in results)
    if "claimaudit_j2_s" in out:
        out["j2_speedup"] = out["claimaudit_j1_s"] / out["claimaudit_j2_s"]
    return out


# ------------------------------------------------------------------ latency, cold start, size


def two_thousand_word_page(paths: list[Path]) -> str:
    pool = " \n".join(p.read_text(encoding="utf-8") for p in paths).split(" ")
    return " ".join(pool[:2000])


def distinct_pages(paths: list[Path], size: int = 2000) -> list[str]:
    """The corpus's words cut into consecutive pages of `size` words: no two pages alike."""
    pool = " \n".join(p.read_text(encoding="utf-8") for p in paths).split(" ")
    return [" ".join(pool[start:start + size]) for start in range(0, len(pool) - size + 1, size)]


def bench_latency(paths: list[Path], repeat: int) -> dict[str, float]:
    """p50/p95 CPU ms of one 2,000-word page in a warm process: the same page again and again
    (as before), and every page a different one (no cache keyed on the text can help)."""
    from claimaudit.audit import Auditor
    from claimaudit.ingest import read_text

    auditor = Auditor()
    source = read_text(two_thousand_word_page(paths), path="page.txt", media_type="text/plain")
    auditor.audit_source(source)  # warm
    timings = []  # CPU milliseconds of this process (see `passes`)
    for _ in range(max(20, repeat * 10)):
        started = time.process_time()
        auditor.audit_source(source)
        timings.append((time.process_time() - started) * 1000)
    timings.sort()
    distinct = []
    for page in distinct_pages(paths)[1:]:  # the first page is the one audited above
        started = time.process_time()
        auditor.audit_source(read_text(page, path="page.txt", media_type="text/plain"))
        distinct.append((time.process_time() - started) * 1000)
    distinct.sort()
    return {"p50_ms": statistics.median(timings), "p95_ms": timings[int(0.95 * (len(timings) - 1))],
            "distinct_pages": len(distinct), "distinct_p50_ms": statistics.median(distinct),
            "distinct_p95_ms": distinct[int(0.95 * (len(distinct) - 1))]}


def bench_cold(paths: list[Path], repeat: int) -> dict[str, float]:
    one = next(p for p in paths if p.suffix == ".md")
    command = claimaudit_command("check", str(one), "--format", "json", "--exit-zero")
    subprocess.run(command, capture_output=True, env={**os.environ, NO_DAEMON: "1"})  # fill the KB cache
    runs = [run_measured(command) for _ in range(repeat)]
    return {"cold_s": statistics.median(r[0] for r in runs), "cold_cpu_s": statistics.median(r[3] for r in runs),
            "cold_rss_mb": max(r[1] for r in runs)}


def big_document(paths: list[Path], size: int = 1_000_000) -> str:
    parts, length = [], 0
    while length < size:
        for path in paths:
            text = path.read_text(encoding="utf-8")
            parts.append(f"# Part {len(parts)}\n\n{text}\n")
            length += len(parts[-1])
            if length >= size:
                break
    return "".join(parts)


def bench_big(paths: list[Path]) -> dict[str, float]:
    from claimaudit.audit import Auditor
    from claimaudit.ingest import read_text

    auditor = Auditor()
    text = big_document(paths)
    started, cpu = time.perf_counter(), time.process_time()
    result = auditor.audit_source(read_text(text, path="big.md", media_type="text/markdown"))
    return {"big_bytes": len(text.encode()), "big_s": time.perf_counter() - started,
            "big_cpu_s": time.process_time() - cpu, "big_claims": len(result.claims)}


def bench_many(paths: list[Path], count: int, jobs: int | None) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        texts = [p.read_text(encoding="utf-8") for p in paths if p.suffix != ".html"]
        for index in range(count):
            Path(folder, f"page{index:05d}.md").write_text(f"# Page {index}\n\n{texts[index % len(texts)]}",
                                                           encoding="utf-8")
        command = claimaudit_command("check", "--format", "json", "--no-config", "--exit-zero", folder)
        if jobs is not None and check_has_jobs():
            at = command.index("check") + 1
            command[at:at] = ["-j", str(jobs)]
        wall, rss, code, cpu = run_measured(command)
    return {"many_files": count, "many_s": wall, "many_cpu_s": cpu, "many_rss_mb": rss, "many_exit": code}


# ------------------------------------------------------------------ resident mode


def bench_daemon(paths: list[Path], repeat: int) -> dict[str, object]:
    """`check` through a daemon (started here, in a private runtime folder, stopped at the end):
    wall time of one file and of the corpus with -j 1 and -j 2, against the same in-process
    commands in the same rounds; and whether the daemon's report equals the in-process one.
    The daemon's own CPU time is not the client's, so only wall times are compared."""
    one = next(p for p in paths if p.suffix == ".md")
    files = [str(p) for p in paths]
    base = claimaudit_command("check", "--format", "json", "--no-config", "--exit-zero")
    with tempfile.TemporaryDirectory() as runtime:
        env = {"XDG_RUNTIME_DIR": runtime}
        started = subprocess.run(claimaudit_command("daemon", "start", "--idle-timeout", "900"),
                                 env={**os.environ, **env}, capture_output=True, text=True)
        if started.returncode:
            raise SystemExit(f"the daemon did not start: {started.stderr}")
        try:
            same = {}
            for jobs in ("1", "2"):
                command = [*base, "-j", jobs, *files]
                forwarded = subprocess.run(command, env={**os.environ, **env}, capture_output=True)
                local = subprocess.run(command, env={**os.environ, NO_DAEMON: "1"}, capture_output=True)
                same[jobs] = (forwarded.returncode, forwarded.stdout) == (local.returncode, local.stdout)
            variants = {
                "cold_local": ([*base, str(one)], {NO_DAEMON: "1"}),
                "cold_daemon": ([*base, str(one)], env),
                "j1_local": ([*base, "-j", "1", *files], {NO_DAEMON: "1"}),
                "j2_local": ([*base, "-j", "2", *files], {NO_DAEMON: "1"}),
                "j1_daemon": ([*base, "-j", "1", *files], env),
                "j2_daemon": ([*base, "-j", "2", *files], env),
            }
            runs: dict[str, list[float]] = {name: [] for name in variants}
            for _ in range(repeat):  # round-robin, so load changes hit every variant alike
                for name, (command, extra) in variants.items():
                    runs[name].append(run_measured(command, extra)[0])
        finally:
            subprocess.run(claimaudit_command("daemon", "stop"), env={**os.environ, **env}, capture_output=True)
    out: dict[str, object] = {f"{name}_s": statistics.median(times) for name, times in runs.items()}
    out["j2_speedup_local"] = statistics.median(runs["j1_local"]) / statistics.median(runs["j2_local"])
    out["j2_speedup_daemon"] = statistics.median(runs["j1_daemon"]) / statistics.median(runs["j2_daemon"])
    out["report_identical_j1"], out["report_identical_j2"] = same["1"], same["2"]
    return out


# ------------------------------------------------------------------ output identity


def export_ref(ref: str, into: Path) -> str:
    """Export commit `ref` of the repository into `into`; returns its full hash."""
    commit = subprocess.run(["git", "rev-parse", ref], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    archive = subprocess.run(["git", "archive", commit], cwd=ROOT, capture_output=True, check=True).stdout
    archive_path = into / "ref.tar"
    archive_path.write_bytes(archive)
    with tarfile.open(archive_path) as tar:
        tar.extractall(into, filter="tar")
    return commit


def reports(code_root: Path, paths: list[Path]) -> dict[str, object]:
    """The `check` and `claims` JSON reports of the code at `code_root` (imported first on sys.path)."""
    files = [str(p) for p in paths]
    out: dict[str, object] = {}
    for name, args in (("check", ["check", "--format", "json", "--no-config", "--exit-zero"]),
                       ("claims", ["claims", "--format", "json"])):
        done = subprocess.run([sys.executable, "-c", launcher(code_root), *args, *files], capture_output=True, text=True,
                              cwd=ROOT, env={**os.environ, NO_DAEMON: "1"})
        if not done.stdout.strip():
            raise SystemExit(f"{name} at {code_root} failed: {done.stderr[-2000:]}")
        out[name] = json.loads(done.stdout)
    return out


def first_difference(one: object, other: object, where: str = "") -> str | None:
    if type(one) is not type(other):
        return f"{where}: {type(one).__name__} vs {type(other).__name__}"
    if isinstance(one, dict):
        assert isinstance(other, dict)
        if list(one) != list(other):
            return f"{where}: keys {list(one)} vs {list(other)}"
        for key in one:
            found = first_difference(one[key], other[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(one, list):
        assert isinstance(other, list)
        for index, (a, b) in enumerate(zip(one, other)):
            found = first_difference(a, b, f"{where}[{index}]")
            if found:
                return found
        return f"{where}: {len(one)} vs {len(other)} items" if len(one) != len(other) else None
    return None if one == other else f"{where}: {str(one)[:200]!r} vs {str(other)[:200]!r}"


def bench_identity(paths: list[Path], ref: str) -> dict[str, object]:
    CACHE.mkdir(parents=True, exist_ok=True)
    joined = CACHE / "joined-200k.md"  # many sections, reference lists and quantities in one file
    joined.write_text(big_document(paths, 200_000), encoding="utf-8")
    paths = [*paths, joined]
    with tempfile.TemporaryDirectory() as folder:
        commit = export_ref(ref, Path(folder))
        key = f"{commit[:12]}-{hashlib.sha256(' '.join(map(str, paths)).encode()).hexdigest()[:12]}"
        cached = CACHE / f"reference-{key}.json"
        if cached.exists():
            reference = json.loads(cached.read_text(encoding="utf-8"))
        else:
            reference = reports(Path(folder), paths)
            cached.write_text(json.dumps(reference), encoding="utf-8")
    current = reports(ROOT, paths)
    out: dict[str, object] = {"ref": f"{ref} ({commit[:10]})", "files": len(paths)}
    for name in ("check", "claims"):
        difference = first_difference(reference[name], current[name])
        out[f"{name}_identical"] = difference is None
        if difference:
            out[f"{name}_first_difference"] = difference
    findings = sum(len(d["findings"]) for d in reference["check"]["documents"])  # type: ignore[index]
    out["findings_compared"] = findings
    return out


# ------------------------------------------------------------------ main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", default=",".join(MEASURES), help=f"comma-separated: {', '.join(MEASURES)}")
    parser.add_argument("--extra", type=Path, action="append", default=[], help="another folder of texts")
    parser.add_argument("--many", type=int, default=1000, help="files for the `many` measure")
    parser.add_argument("--many-jobs", type=int, default=None, help="-j for the `many` measure")
    parser.add_argument("--ref", default="main", help="the commit whose output `identity` compares with")
    parser.add_argument("--code", type=Path, help="measure the commands of this source tree (cli, cold, many)")
    parser.add_argument("--json", type=Path, help="also write the numbers to this JSON file")
    parser.add_argument("--no-compile", action="store_true",
                        help="measure without compiling the package's bytecode first (see compile_bytecode)")
    parser.add_argument("--fresh-pass", choices=("claimaudit", "proselint"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    global CODE
    CODE = args.code.resolve() if args.code else None
    sys.path.insert(0, str(CODE or ROOT))
    EXTRA[:] = args.extra
    if args.fresh_pass:  # one measured pass in this fresh process (see bench_fresh)
        print(json.dumps({"cpu_s": fresh_pass(args.fresh_pass, corpus_paths(args.extra))}))
        return
    run_measured(["true"])  # start the runner while this process is small
    if not args.no_compile:
        compile_bytecode(CODE or ROOT)
    chosen = [m.strip() for m in args.only.split(",") if m.strip()]
    unknown = set(chosen) - set(MEASURES)
    if unknown:
        parser.error(f"unknown measure(s): {', '.join(sorted(unknown))}")
    paths = corpus_paths(args.extra)
    results: dict[str, object] = {
        "cores": os.cpu_count(), "documents": len(paths),
        "words": sum(words(p.read_text(encoding="utf-8")) for p in paths),
        "load_before": os.getloadavg(),
    }
    print(f"corpus: {results['documents']} distinct documents, {results['words']:,} words; "
          f"{results['cores']} cores; load {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    for measure in chosen:
        if measure == "identity":
            found: dict[str, object] = bench_identity(paths, args.ref)
        elif measure == "throughput":
            found = dict(bench_throughput(paths, args.repeat))
        elif measure == "fresh":
            found = dict(bench_fresh(paths, args.repeat))
        elif measure == "cli":
            found = dict(bench_cli(paths, args.repeat))
        elif measure == "latency":
            found = dict(bench_latency(paths, args.repeat))
        elif measure == "cold":
            found = dict(bench_cold(paths, args.repeat))
        elif measure == "big":
            found = dict(bench_big(paths))
        elif measure == "daemon":
            found = bench_daemon(paths, args.repeat)
        else:
            found = dict(bench_many(paths, args.many, args.many_jobs))
        print(f"{measure:<11}" + "  ".join(f"{k}={_fmt(v)}" for k, v in found.items()), flush=True)
        results[measure] = found
    results["load_after"] = os.getloadavg()
    results["peak_rss_mb_this_process"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"load after {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"peak RSS of this process {results['peak_rss_mb_this_process']:.0f} MB")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    identity = results.get("identity")
    if isinstance(identity, dict) and not (identity["check_identical"] and identity["claims_identical"]):
        raise SystemExit(1)


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}" if value >= 1000 else f"{value:.2f}"
    return str(value)


if __name__ == "__main__":
    main()
