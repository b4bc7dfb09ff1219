import re

from claimaudit.reporters.github import escape_data, escape_property, render

COMMAND = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")


def _unescape(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def _parse(line: str) -> tuple[str, dict[str, str], str]:
    match = COMMAND.match(line)
    assert match, line
    kind, raw_properties, message = match.groups()
    properties = dict(part.split("=", 1) for part in raw_properties.split(","))
    return kind, {k: _unescape(v) for k, v in properties.items()}, _unescape(message)


def test_github_one_annotation_per_finding_with_escaped_properties(make_result, page_findings):
    lines = render(make_result()).splitlines()
    assert len(lines) == len(page_findings) + 1  # + the unreadable file
    kinds = {"error": "error", "warning": "warning", "info": "notice"}
    for finding, line in zip(page_findings, lines):
        kind, properties, message = _parse(line)
        assert kind == kinds[finding.severity.value]
        assert properties["file"] == "docs/page, one:2.md"
        assert properties["title"] == f"{finding.code} ({finding.family.value})"
        assert message.startswith(finding.message)
        assert int(properties["line"]) == (1 if finding.is_document_level else finding.span.line)
        if not finding.is_document_level:
            assert int(properties["col"]) == finding.span.column
            assert int(properties["endLine"]) == finding.span.end_line
        if finding.suggestion:
            assert message.endswith(f"\nSuggestion: {finding.suggestion}")


def test_github_unreadable_file_is_an_error(make_result):
    kind, properties, message = _parse(render(make_result()).splitlines()[-1])
    assert (kind, properties["file"], message) == ("error", "docs/binary.md", "IN101 binary file")


def test_github_escaping_rules():
    assert escape_data("100%\r\nsure") == "100%25%0D%0Asure"
    assert escape_property("a,b:c%") == "a%2Cb%3Ac%25"
