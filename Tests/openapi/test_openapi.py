"""Sources/Server/OpenAPI/openapi.yaml: a valid OpenAPI 3.1 document (openapi-spec-validator),
path items inline, every $ref resolving, the fixed layout the Swift route-walk test reads
(ServiceTests), and served as is at GET /openapi.yaml (LABSEARCH_URL: the server scripts/test.sh
starts)."""
import os
import pathlib
import re

import pytest
import requests
import yaml
from openapi_spec_validator import OpenAPIV31SpecValidator, validate

FILE = pathlib.Path(__file__).resolve().parents[2] / "Sources" / "Server" / "OpenAPI" / "openapi.yaml"
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.fixture(scope="module")
def raw():
    return FILE.read_bytes()


@pytest.fixture(scope="module")
def doc(raw):
    return yaml.safe_load(raw)


def test_is_a_valid_openapi_3_1_document(doc):
    assert doc["openapi"].startswith("3.1.")
    validate(doc, cls=OpenAPIV31SpecValidator)  # raises OpenAPISpecValidatorError with the path of the fault


def test_path_items_are_inline(doc):
    assert "pathItems" not in doc.get("components", {})
    for path, item in doc["paths"].items():
        assert "$ref" not in item, path
        assert METHODS & set(item), f"{path} has no operation"


def test_every_ref_resolves(doc):
    def resolve(ref):
        assert ref.startswith("#/"), ref
        node = doc
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            assert isinstance(node, dict) and part in node, f"unresolved $ref {ref}"
            node = node[part]

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                resolve(node["$ref"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(doc)


def test_layout_read_by_the_swift_route_test(raw, doc):
    """ServiceTests reads `paths:` line by line (a path at two spaces, its operations at four,
    `OpenAPIRoutes.operations`): the same reading must give what a YAML parser gives."""
    by_lines, in_paths, current = {}, False, None
    for line in raw.decode("utf-8").split("\n"):
        if line and line[0] != " ":
            in_paths, current = line == "paths:", None
            continue
        if not in_paths or not line.endswith(":"):
            continue
        if line.startswith("  /"):
            current = line[2:-1]
            by_lines.setdefault(current, set())
        elif re.match(r"^    [^ ]", line) and current and line[4:-1] in METHODS:
            by_lines[current].add(line[4:-1])
    by_yaml = {path: METHODS & set(item) for path, item in doc["paths"].items()}
    assert by_lines == by_yaml


def test_served_document_is_the_file(raw):
    url = os.environ.get("LABSEARCH_URL")
    if not url:
        pytest.skip("LABSEARCH_URL is not set (scripts/test.sh sets it)")
    r = requests.get(url.rstrip("/") + "/openapi.yaml", timeout=30)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/yaml")
    assert r.content == raw
