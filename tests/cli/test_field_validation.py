"""Unknown and mistyped fields, as the apiserver decodes them: --validate=strict (kubectl's
default) refuses them, warn warns, ignore drops them; patches report against the patch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, Kubesim, cluster_state

TYPO_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: typo
  colour: blue
spec:
  containers:
  - name: c
    image: busybox:1.28
    command: [sleep, "3600"]
    imagePullPolicyy: Always
  restartPolicy: Never
"""

CREATE_REFUSED = (
    'Error from server (BadRequest): error when creating "STDIN": Pod in version "v1" cannot be '
    'handled as a Pod: strict decoding error: unknown field "metadata.colour", unknown field '
    '"spec.containers[0].imagePullPolicyy"\n'
)


def state(home: Path) -> str:
    return cluster_state(home)


def test_strict_by_default_refuses_unknown_fields_and_leaves_the_cluster(
    kubesim: Kubesim, home: Path
) -> None:
    kubesim("get pods")
    before = state(home)
    result = kubesim("create -f -", stdin=TYPO_POD)
    assert (result.code, result.out, result.err) == (1, "", CREATE_REFUSED)
    assert kubesim("apply -f -", stdin=TYPO_POD).err == CREATE_REFUSED
    assert state(home) == before


def test_warn_creates_without_the_unknown_fields(kubesim: Kubesim) -> None:
    result = kubesim("create -f - --validate=warn", stdin=TYPO_POD)
    assert (result.code, result.out, result.err) == (
        0,
        "pod/typo created\n",
        'Warning: unknown field "metadata.colour"\n'
        'Warning: unknown field "spec.containers[0].imagePullPolicyy"\n',
    )
    stored = json.loads(kubesim("get pod typo -o json").out)
    assert "colour" not in stored["metadata"]
    assert "imagePullPolicyy" not in stored["spec"]["containers"][0]


@pytest.mark.parametrize("value", ["ignore", "false", "0"])
def test_ignore_drops_them_silently(kubesim: Kubesim, value: str) -> None:
    result = kubesim(f"apply -f - --validate={value}", stdin=TYPO_POD)
    assert (result.code, result.out, result.err) == (0, "pod/typo created\n", "")


def test_a_bad_validate_value_is_refused_before_anything_is_read(kubesim: Kubesim) -> None:
    result = kubesim("create -f nope.yaml --validate=maybe")
    assert (result.code, result.err) == (
        1,
        'error: invalid - validate option "maybe"; must be one of: strict (or true), warn, '
        "ignore (or false)\n",
    )


def test_a_number_where_a_string_belongs(kubesim: Kubesim) -> None:
    manifest = (SAMPLES / "deployment.yaml").read_text() + (
        "        env:\n        - name: PORT\n          value: 8080\n"
    )
    result = kubesim("create -f -", stdin=manifest)
    assert (result.code, result.err) == (
        1,
        'Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" '
        "cannot be handled as a Deployment: json: cannot unmarshal number into Go struct field "
        "EnvVar.spec.template.spec.containers.env.value of type string\n",
    )


def test_apply_of_an_unknown_field_over_a_live_object_is_an_invalid_patch(
    kubesim: Kubesim, home: Path
) -> None:
    kubesim(f"apply -f {SAMPLES / 'svc.yaml'}")
    before = state(home)
    changed = (SAMPLES / "svc.yaml").read_text().replace("spec:\n", "spec:\n  colour: blue\n")
    result = kubesim("apply -f -", stdin=changed)
    assert result.code == 1
    assert result.err.startswith('The request is invalid: patch: Invalid value: "map[metadata:')
    assert result.err.endswith(
        ' spec:map[colour:blue]]": strict decoding error: unknown field "spec.colour"\n'
    )
    assert state(home) == before

    warned = kubesim("apply -f - --validate=warn", stdin=changed)
    assert (warned.code, warned.out, warned.err) == (
        0,
        "service/nginx configured\n",  # the annotation records the manifest as given
        'Warning: unknown field "spec.colour"\n',
    )
    assert "colour" not in json.loads(kubesim("get svc nginx -o json").out)["spec"]


def test_patch_warns_as_the_apiserver_does_by_default(kubesim: Kubesim) -> None:
    kubesim(f"create -f {SAMPLES / 'svc.yaml'}")
    result = kubesim("""patch svc nginx -p '{"spec":{"colour":"blue"}}'""")
    assert (result.code, result.out, result.err) == (
        0,
        "service/nginx patched (no change)\n",
        'Warning: unknown field "spec.colour"\n',
    )


def test_patch_with_a_mistyped_value(kubesim: Kubesim, home: Path) -> None:
    kubesim(f"create -f {SAMPLES / 'statefulset.yaml'}")
    before = state(home)
    strategic = kubesim("""patch sts web -p '{"spec":{"replicas":"3"}}'""")
    assert (strategic.code, strategic.err) == (
        1,
        'The request is invalid: patch: Invalid value: "map[spec:map[replicas:3]]": '
        "unrecognized type: int32\n",
    )
    merge = kubesim("""patch sts web --type=merge -p '{"spec":{"replicas":"3"}}'""")
    assert merge.code == 1
    assert merge.err.startswith('The request is invalid: patch: Invalid value: "{\\"apiVersion\\"')
    assert merge.err.endswith(
        '": json: cannot unmarshal string into Go struct field StatefulSetSpec.spec.replicas '
        "of type int32\n"
    )
    assert state(home) == before


BAD_QUANTITY = """\
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: lots
"""


def test_a_malformed_quantity_is_refused_as_the_decoder_refuses_it(kubesim: Kubesim) -> None:
    result = kubesim("create -f -", stdin=BAD_QUANTITY)
    assert (result.code, result.err) == (
        1,
        'Error from server (BadRequest): error when creating "STDIN": PersistentVolumeClaim in '
        'version "v1" cannot be handled as a PersistentVolumeClaim: quantities must match the '
        "regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'\n",
    )


def test_reapplying_a_pod_with_an_equal_quantity_changes_nothing(kubesim: Kubesim) -> None:
    pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: q\nspec:\n  containers:\n  - name: c\n"
    pod += "    image: busybox:1.28\n    resources:\n      requests:\n        cpu: {cpu}\n"
    assert kubesim("apply -f -", stdin=pod.format(cpu='"0.1"')).out == "pod/q created\n"
    assert kubesim("get pod q -o jsonpath={.spec.containers[0].resources.requests.cpu}").out == (
        "100m"
    )
    again = kubesim("apply -f -", stdin=pod.format(cpu="100m"))
    assert (again.code, again.out) == (0, "pod/q configured\n")
