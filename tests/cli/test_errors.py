"""Bad input: kubectl's error text, a non-zero exit, no traceback, and the cluster unchanged."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, Kubesim, cluster_state

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
    before = cluster_state(home)
    yield article
    assert cluster_state(home) == before


def test_missing_file(unchanged: Kubesim) -> None:
    result = unchanged("create -f nope.yaml")
    assert (result.code, result.out, result.err) == (
        1,
        "",
        'error: the path "nope.yaml" does not exist\n',
    )


# each as kubectl 1.32 reports it (go-yaml's words and line numbers)
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: b: c\n", "yaml: mapping values are not allowed in this context"),
        ("a:\n\tb: 1\n", "yaml: line 2: found character that cannot start any token"),
        ("[\n", "yaml: line 1: did not find expected node content"),
        (
            "kind: Pod\nmetadata:\n  name: x\n  labels: {a: 1\n",
            "yaml: line 4: did not find expected ',' or '}'",
        ),
        ("kind: Pod\nmetadata:\n  name: x\n - foo\n", "yaml: line 3: did not find expected key"),
    ],
)
def test_unparsable_yaml(unchanged: Kubesim, tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "bad.yaml").write_text(text)
    result = unchanged("create -f bad.yaml")
    assert (result.code, result.err) == (
        1,
        f"error: error parsing bad.yaml: error converting YAML to JSON: {message}\n",
    )


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ("[", 'unable to parse "[": yaml: line 1: did not find expected node content'),
        (
            "a: b: c",
            'unable to parse "a: b: c": yaml: mapping values are not allowed in this context',
        ),
    ],
)
def test_unparsable_patch(unchanged: Kubesim, patch: str, message: str) -> None:
    result = unchanged(f"patch sts web -p '{patch}'")
    assert (result.code, result.err) == (1, f"error: {message}\n")


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


@pytest.mark.parametrize("output", ["yaml", "json", "name", "jsonpath={.metadata.name}"])
def test_getting_one_missing_object_prints_no_empty_list(unchanged: Kubesim, output: str) -> None:
    result = unchanged(f"get pod web-9 -o {output}")
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
    assert result.err == "Error: unknown flag: --bogus\nSee 'kubesim get --help' for usage.\n"


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (
            "get pods -z",
            "Error: unknown shorthand flag: 'z' in -z\nSee 'kubesim get --help' for usage.\n",
        ),
        (
            "get pods -o",
            "Error: flag needs an argument: 'o' in -o\nSee 'kubesim get --help' for usage.\n",
        ),
        (
            "get pods --output",
            "Error: flag needs an argument: --output\nSee 'kubesim get --help' for usage.\n",
        ),
        (
            "logs web-0 --tail=x",
            'Error: invalid argument "x" for "--tail" flag: strconv.ParseInt: parsing "x": invalid syntax\n'
            "See 'kubesim logs --help' for usage.\n",
        ),
        (
            "get pods --show-labels=maybe",
            'Error: invalid argument "maybe" for "--show-labels" flag: strconv.ParseBool: parsing "maybe": '
            "invalid syntax\nSee 'kubesim get --help' for usage.\n",
        ),
        ("xyzzy", 'Error: unknown command "xyzzy" for "kubesim"\n'),
        ("gte pods", 'Error: unknown command "gte" for "kubesim"\n\nDid you mean this?\n\tget\n\n'),
        (
            "rollout foo",
            "error: unknown command \"foo\"\nSee 'kubesim rollout -h' for help and examples\n",
        ),
    ],
)
def test_flag_and_command_errors_read_as_kubectl_1_32_prints_them(
    unchanged: Kubesim, command: str, message: str
) -> None:
    result = unchanged(command)
    assert (result.code, result.out, result.err) == (1, "", message)


@pytest.mark.parametrize(
    ("command", "flag"),
    [("run box", "image"), ("create deployment box", "image"), ("scale sts web", "replicas")],
)
def test_a_missing_required_flag_is_reported_through_klog(
    unchanged: Kubesim, command: str, flag: str
) -> None:
    result = unchanged(command)
    klog = r'E\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ run\.go:72\] "command failed" '
    assert result.code == 1
    assert re.fullmatch(klog + rf'err="required flag\(s\) \\"{flag}\\" not set"\n', result.err)


def test_names_with_a_category_are_refused(unchanged: Kubesim) -> None:
    # `TYPE1,TYPE2 NAME` is each TYPE/NAME (normalizeMultipleResourcesArgs), but a category is
    # expanded only later, into several types for one name (visitByName)
    result = unchanged("get all web-0")
    assert (result.code, result.err) == (1, "error: you must specify only one resource\n")


def test_a_watch_of_several_types_is_refused(unchanged: Kubesim) -> None:
    result = unchanged("get pods,svc -w")
    assert (result.code, result.err) == (1, "error: you may only specify a single resource type\n")


def test_an_empty_manifest(unchanged: Kubesim, tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    for verb in ("create", "apply"):
        result = unchanged(f"{verb} -f {empty}")
        assert (result.code, result.err) == (1, f"error: no objects passed to {verb}\n")
    assert unchanged(f"delete -f {empty}").out == "No resources found\n"


def test_go_spellings_of_booleans(unchanged: Kubesim) -> None:
    assert "LABELS" in unchanged("get pods --show-labels=T").out
    assert "LABELS" not in unchanged("get pods --show-labels=0").out


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
    garbage = b"not a database " * 500
    (home / "cluster.db").write_bytes(garbage)
    result = kubesim("get pods")
    assert result.code == 1
    assert str(home / "cluster.db") in result.err and "kubesim reset" in result.err
    assert "Traceback" not in result.err
    assert (home / "cluster.db").read_bytes() == garbage
    assert kubesim("reset --yes").code == 0
    assert (home / "cluster.db.bak").read_bytes() == garbage
    assert kubesim("get svc kubernetes -o name").out == "service/kubernetes\n"


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        (
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec: 5\n",
            'Error from server (BadRequest): error when creating "STDIN": Pod in version "v1" cannot be '
            "handled as a Pod: json: cannot unmarshal number into Go struct field Pod.spec of type v1.PodSpec\n",
        ),
        (
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports: 80\n",
            'Error from server (BadRequest): error when creating "STDIN": Service in version "v1" cannot be '
            "handled as a Service: json: cannot unmarshal number into Go struct field ServiceSpec.spec.ports "
            "of type []v1.ServicePort\n",
        ),
        (  # kubectl's builder decodes metadata itself before sending anything
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    v: 1\n",
            'error: unable to decode "STDIN": json: cannot unmarshal number into Go struct field '
            "ObjectMeta.metadata.labels of type string\n",
        ),
        (
            "- a\n- b\n",
            'error: error validating "STDIN": error validating data: invalid object to validate; '
            "if you choose to ignore these errors, turn validation off with --validate=false\n",
        ),
    ],
)
def test_malformed_manifests(unchanged: Kubesim, manifest: str, message: str) -> None:
    result = unchanged("create -f -", stdin=manifest)
    assert (result.code, result.err) == (1, message)


def test_a_key_given_twice_keeps_the_last_value(kubesim: Kubesim) -> None:
    # go-yaml v2 decodes without its strict mode: the later value wins
    manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\ndata:\n  k: one\n  k: two\n"
    assert kubesim("create -f -", stdin=manifest).out == "configmap/b created\n"
    assert kubesim("get cm b -o jsonpath={.data.k}").out == "two"


def test_yaml_dates_stay_strings(kubesim: Kubesim) -> None:
    manifest = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dated\n  annotations:\n    when: 2024-01-01\n"
    assert kubesim("create -f -", stdin=manifest).out == "namespace/dated created\n"
    assert kubesim("get ns dated -o jsonpath={.metadata.annotations.when}").out == "2024-01-01"


def test_the_system_namespaces_cannot_be_deleted(unchanged: Kubesim) -> None:
    result = unchanged("delete namespace kube-system")
    assert (
        result.err
        == 'Error from server (Forbidden): namespaces "kube-system" is forbidden: this namespace may not be deleted\n'
    )


def test_kubesim_home_that_is_a_file(
    kubesim: Kubesim, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "afile").write_text("")
    monkeypatch.setenv("KUBESIM_HOME", str(tmp_path / "afile"))
    result = kubesim("get pods")
    assert result.code == 1
    assert (
        result.err
        == f"error: cannot use {tmp_path / 'afile'} for the cluster: not a directory. Set KUBESIM_HOME to a directory you can write to.\n"
    )


def test_state_file_with_the_wrong_structure(kubesim: Kubesim, home: Path) -> None:
    """A cluster.json of an earlier kubesim that is not a cluster document is not migrated."""
    home.mkdir(parents=True)
    (home / "cluster.json").write_text('{"objects": [], "resourceVersion": "x"}')
    result = kubesim("get pods")
    assert result.code == 1 and "Traceback" not in result.err
    assert result.err.startswith(
        f"error: the cluster state in {home / 'cluster.json'} cannot be read: not a kubesim cluster document"
    )
    assert not (home / "cluster.db").exists()
