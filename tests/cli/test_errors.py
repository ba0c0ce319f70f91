"""Bad input: kubectl's error text, a non-zero exit, no traceback, and the cluster unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, Kubesim

STS_NO_SELECTOR = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.9.1
"""


@pytest.fixture
def unchanged(article: Kubesim, home: Path) -> Iterator[Kubesim]:
    """The article's cluster; the test fails if the state file changes."""
    before = (home / "cluster.json").read_bytes()
    yield article
    assert (home / "cluster.json").read_bytes() == before


def test_missing_file(unchanged: Kubesim) -> None:
    result = unchanged("create -f nope.yaml")
    assert (result.code, result.out, result.err) == (
        1,
        "",
        'error: the path "nope.yaml" does not exist\n',
    )


def test_unparsable_yaml(unchanged: Kubesim, tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("kind: Service\nmetadata:\n  name: [oops\n")
    result = unchanged("create -f bad.yaml")
    assert result.code == 1
    assert result.err.startswith(
        "error: error parsing bad.yaml: error converting YAML to JSON: yaml: line "
    )


def test_document_without_kind(unchanged: Kubesim, tmp_path: Path) -> None:
    (tmp_path / "nokind.yaml").write_text("apiVersion: v1\nmetadata:\n  name: x\n")
    result = unchanged("create -f nokind.yaml")
    assert result.err == (
        'error: error validating "nokind.yaml": error validating data: kind not set; '
        "if you choose to ignore these errors, turn validation off with --validate=false\n"
    )


def test_unknown_kind(unchanged: Kubesim, tmp_path: Path) -> None:
    (tmp_path / "foo.yaml").write_text("apiVersion: v1\nkind: Foo\nmetadata:\n  name: x\n")
    result = unchanged("create -f foo.yaml")
    assert result.code == 1
    assert result.err == (
        'error: resource mapping not found for name: "x" namespace: "" from "foo.yaml": '
        'no matches for kind "Foo" in version "v1"\nensure CRDs are installed first\n'
    )


def test_unknown_resource_type(unchanged: Kubesim) -> None:
    result = unchanged("get foo")
    assert (result.code, result.err) == (
        1,
        'error: the server doesn\'t have a resource type "foo"\n',
    )


def test_missing_required_fields_lists_every_cause(unchanged: Kubesim) -> None:
    result = unchanged("create -f -", stdin=STS_NO_SELECTOR.replace("web", "db"))
    assert result.code == 1
    assert result.err == 'The StatefulSet "db" is invalid: spec.selector: Required value\n'


def test_selector_that_does_not_match_the_template(unchanged: Kubesim) -> None:
    manifest = (SAMPLES / "statefulset.yaml").read_text().replace("name: web", "name: db")
    manifest = manifest.replace("      app: nginx\n  template", "      app: other\n  template")
    result = unchanged("create -f -", stdin=manifest)
    assert result.err == (
        'The StatefulSet "db" is invalid: spec.template.metadata.labels: Invalid value: '
        'map[string]string{"app":"nginx"}: `selector` does not match template `labels`\n'
    )


def test_invalid_name(unchanged: Kubesim) -> None:
    manifest = (SAMPLES / "svc.yaml").read_text().replace("name: nginx", "name: Nginx")
    result = unchanged("create -f -", stdin=manifest)
    assert result.err == (
        'The Service "Nginx" is invalid: metadata.name: Invalid value: "Nginx": a DNS-1035 label must '
        "consist of lower case alphanumeric characters or '-', start with an alphabetic character, "
        "and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
        "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')\n"
    )


def test_creating_what_exists(unchanged: Kubesim) -> None:
    result = unchanged(f"create -f {SAMPLES / 'svc.yaml'}")
    assert result.code == 1
    assert result.err == (
        f'Error from server (AlreadyExists): error when creating "{SAMPLES / "svc.yaml"}": '
        'services "nginx" already exists\n'
    )


def test_getting_what_does_not_exist(unchanged: Kubesim) -> None:
    result = unchanged("get pods web-9")
    assert (result.code, result.out) == (1, "")
    assert result.err == 'Error from server (NotFound): pods "web-9" not found\n'


def test_getting_one_missing_among_several_prints_the_rest(unchanged: Kubesim) -> None:
    result = unchanged("get pods web-0 web-9 -o name")
    assert (result.code, result.out) == (1, "pod/web-0\n")
    assert result.err == 'Error from server (NotFound): pods "web-9" not found\n'


def test_deleting_what_does_not_exist(unchanged: Kubesim) -> None:
    result = unchanged("delete statefulset nope")
    assert result.err == 'Error from server (NotFound): statefulsets.apps "nope" not found\n'


def test_delete_without_a_name(unchanged: Kubesim) -> None:
    assert (
        unchanged("delete pods").err
        == "error: resource(s) were provided, but no name was specified\n"
    )


def test_bad_label_selector(unchanged: Kubesim) -> None:
    result = unchanged("get pods -l 'app in (a'")
    assert result.err == (
        'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label '
        'selector "app in (a", field selector "": unable to parse requirement: found \'\', '
        "expected: ',' or ')'\n"
    )


def test_unknown_flag(unchanged: Kubesim) -> None:
    result = unchanged("get pods --bogus")
    assert result.code == 1
    assert result.err == "error: unknown flag: --bogus\nSee 'kubesim get --help' for usage.\n"


def test_unknown_namespace_lists_nothing(unchanged: Kubesim) -> None:
    result = unchanged("get pods -n nosuch")
    assert (result.code, result.err) == (0, "No resources found in nosuch namespace.\n")


def test_creating_in_a_missing_namespace(unchanged: Kubesim) -> None:
    result = unchanged("create -n nosuch -f -", stdin=(SAMPLES / "svc.yaml").read_text())
    assert result.err == (
        'Error from server (NotFound): error when creating "STDIN": namespaces "nosuch" not found\n'
    )


def test_corrupt_state_file_is_reported_and_kept(kubesim: Kubesim, home: Path) -> None:
    kubesim("get pods")
    (home / "cluster.json").write_text('{"objects": {"pods": ')
    result = kubesim("get pods")
    assert result.code == 1
    assert str(home / "cluster.json") in result.err and "kubesim reset" in result.err
    assert "Traceback" not in result.err
    assert (home / "cluster.json").read_text() == '{"objects": {"pods": '
    assert kubesim("reset --yes").code == 0
    assert (home / "cluster.json.bak").read_text() == '{"objects": {"pods": '
    assert kubesim("get svc kubernetes -o name").out == "service/kubernetes\n"
