"""kubesim label and kubesim annotate."""

from __future__ import annotations

from tests.conftest import Kubesim


def test_label_add_then_remove(article: Kubesim) -> None:
    result = article("label pod web-0 tier=web")
    assert (result.code, result.out, result.err) == (0, "pod/web-0 labeled\n", "")
    assert article("get pod web-0 -o jsonpath={.metadata.labels.tier}").out == "web"
    assert article("label pod web-0 tier-").out == "pod/web-0 unlabeled\n"
    assert article("get pod web-0 -o jsonpath={.metadata.labels.tier}").out == ""


def test_label_refuses_to_overwrite(article: Kubesim) -> None:
    result = article("label pod web-0 app=nginx")
    assert (result.code, result.err) == (
        1,
        "error: 'app' already has a value (nginx), and --overwrite is false\n",
    )


def test_label_overwrite(article: Kubesim) -> None:
    assert article("label pod web-0 app=web --overwrite").out == "pod/web-0 labeled\n"
    # with --overwrite, a removal is reported as "labeled" too (updateDataChangeMsg)
    assert article("label pod web-0 app- --overwrite").out == "pod/web-0 labeled\n"


def test_removing_a_missing_label(article: Kubesim) -> None:
    assert (
        article("label pod web-0 tier-").out == 'label "tier" not found.\npod/web-0 not labeled\n'
    )


def test_label_by_selector(article: Kubesim) -> None:
    assert article("label pods -l app=nginx env=prod").out == (
        "pod/web-0 labeled\npod/web-1 labeled\n"
    )


def test_label_list(article: Kubesim) -> None:
    article("label pod web-0 tier=web")
    lines = article("label pod web-0 --list").out.splitlines()
    assert "tier=web" in lines and "app=nginx" in lines
    many = article("label pods --all --list").out.splitlines()
    assert many[0] == "Listing labels for Pod./web-0:" and " app=nginx" in many


def test_label_argument_errors(article: Kubesim) -> None:
    assert article("label pod web-0").err == "error: at least one label update is required\n"
    assert article("label tier=web").err == (
        "error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n"
    )
    assert article("label pods tier=web").err == (
        "error: resource(s) were provided, but no name was specified\n"
    )
    assert article("label pod web-0 a=b a-").err == (
        "error: can not both modify and remove a label in the same command\n"
    )
    assert article("label pod web-0 a=b c").err == (
        "error: all resources must be specified before label changes: c\n"
    )
    assert (
        article("label pod web-9 a=b").err
        == 'Error from server (NotFound): pods "web-9" not found\n'
    )


def test_label_value_is_checked_by_kubectl_and_key_by_the_server(article: Kubesim) -> None:
    assert article("label pod web-0 'a=b c'").err.startswith(
        'error: invalid label value: "a=b c": a valid label must be an empty string'
    )
    assert article("label pod web-0 'a b=c'").err.startswith(
        'The Pod "web-0" is invalid: metadata.labels: Invalid value: "a b": name part must'
    )


def test_annotate(article: Kubesim) -> None:
    assert article("annotate sts web note=hello").out == "statefulset.apps/web annotated\n"
    assert article("annotate sts web note=hello").out == "statefulset.apps/web annotated\n"
    result = article("annotate sts web note=bye")
    assert result.err == (
        "error: --overwrite is false but found the following declared annotation(s): "
        "'note' already has a value (hello)\n"
    )
    assert (
        article("annotate sts web note=bye --overwrite").out == "statefulset.apps/web annotated\n"
    )
    assert article("get sts web -o jsonpath={.metadata.annotations.note}").out == "bye"
    assert article("annotate sts web note-").out == "statefulset.apps/web annotated\n"
    assert article("annotate sts web").err == "error: at least one annotation update is required\n"


def test_label_does_not_change_the_generation(article: Kubesim) -> None:
    article("label sts web tier=web")
    assert article("get sts web -o jsonpath={.metadata.generation}").out == "1"


def test_output_formats(article: Kubesim) -> None:
    assert article("label pod web-0 tier=web -o name").out == "pod/web-0\n"
    yaml = article("annotate pod web-0 note=x -o yaml").out
    assert yaml.startswith("apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    note: x\n")
