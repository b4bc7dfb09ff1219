import json
from importlib import resources

import jsonschema
import pytest

from claimaudit.reporters import render


def test_json_report_validates_against_the_published_schema(make_result):
    schema_file = resources.files("claimaudit.reporters").joinpath("finding.schema.json")
    if not schema_file.is_file():
        pytest.skip("claimaudit/reporters/finding.schema.json is not published yet")
    schema = json.loads(schema_file.read_text("utf-8"))
    data = json.loads(render(make_result(), "json"))
    jsonschema.Draft202012Validator(schema).validate(data)
    assert data["summary"]["findings"] == 5
