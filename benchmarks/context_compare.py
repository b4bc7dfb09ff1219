"""Benchmark (not a test): medspaCy ConText vs claimaudit's own ConText-style component.

The script picks its mode by what it can import, so the same file runs in two environments:

    /tmp/venv-medspacy/bin/python benchmarks/context_compare.py            # medspaCy mode
    /tmp/venv-medspacy/bin/python benchmarks/context_compare.py --custom   # + CUSTOM_RULES
    .venv/bin/python benchmarks/context_compare.py                          # claimaudit mode
    ... benchmarks/context_compare.py --bench [--repeat 5]                  # processing speed
    ... benchmarks/context_compare.py --startup [--repeat 5]                # start-up, both venvs

medspaCy needs spaCy < 3.8 on Python 3.11, so it cannot live in claimaudit's venv; build a
separate one (`python3 -m venv /tmp/venv-medspacy && /tmp/venv-medspacy/bin/pip install medspacy`).

medspaCy mode: blank("en") + spaCy's sentencizer + medspaCy's TargetMatcher (targets below)
+ ConText with its default English rules; prints, per sentence, the modifiers attached to the
substance, predicate and condition targets and the certainty level they imply.
claimaudit mode: `Auditor().audit_source(read_text(...))` per sentence; prints each claim's
certainty label and qualifiers.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path("/work/shared/seeds")

# (group, sentence, expected level per judgement.md section 1)
SENTENCES: tuple[tuple[str, str, str], ...] = (
    ("negated", "Ketamine is not approved for anxiety.", "rejected"),
    ("negated", "There is no evidence that ketamine cures PTSD.", "rejected"),
    ("negated", "Ketamine does not cure depression.", "rejected"),
    ("negated", "Ketamine has never been approved by the FDA for PTSD.", "rejected"),
    ("negated", "A common myth is that ketamine cures depression.", "rejected"),
    ("hedged", "Small early studies suggest ketamine may reduce anxiety.", "hedged"),
    ("hedged", "Ketamine might help some patients with OCD.", "hedged"),
    ("hedged", "Preliminary research indicates that ketamine can ease PTSD symptoms.", "hedged"),
    ("hedged", "Ketamine may possibly reduce chronic pain.", "hedged"),
    ("hypothetical", "If approved, ketamine could become a treatment for anxiety.", "speculative"),
    ("hypothetical", "Researchers hope ketamine would help patients with PTSD.", "speculative"),
    ("hypothetical", "Ketamine is being studied for obsessive-compulsive disorder.", "speculative"),
    ("asserted", "Ketamine reduces depressive symptoms.", "asserted"),
    ("asserted", "Esketamine is approved for treatment-resistant depression.", "asserted"),
    ("boosted", "Ketamine has been shown to relieve anxiety.", "boosted"),
    ("boosted", "Ketamine is clinically proven to treat PTSD.", "boosted"),
    ("boosted", "Ketamine is remarkably effective for depression.", "boosted"),
    ("absolute", "Ketamine has no side effects.", "absolute"),
    ("absolute", "Ketamine is completely safe.", "absolute"),
    ("absolute", "Ketamine cures depression.", "absolute"),
    ("absolute", "Ketamine works for 100% of patients with depression.", "absolute"),
    ("absolute", "Ketamine is risk-free and never causes addiction.", "absolute"),
    ("attribution", "Studies show ketamine relieves anxiety.", "boosted"),
    ("attribution", "Research confirms that ketamine treats depression.", "boosted"),
    (
        "scope",
        "Ketamine is not a cure, but it has been proven to relieve anxiety.",
        "rejected | boosted",
    ),
    (
        "scope",
        "While ketamine may cause nausea, it reliably relieves depression within hours.",
        "boosted",
    ),
    ("scope", "Ketamine is not only safe but also effective for PTSD.", "asserted"),
)

# Targets for medspaCy's TargetMatcher (doc.ents, so they must not overlap).
SUBSTANCES = ("ketamine", "esketamine")
CONDITIONS = (
    "anxiety",
    "depression",
    "depressive symptoms",
    "ptsd",
    "ocd",
    "obsessive-compulsive disorder",
    "chronic pain",
    "addiction",
    "nausea",
    "side effects",
)
PREDICATES = (
    "approved",
    "cure",
    "cures",
    "cured",
    "reduce",
    "reduces",
    "relieve",
    "relieves",
    "treat",
    "treats",
    "treatment",
    "help",
    "helps",
    "ease",
    "eases",
    "work",
    "works",
    "effective",
    "safe",
    "risk-free",
    "causes",
    "cause",
)
# Reading: one level per predicate target (a clause's claim), from the modifiers on it and on the
# substance; a sentence without a predicate target reads from the substance alone.
# ConText's default categories mapped onto claimaudit's certainty scale (strongest first).
CATEGORY_LEVEL = (
    ("NEGATED_EXISTENCE", "rejected"),
    ("HYPOTHETICAL", "speculative"),
    ("POSSIBLE_EXISTENCE", "hedged"),
    ("ABSOLUTE", "absolute"),  # custom categories (--custom)
    ("BOOSTED", "boosted"),
    ("ATTRIBUTION", "boosted"),
)

# --custom: what claimaudit's scale needs on top of ConText's defaults, as ConTextRule dicts
# (the context_rules.json shape). General wording only; PSEUDO rules shield superstrings.
CUSTOM_RULES: tuple[dict[str, str], ...] = (
    *(
        {"literal": w, "category": "BOOSTED", "direction": "FORWARD"}
        for w in (
            "has been shown",
            "have been shown",
            "proven",
            "clinically proven",
            "remarkably",
            "reliably",
            "confirms",
        )
    ),
    *(
        {"literal": w, "category": "ATTRIBUTION", "direction": "FORWARD"}
        for w in ("studies show", "research confirms", "research indicates", "research shows")
    ),
    *(
        {"literal": w, "category": "ABSOLUTE", "direction": "BIDIRECTIONAL"}
        for w in (
            "no side effects",
            "completely",
            "100%",
            "risk-free",
            "cure",
            "cures",
            "guaranteed",
        )
    ),
    *(
        {"literal": w, "category": "POSSIBLE_EXISTENCE", "direction": "FORWARD"}
        for w in ("may", "might", "can", "suggest", "suggests", "preliminary", "early studies")
    ),
    *(
        {"literal": w, "category": "HYPOTHETICAL", "direction": "FORWARD"}
        for w in ("could", "would", "hope", "hopes")
    ),
    {"literal": "being studied", "category": "HYPOTHETICAL", "direction": "BIDIRECTIONAL"},
    *(
        {"literal": w, "category": "NEGATED_EXISTENCE", "direction": "FORWARD"}
        for w in ("never", "a common myth is that", "myth")
    ),
    {"literal": "not only", "category": "PSEUDO", "direction": "PSEUDO"},
)


# ----------------------------------------------------------------------------- medspaCy mode


def build_medspacy_nlp(sentencizer: str = "sentencizer", custom: bool = False) -> Any:
    """blank("en") + a sentence splitter + TargetMatcher + ConText (default rules [+ custom])."""
    import spacy
    from medspacy.target_matcher import TargetRule

    nlp = spacy.blank("en")
    if sentencizer == "pyrush-quiet":
        from loguru import logger

        logger.disable("PyRuSH")  # PyRuSH logs every sentence boundary at DEBUG by default
    if sentencizer.startswith("pyrush"):
        from importlib.resources import files

        rules = str(files("resources") / "en" / "rush_rules.tsv")
        nlp.add_pipe("medspacy_pyrush", config={"rules_path": rules})
    else:
        nlp.add_pipe("sentencizer")
    matcher = nlp.add_pipe("medspacy_target_matcher")
    rules = [TargetRule(s, "SUBSTANCE") for s in SUBSTANCES]
    rules += [TargetRule(c, "CONDITION") for c in CONDITIONS]
    rules.append(
        TargetRule("predicate", "PREDICATE", pattern=[{"LOWER": {"IN": list(PREDICATES)}}])
    )
    matcher.add(rules)
    context = nlp.add_pipe("medspacy_context")
    if custom:
        from medspacy.context import ConTextRule

        context.add([ConTextRule.from_dict(rule) for rule in CUSTOM_RULES])
    return nlp


def medspacy_level(categories: set[str]) -> str:
    for category, level in CATEGORY_LEVEL:
        if category in categories:
            return level
    return "asserted"


def describe(ent: Any) -> str:
    doc = ent.doc
    mods = ", ".join(
        f"{m.category}:'{doc[m.modifier_span[0] : m.modifier_span[1]].text}'"
        for m in ent._.modifiers
    )
    return f"{ent.text}[{mods or '-'}]"


def run_medspacy(custom: bool) -> list[dict[str, str]]:
    import medspacy

    nlp = build_medspacy_nlp(custom=custom)
    print(
        f"medspaCy {medspacy.__version__}; spaCy {__import__('spacy').__version__}; "
        f"ConText rules: {len(nlp.get_pipe('medspacy_context').rules)}"
        f"{' (102 default + custom)' if custom else ' (default)'}"
    )
    rows = []
    for group, text, expected in SENTENCES:
        doc = nlp(text)
        by_label: dict[str, list[str]] = {"SUBSTANCE": [], "PREDICATE": [], "CONDITION": []}
        for ent in doc.ents:
            by_label[ent.label_].append(describe(ent))
        # one reading per predicate target (a clause's claim); the substance's modifiers count too
        levels = []
        substance_cats = {
            m.category for e in doc.ents if e.label_ == "SUBSTANCE" for m in e._.modifiers
        }
        for ent in doc.ents:
            if ent.label_ == "PREDICATE":
                levels.append(
                    medspacy_level({m.category for m in ent._.modifiers} | substance_cats)
                )
        rows.append(
            {
                "group": group,
                "sentence": text,
                "expected": expected,
                "substance": "; ".join(by_label["SUBSTANCE"]),
                "predicate": "; ".join(by_label["PREDICATE"]),
                "condition": "; ".join(by_label["CONDITION"]),
                "reading": " | ".join(levels) or medspacy_level(substance_cats),
            }
        )
    print_table(
        rows, ("group", "sentence", "expected", "reading", "substance", "predicate", "condition")
    )
    return rows


# --------------------------------------------------------------------------- claimaudit mode


def run_claimaudit() -> list[dict[str, str]]:
    from claimaudit.audit import Auditor
    from claimaudit.ingest import read_text

    auditor = Auditor()
    rows = []
    for group, text, expected in SENTENCES:
        result = auditor.audit_source(read_text(text, path="sentence.txt", media_type="text/plain"))
        claims = [
            f"{c.certainty.label} ({', '.join(f'{q.kind.value}:{q.text!r}' for q in c.qualifiers) or '-'})"
            for c in result.claims
        ]
        rows.append(
            {
                "group": group,
                "sentence": text,
                "expected": expected,
                "reading": " | ".join(c.certainty.label for c in result.claims) or "(no claim)",
                "claims": " | ".join(claims) or "(no claim)",
            }
        )
    print_table(rows, ("group", "sentence", "expected", "reading", "claims"))
    return rows


def reading_matches(reading: str, expected: str) -> bool:
    """Equal clause by clause, or every clause at the single expected level."""
    parts = [p.strip() for p in reading.split("|")]
    wanted = [p.strip() for p in expected.split("|")]
    return parts == wanted or (len(wanted) == 1 and all(p == wanted[0] for p in parts))


def print_table(rows: list[dict[str, str]], columns: tuple[str, ...]) -> None:
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(row[c].replace("|", "/") for c in columns) + " |")
    hits = sum(reading_matches(row["reading"], row["expected"]) for row in rows)
    print(f"\nreading == expected: {hits}/{len(rows)}")


# ------------------------------------------------------------------------------------ bench


def seed_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def importtime_ms(python: str, module: str) -> float:
    """Cumulative `-X importtime` of `module` (ms)."""
    proc = subprocess.run(
        [python, "-X", "importtime", "-c", f"import {module}"],
        check=True,
        capture_output=True,
        text=True,
    )
    for line in proc.stderr.splitlines():
        parts = [p.strip() for p in line.removeprefix("import time:").split("|")]
        if len(parts) == 3 and parts[2] == module:
            return int(parts[1]) / 1000
    raise RuntimeError(f"{module} not in importtime output")


def startup(repeat: int, pythons: dict[str, str]) -> None:
    """Wall time of fresh interpreters, commands run round-robin (fair under background load)."""
    seed = str(sorted(SEEDS.glob("*.txt"))[2])
    check = (
        "import sys; from claimaudit.cli import main; "
        f"sys.argv = ['claimaudit', 'check', {seed!r}]\n"
        "try: main()\nexcept SystemExit: pass"
    )
    build = (
        f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
        "import context_compare as c; c.build_medspacy_nlp()"
    )
    plans = {
        "medspacy": [
            ("python -c pass", "pass"),
            ("spacy.blank('en')", "import spacy; nlp = spacy.blank('en')"),
            ("import medspacy", "import medspacy"),
            (
                "medspacy.load(medspacy_enable=['medspacy_context'])",
                "import medspacy; nlp = medspacy.load(medspacy_enable=['medspacy_context'])",
            ),
            (
                "medspacy.load() (tokenizer, pyrush, target matcher, context)",
                "import medspacy; nlp = medspacy.load()",
            ),
            ("blank + sentencizer + targets + context (this script)", build),
        ],
        "claimaudit": [
            ("python -c pass", "pass"),
            ("spacy.blank('en')", "import spacy; nlp = spacy.blank('en')"),
            ("Auditor() (KB + pipeline)", "from claimaudit.audit import Auditor; Auditor()"),
            (f"claimaudit check {Path(seed).name} (in-process main)", check),
        ],
    }
    jobs = [(mode, label, pythons[mode], code) for mode in pythons for label, code in plans[mode]]
    timings: dict[tuple[str, str], list[float]] = {(m, label): [] for m, label, _, _ in jobs}
    cpu: dict[tuple[str, str], list[float]] = {(m, label): [] for m, label, _, _ in jobs}
    for python in pythons.values():  # warm the page cache and .pyc files
        subprocess.run([python, "-c", "import spacy"], check=True, capture_output=True)
    for _ in range(repeat):
        for mode, label, python, code in jobs:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run([python, "-c", code], check=True, capture_output=True)
            timings[(mode, label)].append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[(mode, label)].append(
                after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
            )
    print(f"load average at end: {os.getloadavg()[0]:.2f} (2 cores); {repeat} rounds, round-robin")
    print("| venv | command | wall median s | wall min s | CPU (user+sys) median s |")
    print("|---|---|---|---|---|")
    for key, values in timings.items():
        print(
            f"| {key[0]} | {key[1]} | {statistics.median(values):.3f} | {min(values):.3f} "
            f"| {statistics.median(cpu[key]):.3f} |"
        )
    for mode, python in pythons.items():
        modules = ("spacy", "medspacy") if mode == "medspacy" else ("spacy", "claimaudit.audit")
        for module in modules:
            values = [importtime_ms(python, module) for _ in range(repeat)]
            print(
                f"-X importtime {mode}: import {module}: median {statistics.median(values):.0f} ms, "
                f"min {min(values):.0f} ms"
            )


def median_run(fn: Any, repeat: int) -> tuple[float, float]:
    """(median, min) seconds of fn() after one warm-up call."""
    fn()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), min(timings)


def component_seconds(nlp: Any, texts: list[str], repeat: int) -> dict[str, float]:
    """Median seconds per pipeline step (tokenizer, then each component) over all texts."""
    runs: dict[str, list[float]] = {}
    for _ in range(repeat + 1):
        totals: dict[str, float] = {"tokenizer": 0.0}
        for text in texts:
            started = time.perf_counter()
            doc = nlp.make_doc(text)
            totals["tokenizer"] += time.perf_counter() - started
            for name, proc in nlp.pipeline:
                started = time.perf_counter()
                doc = proc(doc)
                totals[name] = totals.get(name, 0.0) + time.perf_counter() - started
        for name, value in totals.items():
            runs.setdefault(name, []).append(value)
    return {name: statistics.median(values[1:]) for name, values in runs.items()}


def print_speed(label: str, n_words: int, timing: tuple[float, float], extra: str = "") -> None:
    median, best = timing
    print(f"| {label} | {median:.3f} | {n_words / median:,.0f} | {best:.3f} | {extra} |")


@contextlib.contextmanager
def stderr_to_devnull() -> Iterator[None]:
    """Send fd 2 to /dev/null (PyRuSH's default loguru sink writes there)."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def bench(mode: str, repeat: int) -> None:
    texts = seed_texts()
    n_words = sum(len(t.split()) for t in texts)
    print(
        f"python {sys.version.split()[0]}; {len(texts)} seed texts, {n_words} words; "
        f"median of {repeat} after a warm-up; load average {os.getloadavg()[0]:.2f} (2 cores)"
    )
    print("| pipeline | median s | words/s (median) | min s | notes |")
    print("|---|---|---|---|---|")
    if mode == "medspacy":
        for splitter in ("sentencizer", "pyrush", "pyrush-quiet"):
            nlp = build_medspacy_nlp(splitter)
            with stderr_to_devnull():
                timing = median_run(lambda nlp=nlp: list(nlp.pipe(texts)), repeat)
                docs = list(nlp.pipe(texts))
                steps = component_seconds(nlp, texts, repeat)
            n_mods = sum(len(d._.context_graph.modifiers) for d in docs)
            n_edges = sum(len(d._.context_graph.edges) for d in docs)
            parts = ", ".join(f"{k} {v:.3f}" for k, v in steps.items())
            print_speed(
                f"blank + {splitter} + target matcher + ConText",
                n_words,
                timing,
                f"{sum(len(d.ents) for d in docs)} targets, {n_mods} modifiers, "
                f"{n_edges} edges; per step s: {parts}",
            )
    else:
        from claimaudit.audit import Auditor
        from claimaudit.ingest import read_text

        auditor = Auditor()
        sources = [
            read_text(t, path=f"seed{i}.txt", media_type="text/plain") for i, t in enumerate(texts)
        ]
        print_speed(
            "Auditor.audit_sources (ingest + nlp + claims + rules)",
            n_words,
            median_run(lambda: list(auditor.audit_sources(sources)), repeat),
        )
        steps = component_seconds(auditor.nlp, texts, repeat)
        parts = ", ".join(f"{k} {v:.3f}" for k, v in steps.items())
        print_speed(
            "claimaudit nlp pipeline only",
            n_words,
            median_run(lambda: list(auditor.nlp.pipe(texts)), repeat),
            f"per step s: {parts}",
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--bench", action="store_true", help="measure start-up and processing speed"
    )
    parser.add_argument(
        "--startup",
        action="store_true",
        help="measure interpreter start-up in both venvs (round-robin)",
    )
    parser.add_argument(
        "--custom",
        action="store_true",
        help="medspaCy mode: add CUSTOM_RULES to the default ConText rules",
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--medspacy-python", default="/tmp/venv-medspacy/bin/python")
    parser.add_argument("--claimaudit-python", default=str(ROOT / ".venv" / "bin" / "python"))
    args = parser.parse_args()
    if importlib.util.find_spec("medspacy") is not None:
        mode = "medspacy"
    elif importlib.util.find_spec("claimaudit") is not None:
        mode = "claimaudit"
    else:
        sys.exit("neither medspacy nor claimaudit is importable in this interpreter")
    if args.startup:
        pythons = {"medspacy": args.medspacy_python, "claimaudit": args.claimaudit_python}
        startup(args.repeat, {m: p for m, p in pythons.items() if Path(p).exists()})
    elif args.bench:
        bench(mode, args.repeat)
    else:
        run_medspacy(args.custom) if mode == "medspacy" else run_claimaudit()


if __name__ == "__main__":
    main()
