"""kubesim apply: create, configure, leave unchanged, as client-side apply does."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import SAMPLES, Kubesim

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def manifest(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "web.yaml"
    path.write_text(text)
    return path


def test_apply_creates_then_reports_unchanged(kubesim: Kubesim) -> None:
    first = kubesim(f"apply -f {SAMPLES / 'svc.yaml'} -f {SAMPLES / 'statefulset.yaml'}")
    assert (first.code, first.out, first.err) == (
        0,
        "service/nginx created\nstatefulset.apps/web created\n",
        "",
    )
    kubesim("tick 12")
    again = kubesim(f"apply -f {SAMPLES / 'svc.yaml'} -f {SAMPLES / 'statefulset.yaml'}")
    assert again.out == "service/nginx unchanged\nstatefulset.apps/web unchanged\n"


def test_apply_records_the_manifest_as_kubectl_does(kubesim: Kubesim) -> None:
    kubesim(f"apply -f {SAMPLES / 'svc.yaml'}")
    stored = json.loads(kubesim("get svc nginx -o json").out)
    assert stored["metadata"]["annotations"][LAST_APPLIED] == (
        '{"apiVersion":"v1","kind":"Service","metadata":{"annotations":{},"labels":{"app":"nginx"},'
        '"name":"nginx","namespace":"default"},"spec":{"clusterIP":"None","ports":[{"name":"web",'
        '"port":80}],"selector":{"app":"nginx"}}}\n'
    )


def test_apply_configures_a_change_and_removes_a_dropped_field(
    kubesim: Kubesim, tmp_path: Path
) -> None:
    text = (SAMPLES / "statefulset.yaml").read_text()
    with_partition = text.replace(
        "  replicas: 2\n",
        "  replicas: 2\n  updateStrategy:\n    rollingUpdate:\n      partition: 1\n",
    )
    kubesim(f"apply -f {manifest(tmp_path, with_partition)}")
    partition = "{.spec.updateStrategy.rollingUpdate.partition}"
    assert kubesim(f"get sts web -o jsonpath={partition}").out == "1"
    result = kubesim(f"apply -f {manifest(tmp_path, text.replace('replicas: 2', 'replicas: 3'))}")
    assert (result.code, result.out) == (0, "statefulset.apps/web configured\n")
    # the partition left the manifest: it is deleted, and defaulted again to 0
    assert kubesim(f"get sts web -o jsonpath={partition}").out == "0"
    assert kubesim("get sts web -o jsonpath={.spec.replicas}").out == "3"
    stored = json.loads(kubesim("get sts web -o json").out)
    last = json.loads(stored["metadata"]["annotations"][LAST_APPLIED])
    assert "updateStrategy" not in last["spec"] and last["spec"]["replicas"] == 3


def test_apply_keeps_fields_set_by_others(kubesim: Kubesim) -> None:
    kubesim(f"apply -f {SAMPLES / 'statefulset.yaml'}")
    kubesim("label sts web team=blue")
    assert kubesim(f"apply -f {SAMPLES / 'statefulset.yaml'}").out == (
        "statefulset.apps/web unchanged\n"
    )
    assert kubesim("get sts web -o jsonpath={.metadata.labels.team}").out == "blue"


def test_apply_over_a_created_object_warns_and_adds_the_annotation(kubesim: Kubesim) -> None:
    kubesim(f"create -f {SAMPLES / 'statefulset.yaml'}")
    result = kubesim(f"apply -f {SAMPLES / 'statefulset.yaml'}")
    assert result.out == "statefulset.apps/web configured\n"
    assert result.err == (
        "Warning: resource statefulsets/web is missing the "
        "kubectl.kubernetes.io/last-applied-configuration annotation which is required by "
        "kubectl apply. kubectl apply should only be used on resources created declaratively by "
        "either kubectl create --save-config or kubectl apply. The missing annotation will be "
        "patched automatically.\n"
    )
    assert kubesim(f"apply -f {SAMPLES / 'statefulset.yaml'}").err == ""


def test_apply_of_an_immutable_change_is_invalid(kubesim: Kubesim, tmp_path: Path) -> None:
    kubesim(f"apply -f {SAMPLES / 'statefulset.yaml'}")
    text = (SAMPLES / "statefulset.yaml").read_text().replace('"nginx"', '"other"')
    result = kubesim(f"apply -f {manifest(tmp_path, text)}")
    assert (result.code, result.out) == (1, "")
    assert result.err.startswith('The StatefulSet "web" is invalid: spec: Forbidden: updates to ')


def test_apply_from_stdin_and_dry_run(kubesim: Kubesim) -> None:
    text = (SAMPLES / "svc.yaml").read_text()
    assert kubesim("apply -f - --dry-run=client", stdin=text).out == (
        "service/nginx created (dry run)\n"
    )
    assert kubesim("get svc nginx").code == 1
    assert kubesim("apply -f - -o name", stdin=text).out == "service/nginx\n"


def test_apply_needs_a_file(kubesim: Kubesim) -> None:
    assert kubesim("apply").err == "error: must specify one of -f and -k\n"
    assert kubesim("apply -f nope.yaml").err == 'error: the path "nope.yaml" does not exist\n'


def test_apply_of_an_invalid_new_object_names_the_file(kubesim: Kubesim, tmp_path: Path) -> None:
    bad = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  clusterIP: None\n  ports:\n  - port: 80\n"
    path = manifest(tmp_path, bad)
    kubesim(f"apply -f {path}")
    result = kubesim(f"create -f {path}")
    assert result.err == (
        f'Error from server (AlreadyExists): error when creating "{path}": services "web" already exists\n'
    )


def test_the_website_s_example_urls_resolve_to_the_shipped_copies(kubesim: Kubesim) -> None:
    result = kubesim("apply -f https://k8s.io/examples/application/web/web.yaml")
    assert (result.code, result.out) == (0, "service/nginx created\nstatefulset.apps/web created\n")
    image = kubesim("get sts web -o jsonpath={.spec.template.spec.containers[0].image}").out
    assert image == "registry.k8s.io/nginx-slim:0.21"
    other = kubesim("apply -f https://example.com/app.yaml")
    assert other.code == 1
    assert other.err.startswith(
        "The connection to the server example.com was refused - did you specify the right host "
        "or port?\nkubesim has no offline copy of https://example.com/app.yaml (it keeps "
        "https://k8s.io/examples/application/web/web-parallel.yaml, "
    )
