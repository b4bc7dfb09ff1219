"""Problems found while loading the knowledge base, and the error that carries them.

Codes (stable, listed in the README):
KB101 YAML syntax, KB102 schema, KB103 duplicate id, KB104 dangling reference,
KB105 name or alias claimed twice, KB106 layout (missing pack.yaml, unknown folder),
KB107 cycle in parents, KB108 duplicate substance x indication entry, KB109 source domain
(aggregator/marketing anywhere, or not allowed for the source's kind), KB110 paper without
PMID/DOI or with a non-canonical URL, KB111 approval without a regulator source or evidence
grade without a peer-reviewed one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from claimaudit.errors import KnowledgeBaseError

MAX_REPORTED = 50


@dataclass(frozen=True, slots=True)
class Problem:
    """One defect: where it is (file, entry id, JSON pointer) and what is wrong."""

    code: str
    path: str
    message: str
    entry: str = ""
    pointer: str = ""

    def format(self) -> str:
        where = self.path
        if self.entry:
            where += f" [{self.entry}]"
        if self.pointer:
            where += f" {self.pointer}"
        return f"{self.code} {where}: {self.message}"


class KnowledgeBaseProblems(KnowledgeBaseError):
    """The knowledge base has one or more problems; each line names file, entry and field."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        lines = [p.format() for p in self.problems[:MAX_REPORTED]]
        if len(self.problems) > MAX_REPORTED:
            lines.append(f"... and {len(self.problems) - MAX_REPORTED} more problems")
        super().__init__("\n".join(lines), code=self.problems[0].code if self.problems else None)

    def format_message(self) -> str:
        return self.message
