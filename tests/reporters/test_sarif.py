import json
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest

from claimaudit.reporters import ReportOptions
from claimaudit.reporters.sarif import render

SCHEMA = Path(__file__).parents[1] / "schemas" / "sarif-schema-2.1.0.json"


@pytest.fixture
def sarif(make_result, page_findings, rules):
    result = make_result()
    stamped = tuple(replace(f, fingerprint=f"fp{i}:0") for i, f in enumerate(page_findings))
    result = replace(result, documents=(replace(result.documents[0], findings=stamped), *result.documents[1:]))
    return json.loads(render(result, ReportOptions(rules=rules, root=str(Path.cwd()))))


def test_sarif_validates_against_the_official_schema(sarif):
    schema = json.loads(SCHEMA.read_text("utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    jsonschema.Draft4Validator(schema).validate(sarif)


def test_sarif_rules_carry_documentation(sarif, rules):
    driver = sarif["runs"][0]["tool"]["driver"]
    assert driver["name"] == "claimaudit"
    assert "informationUri" not in driver  # no placeholder: the project has no public home page
    by_id = {rule["id"]: rule for rule in driver["rules"]}
    safe = by_id["SAFE001"]
    assert safe["help"]["markdown"] == rules[0].doc.strip()
    assert safe["fullDescription"]["text"] == "Absolute safety wording."
    assert safe["defaultConfiguration"]["level"] == "error"
    assert "helpUri" not in safe  # the rule's documentation travels in help.markdown
    assert {"SUP001", "SUP002", "SUP003"} <= set(by_id)


def test_sarif_results_point_at_the_exact_region(sarif, page_findings):
    run = sarif["runs"][0]
    results = run["results"]
    assert len(results) == len(page_findings)
    for finding, item in zip(page_findings, results):
        assert run["tool"]["driver"]["rules"][item["ruleIndex"]]["id"] == item["ruleId"] == finding.code
        assert item["message"]["text"] == finding.message
        location = item["locations"][0]["physicalLocation"]
        assert unquote(location["artifactLocation"]["uri"]) == "docs/page, one:2.md"
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        region = location["region"]
        if finding.is_document_level:
            assert region == {"startLine": 1}
            continue
        span = finding.span
        assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (
            span.line, span.column, span.end_line, span.end_column)
        assert (region["charOffset"], region["charLength"]) == (span.start, span.end - span.start)
        assert region["snippet"]["text"] == finding.text
    assert run["columnKind"] == "unicodeCodePoints"
    assert [r["partialFingerprints"]["claimaudit/v1"] for r in results] == [f"fp{i}:0" for i in range(len(results))]


def test_sarif_levels_map_info_to_note(sarif):
    assert {r["level"] for r in sarif["runs"][0]["results"]} == {"error", "warning", "note"}


def test_sarif_unreadable_inputs_are_notifications(sarif):
    invocation = sarif["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    [note] = invocation["toolExecutionNotifications"]
    assert note["descriptor"]["id"] == "IN101"
    assert note["message"]["text"] == "IN101 binary file"
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "docs/binary.md"


def test_sarif_clean_run_is_successful(make_result, rules):
    result = make_result(with_error=False)
    clean = replace(result, documents=result.documents[1:])
    data = json.loads(render(clean, ReportOptions(rules=rules)))
    assert data["runs"][0]["results"] == []
    assert data["runs"][0]["invocations"][0]["executionSuccessful"] is True


def _streamed(result, options):
    from claimaudit.reporters.stream import stream_report

    parts: list[str] = []
    stream_report(result.documents, "sarif", options, parts.append, lambda used: replace(result, documents=()))
    return "".join(parts)


@pytest.mark.parametrize("case", ["findings", "undescribed codes", "no findings", "nothing"])
def test_streamed_sarif_is_the_rendered_log(make_result, page_findings, rules, case):
    result = make_result()
    first, *others = result.documents
    if case == "undescribed codes":  # codes no rule describes get indexes after the described ones
        odd = (replace(page_findings[1], code="ZZZ900"), replace(page_findings[2], code="AAA100"))
        result = replace(result, documents=(replace(first, findings=(*first.findings, odd[0])), *others,
                                            replace(first, path="docs/two.md", findings=(odd[1], odd[0]))))
    elif case == "no findings":
        result = replace(result, documents=(replace(first, findings=()), *others))
    elif case == "nothing":
        result = replace(result, documents=())
    options = ReportOptions(rules=rules, root=str(Path.cwd()))
    rendered = render(result, options)
    assert _streamed(result, options) == rendered
    from claimaudit.reporters.sarif import to_sarif

    assert rendered == json.dumps(to_sarif(result, options), indent=2, ensure_ascii=False) + "\n"
    if case == "undescribed codes":
        log = json.loads(rendered)["runs"][0]
        ids = [rule["id"] for rule in log["tool"]["driver"]["rules"]]
        assert ids[-2:] == ["AAA100", "ZZZ900"]
        assert [r["ruleIndex"] for r in log["results"] if r["ruleId"] in ("AAA100", "ZZZ900")] == [
            len(ids) - 1, len(ids) - 2, len(ids) - 1]
