"""`warm_up` (daemon and serve workers): the first audit's patterns are compiled, and what
exists afterwards sits in the collector's permanent generation, so no later full collection
walks the auditor."""

import gc

from claimaudit.ingest import read_text
from claimaudit.resident.warm import warm_up, warmup_text


def test_warm_up_freezes_the_auditor_and_leaves_audits_unchanged(auditor):  # type: ignore[no-untyped-def]
    page = read_text("# Ketamine\n\nKetamine is FDA-approved for anxiety and works for 90% of patients.\n", path="p.md",
                     media_type="text/markdown")
    before = [f.code for f in auditor.audit_source(page).findings]
    frozen_before = gc.get_freeze_count()
    try:
        warm_up(auditor)
        assert gc.get_freeze_count() > frozen_before
        assert not gc.is_finalized(auditor)
        tracked = {id(o) for o in gc.get_objects()}
        assert id(auditor.__dict__) not in tracked  # frozen objects are not in the collected generations
        assert [f.code for f in auditor.audit_source(page).findings] == before
        assert before  # the page has findings to compare
    finally:
        gc.unfreeze()


def test_warm_up_text_holds_every_rules_flagged_example():  # type: ignore[no-untyped-def]
    text = warmup_text()
    assert text.startswith("# Warm-up")
    assert len(text.split("\n\n")) > 20
