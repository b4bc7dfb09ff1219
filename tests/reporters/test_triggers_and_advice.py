"""Trigger spans and the three things a finding offers (suggestion, advice, note) in every format."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
from conftest import PAGE, make_finding, span_of

from claimaudit.findings.model import Family, Severity
from claimaudit.reporters import ReportOptions
from claimaudit.reporters import csv_report, html_report, json_report, markdown, sarif, text
from claimaudit.result import AuditResult, DocumentResult

SCHEMA = Path(__file__).parents[1] / "schemas" / "sarif-schema-2.1.0.json"
SENTENCE = "It has no side effects: none, ever."
TRIGGER = "no side effects"
REWRITE = "It has side effects such as dissociation and nausea."


@pytest.fixture
def triggered():  # type: ignore[no-untyped-def]
    finding = make_finding(PAGE, SENTENCE, "SAFE001", Family.SAFE, Severity.ERROR,
                           message=f"'{TRIGGER}' is an absolute safety claim",
                           suggestion=REWRITE, advice="State the risks plainly.",
                           note="Dissociation is recorded in 41% of patients.")
    start = PAGE.index(TRIGGER)
    second = make_finding(PAGE, SENTENCE, "EVI001", Family.EVI, Severity.WARNING,
                          message="'none, ever' is absolute", advice="Hedge it.")
    second_start = PAGE.index("none, ever")
    return (
        replace(finding, trigger=span_of(PAGE, start, start + len(TRIGGER)), trigger_text=TRIGGER),
        replace(second, trigger=span_of(PAGE, second_start, second_start + 10), trigger_text="none, ever"),
    )


@pytest.fixture
def result(triggered):  # type: ignore[no-untyped-def]
    document = DocumentResult("page.md", "text/markdown", PAGE, findings=triggered)
    return AuditResult((document,), kb_version="1", kb_hash="abc123def456", tool_version="0.1.0")


def test_json_keeps_the_claim_span_and_adds_trigger_and_the_three_fields(result, triggered):
    data = json.loads(json_report.render(result))
    schema = json.loads((Path(json_report.__file__).parent / "finding.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    first, second = data["documents"][0]["findings"]
    assert (first["start"], first["end"]) == (PAGE.index(SENTENCE), PAGE.index(SENTENCE) + len(SENTENCE))
    assert first["trigger"]["text"] == TRIGGER == PAGE[first["trigger"]["start"]:first["trigger"]["end"]]
    assert (first["suggestion"], first["advice"], first["note"]) == (
        REWRITE, "State the risks plainly.", "Dissociation is recorded in 41% of patients.")
    # two findings on one sentence: same claim span, different triggers
    assert (first["start"], first["end"]) == (second["start"], second["end"])
    assert first["trigger"]["start"] != second["trigger"]["start"]
    assert second["suggestion"] is None and second["advice"] == "Hedge it."


def test_json_trigger_defaults_to_the_claim_span():
    finding = make_finding(PAGE, SENTENCE, "SAFE001", Family.SAFE, Severity.ERROR)
    data = json_report.finding_to_dict(finding, "page.md")
    assert (data["trigger"]["start"], data["trigger"]["end"], data["trigger"]["text"]) == (
        finding.start, finding.end, SENTENCE)


def test_text_points_line_and_column_at_the_trigger(result):
    out = text.render(result, ReportOptions(verbose=True))
    line, column = 2, SENTENCE.index(TRIGGER) + 1
    assert f"page.md:{line}:{column}: error SAFE001" in out
    assert f"page.md:{line}:{SENTENCE.index('none, ever') + 1}: warning EVI001" in out
    assert f"  trigger: {TRIGGER}" in out
    assert f"  suggestion: {REWRITE}" in out and "  advice: State the risks plainly." in out
    assert "  note: Dissociation is recorded" in out


def test_sarif_region_is_the_trigger_with_the_claim_as_context_and_the_rewrite_as_fix(result):
    log = json.loads(sarif.render(result))
    jsonschema.Draft4Validator(json.loads(SCHEMA.read_text("utf-8"))).validate(log)
    first, second = log["runs"][0]["results"]
    location = first["locations"][0]["physicalLocation"]
    start = PAGE.index(TRIGGER)
    assert (location["region"]["charOffset"], location["region"]["charLength"]) == (start, len(TRIGGER))
    assert location["region"]["snippet"]["text"] == TRIGGER
    assert location["region"]["startColumn"] == SENTENCE.index(TRIGGER) + 1
    assert location["contextRegion"]["snippet"]["text"] == SENTENCE
    [fix] = first["fixes"]
    [replacement] = fix["artifactChanges"][0]["replacements"]
    assert replacement["deletedRegion"] == {"charOffset": PAGE.index(SENTENCE), "charLength": len(SENTENCE)}
    assert replacement["insertedContent"]["text"] == REWRITE
    assert first["properties"]["advice"] == "State the risks plainly."
    assert first["properties"]["note"].startswith("Dissociation")
    assert "fixes" not in second  # advice only: nothing to paste
    assert second["locations"][0]["physicalLocation"]["region"]["snippet"]["text"] == "none, ever"


def test_html_underlines_each_trigger_inside_the_highlighted_sentence(result):
    html = html_report.render(result)
    underlined = re.findall(r'<mark [^>]*>(?:<u class="trigger" data-findings="([^"]+)">([^<]*)</u>)</mark>', html)
    assert ("0-0", TRIGGER) in underlined and ("0-1", "none, ever") in underlined
    assert f'<p id="s-0-0">{REWRITE}</p>' in html and 'data-copy="s-0-0"' in html  # Copy copies the rewrite only
    assert '<dd class="advice">State the risks plainly.</dd>' in html
    assert "data-copy=\"s-0-1\"" not in html  # no rewrite, no Copy button


def test_csv_and_markdown_carry_trigger_and_advice(result):
    rows = list(csv.DictReader(io.StringIO(csv_report.render(result))))
    assert rows[0]["trigger_text"] == TRIGGER and rows[0]["advice"] == "State the risks plainly."
    assert int(rows[0]["start"]) == PAGE.index(SENTENCE)  # the claim span is unchanged
    table = markdown.render(result)
    assert f"| {TRIGGER} |" in table and REWRITE in table
