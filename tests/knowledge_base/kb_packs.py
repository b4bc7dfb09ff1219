"""Tiny knowledge packs for the knowledge-base tests (imported by conftest and tests)."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

SOURCE = (
    "sources: [{kind: paper, pmid: 1, checked: 2026-11-22}, "
    "{kind: regulator, url: 'https://www.fda.gov/x', checked: 2026-11-22}]"
)

# A small valid pack: every kind the cross-checks need.
MINIMAL_PACK: dict[str, str] = {
    "pack.yaml": "id: mini\nname: Mini\nversion: '1'\n",
    "substances/drugx.yaml": f"id: drugx\nname: drugx\naliases: [dx]\nbrands: [Brandex]\n{SOURCE}\n",
    "indications/cond.yaml": f"id: cond\nname: condition\nabbreviations: [CND]\n{SOURCE}\n",
    "indications/subcond.yaml": f"id: subcond\nname: sub-condition\nparent: cond\n{SOURCE}\n",
    "regulators/reg.yaml": f"id: reg\nname: Regulator\njurisdiction: US\n{SOURCE}\n",
    "source_kinds/kinds.yaml": f"- id: journal_article\n  name: article\n  peer_reviewed: true\n  supports_efficacy: true\n  {SOURCE}\n",
    "studies/s1.yaml": textwrap.dedent(f"""\
        id: s1
        citation: Smith A. A trial. J Test. 2020.
        authors: [Smith]
        year: 2020
        pmid: 123
        design: rct
        source_kind: journal_article
        substances: [drugx]
        indications: [cond]
        outcomes:
          - {{measure: response, value: 40, definition: 50% fall}}
        {SOURCE}
        """),
    "approvals/a.yaml": f"- id: a1\n  substance: drugx\n  indication: cond\n  regulator: reg\n  status: approved\n  {SOURCE}\n",
    "assessments/g.yaml": f"id: g1\nsubstance: drugx\nindication: cond\ngrade: moderate\nsummary: ok\nstudies: [s1]\n{SOURCE}\n",
}

PackWriter = Callable[..., Path]
