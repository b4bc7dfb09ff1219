"""Where the time goes (not a test): CPU time of each stage of the audit, per pipeline
component and per rule, over the benchmark corpus in one warm process.

    .venv/bin/python benchmarks/stages.py                                   # corpora only
    .venv/bin/python benchmarks/stages.py --extra corpora/realpages/cache   # plus other texts

A rule's time includes the per-document work it is the first to ask for (the context memo), so
read the rule rows together. The first pass warms caches and is not counted; with `--fresh` the
warm-up is a short text of the script's own and the first pass over the corpus is counted.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench  # noqa: E402

from claimaudit.audit import Auditor  # noqa: E402
from claimaudit.claims import extract as extract_module  # noqa: E402
from claimaudit.claims.coverage import coverage_notices  # noqa: E402
from claimaudit.ingest import normalize, read_text  # noqa: E402
from claimaudit.rules.base import RuleContext  # noqa: E402
from claimaudit.rules.triggers import resolve_triggers  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extra", action="append", type=Path, default=[])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--fresh", action="store_true",
                        help="count the first pass over the corpus (after a warm-up on bench.WARM_UP), "
                             "as the `fresh` measure does, so no cache keyed on a corpus text helps")
    args = parser.parse_args()
    texts = [(str(p), p.read_text(encoding="utf-8")) for p in bench.corpus_paths(args.extra)]
    words = sum(bench.words(t) for _, t in texts)
    auditor = Auditor()
    documents = [normalize(read_text(t, path=p, media_type=None)) for p, t in texts]
    times: dict[str, float] = defaultdict(float)
    clock = time.process_time
    gather = extract_module.gather_facts

    def timed_gather(*a, **k):  # type: ignore[no-untyped-def]
        started = clock()
        facts = gather(*a, **k)
        times["extract: facts"] += clock() - started
        return facts

    extract_module.gather_facts = timed_gather
    warm_up = [normalize(read_text(bench.WARM_UP, path="warm-up.md", media_type="text/markdown"))]
    passes = [warm_up, documents] if args.fresh else [documents] * max(args.repeat, 2)
    for pass_documents in passes:
        times.clear()
        for document in pass_documents:
            started = clock()
            doc = auditor.nlp.make_doc(document.text)
            times["pipe: tokenizer"] += clock() - started
            for name, component in auditor.nlp.pipeline:
                started = clock()
                doc = component(doc)
                times[f"pipe: {name}"] += clock() - started
            started = clock()
            claims, facts = extract_module.extract_claims(doc, document, auditor.lookup)
            times["extract (with facts)"] += clock() - started
            started = clock()
            coverage_notices(document, claims, auditor.lookup)
            times["coverage"] += clock() - started
            context = RuleContext(auditor.lookup, document, claims, facts, auditor.settings)
            findings = []
            for module in auditor.rules:
                started = clock()
                if module.check_claim is not None:
                    for claim in claims:
                        findings.extend(module.check_claim(claim, context))
                if module.check_document is not None:
                    findings.extend(module.check_document(facts, context))
                times[f"rule: {module.rule.code}"] += clock() - started
            started = clock()
            resolve_triggers(findings, claims, document)
            times["triggers"] += clock() - started
    total = sum(times.values()) - times["extract: facts"]
    print(f"{len(documents)} documents, {words:,} words: {total:.2f} CPU s, {words / total:,.0f} words/s")
    for name, seconds in sorted(times.items(), key=lambda item: -item[1]):
        print(f"{name:32s} {seconds * 1000:8.0f} ms {100 * seconds / total:5.1f}%")


if __name__ == "__main__":
    main()
