"""Hostile or careless -f input: kubectl's error for every malformed manifest, the decoders' and
the apiserver's limits, special files, and several documents read past a bad one.

The expected texts were checked against kubectl v1.32 (client-side errors) and Kubernetes'
sources (the apiserver's). Each case runs in bounded time and memory.
"""

from __future__ import annotations

import os
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, Kubesim, cluster_state

STOP = "if you choose to ignore these errors, turn validation off with --validate=false"


@pytest.fixture
def cluster(kubesim: Kubesim, home: Path) -> Iterator[Kubesim]:
    """A fresh cluster; the test fails if a command changes its state file."""
    assert kubesim("get ns default -o name").code == 0
    before = cluster_state(home)
    yield kubesim
    assert cluster_state(home) == before


def refused(kubesim: Kubesim, command: str, stdin: str, err: str) -> None:
    result = kubesim(command, stdin=stdin)
    assert (result.code, result.out, result.err) == (1, "", err)


class Bounded:
    """The time and the most memory (Python's allocations) a block took."""

    def __enter__(self) -> Bounded:
        tracemalloc.start()
        self.started = time.monotonic()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.monotonic() - self.started
        self.mebibytes = tracemalloc.get_traced_memory()[1] / (1 << 20)
        tracemalloc.stop()


# --- malformed manifests --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("manifest", "err"),
    [
        (  # an empty spec: a zero ServiceSpec, refused by validation
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: s3\nspec:\n",
            'The Service "s3" is invalid: spec.ports: Required value\n',
        ),
        (  # empty metadata
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n",
            'The ConfigMap "" is invalid: metadata.name: Required value: name or generateName '
            "is required\n",
        ),
        (  # kubectl's builder decodes metadata before anything is sent
            "apiVersion: v1\nkind: Pod\nmetadata: [name, x]\n",
            'error: unable to decode "STDIN": json: cannot unmarshal array into Go struct field '
            "metadataOnlyObject.metadata of type v1.ObjectMeta\n",
        ),
        (
            "apiVersion: v1\nkind: Pod\nmetadata: true\n",
            'error: unable to decode "STDIN": json: cannot unmarshal bool into Go struct field '
            "metadataOnlyObject.metadata of type v1.ObjectMeta\n",
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [a]}\n",
            'error: unable to decode "STDIN": json: cannot unmarshal array into Go struct field '
            "ObjectMeta.metadata.name of type string\n",
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, annotations: {x: [1]}}\n",
            'error: unable to decode "STDIN": json: cannot unmarshal array into Go struct field '
            "ObjectMeta.metadata.annotations of type string\n",
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, creationTimestamp: soon}\n",
            'error: unable to decode "STDIN": parsing time "soon" as "2006-01-02T15:04:05Z07:00": '
            'cannot parse "soon" as "2006"\n',
        ),
        (  # the rest is the apiserver's
            "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: [x]\n",
            'Error from server (BadRequest): error when creating "STDIN": Pod in version "v1" '
            "cannot be handled as a Pod: json: cannot unmarshal array into Go struct field "
            "Pod.spec of type v1.PodSpec\n",
        ),
        (
            "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers: [null]\n",
            'The Pod "a" is invalid: \n* spec.containers[0].name: Required value\n'
            "* spec.containers[0].image"
            ": Required value\n",  # kept apart from image scans
        ),
        (
            "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  ports:\n"
            "  - {port: 80, targetPort: {a: 1}}\n",
            'Error from server (BadRequest): error when creating "STDIN": Service in version "v1" '
            "cannot be handled as a Service: json: cannot unmarshal object into Go struct field "
            "ServicePort.spec.ports.targetPort of type int32\n",
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nbinaryData: {x: '%%%'}\n",
            'Error from server (BadRequest): error when creating "STDIN": ConfigMap in version '
            '"v1" cannot be handled as a ConfigMap: illegal base64 data at input byte 0\n',
        ),
        (  # kubectl's client-side checks of apiVersion and kind
            "apiVersion: 5\nkind: ConfigMap\nmetadata: {name: a}\n",
            f'error: error validating "STDIN": error validating data: apiVersion isn\'t string '
            f"type; {STOP}\n",
        ),
        (
            "apiVersion: v1\nkind: 5\nmetadata: {name: a}\n",
            f'error: error validating "STDIN": error validating data: kind isn\'t string type; '
            f"{STOP}\n",
        ),
        (
            "apiVersion: a/b/c\nkind: ConfigMap\nmetadata: {name: a}\n",
            'error: error validating "STDIN": error validating data: unexpected GroupVersion '
            f"string: a/b/c; {STOP}\n",
        ),
        (
            "- a\n- b\n",
            f'error: error validating "STDIN": error validating data: invalid object to validate; '
            f"{STOP}\n",
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nitems: []\n",
            "error: no objects passed to create\n",  # anything with items is a list
        ),
        (  # YAML tags and keys, as go-yaml and sigs.k8s.io/yaml take them
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: !!int abc}\n",
            "error: error parsing STDIN: error converting YAML to JSON: yaml: cannot decode "
            "!!str `abc` as a !!int\n",
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {~: x}\n",
            "error: error parsing STDIN: error converting YAML to JSON: unsupported map key of "
            'type: %!s(<nil>), key: <nil>, value: "x"\n',
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {? [a, b] : x}\n",
            "error: error parsing STDIN: error converting YAML to JSON: yaml: invalid map key: "
            '[]interface {}{"a", "b"}\n',
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n--- x\n",
            "error: error parsing STDIN: invalid Yaml document separator: x\n",
        ),
    ],
)
def test_malformed_manifests(cluster: Kubesim, manifest: str, err: str) -> None:
    refused(cluster, "create -f -", manifest, err)


def test_an_unknown_kind_with_validation_off(cluster: Kubesim) -> None:
    refused(
        cluster,
        "create --validate=false -f -",
        "apiVersion: v1\nkind: ''\nmetadata: {name: a}\n",
        "error: unable to decode \"STDIN\": Object 'Kind' is missing in "
        '\'{"apiVersion":"v1","kind":"","metadata":{"name":"a"}}\'\n',
    )


def test_binary_data_through_apply(kubesim: Kubesim) -> None:
    manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: !!binary aGk=}\n"
    assert kubesim("apply -f -", stdin=manifest).out == "configmap/a created\n"
    assert kubesim("apply -f -", stdin=manifest).out == "configmap/a unchanged\n"
    assert kubesim("get cm a -o jsonpath={.data.x}").out == "hi"


def test_apply_without_a_name(cluster: Kubesim) -> None:
    refused(
        cluster,
        "apply -f -",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n",
        "error: error when retrieving current configuration of:\n"
        'Resource: "/v1, Resource=configmaps", GroupVersionKind: "/v1, Kind=ConfigMap"\n'
        'Name: "", Namespace: "default"\n'
        'from server for: "STDIN": resource name may not be empty\n',
    )


def test_no_api_version_maps_to_the_preferred_one(kubesim: Kubesim) -> None:
    manifest = "kind: ConfigMap\nmetadata: {name: a}\n"
    assert kubesim("create --validate=false -f -", stdin=manifest).out == "configmap/a created\n"
    assert kubesim("get cm a -o jsonpath={.apiVersion}").out == "v1"


def nested(depth: int) -> str:
    return "{a: " * depth + "1" + "}" * depth


def test_deep_nesting(kubesim: Kubesim) -> None:
    manifest = f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: deep}}\nx: {nested(600)}\n"
    result = kubesim("create -f -", stdin=manifest)
    assert (result.code, result.err) == (
        1,
        'Error from server (BadRequest): error when creating "STDIN": ConfigMap in version "v1" '
        'cannot be handled as a ConfigMap: strict decoding error: unknown field "x"\n',
    )
    assert kubesim("apply --validate=ignore -f -", stdin=manifest).out == "configmap/deep created\n"
    # the dropped field is in the manifest and not in the live object: patched every time
    assert kubesim("apply --validate=ignore -f -", stdin=manifest).out == (
        "configmap/deep configured\n"
    )
    deeper = manifest.replace(nested(600), nested(2000))
    assert kubesim("apply --validate=ignore -f -", stdin=deeper).out == (
        "configmap/deep configured\n"
    )
    printed = kubesim("create --dry-run=client -o yaml -f -", stdin=deeper).out
    assert sum(line.strip().startswith("a:") for line in printed.splitlines()) == 2000


def test_nesting_past_the_decoders_limit(cluster: Kubesim) -> None:
    depth = 10001
    refused(
        cluster,
        "create -f -",
        f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: a}}\nx: {'[' * depth}{']' * depth}\n",
        "error: error parsing STDIN: error converting YAML to JSON: yaml: line 4: exceeded max "
        "depth of 10000\n",
    )
    prefix = '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}, "x": '
    refused(
        cluster,
        "create -f -",
        prefix + "[" * depth + "]" * depth + "}",
        "error: error parsing STDIN: json: offset 10074: invalid character '[' exceeded max "
        "depth\n",
    )


# --- YAML aliases ----------------------------------------------------------------------------


def laughs(levels: int, indent: str = "    ") -> str:
    text = f'{indent}a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i in range(1, levels):
        text += f"{indent}a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]\n"
    return text


ALIASING = (
    "error: error parsing STDIN: error converting YAML to JSON: yaml: document contains "
    "excessive aliasing\n"
)


def test_a_billion_laughs_fails_fast(cluster: Kubesim) -> None:
    manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n" + laughs(10)
    with Bounded() as spent:
        refused(cluster, "apply --validate=ignore -f -", manifest, ALIASING)
    assert spent.seconds < 5
    assert spent.mebibytes < 20


def test_aliases_under_managed_fields(cluster: Kubesim) -> None:
    fields = "x:\n" + laughs(10, "  ")
    manifest = (
        "apiVersion: v1\nkind: ConfigMap\n" + fields + "metadata:\n  name: mf\n  managedFields:\n"
        "  - {manager: m, operation: Update, fieldsType: FieldsV1, fieldsV1: {f:a: *a9}}\n"
    )
    with Bounded() as spent:
        refused(cluster, "create -f -", manifest, ALIASING)
    assert spent.seconds < 5
    assert spent.mebibytes < 20


# --- the apiserver's limits ------------------------------------------------------------------


def config_map(name: str, size: int) -> str:
    return (
        f'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  k: "{"a" * size}"\n'
    )


def test_config_map_data_limit(kubesim: Kubesim) -> None:
    assert kubesim("create -f -", stdin=config_map("fits", 1048576)).code == 0
    result = kubesim("create -f -", stdin=config_map("over", 1048577))
    assert (result.code, result.err) == (
        1,
        'The ConfigMap "over" is invalid: []: Too long: may not be more than 1048576 bytes\n',
    )


def test_annotations_limit(kubesim: Kubesim) -> None:
    # apply keeps the whole manifest in an annotation: the well-known refusal of a large one
    result = kubesim("apply -f -", stdin=config_map("big", 300_000))
    assert (result.code, result.err) == (
        1,
        'The ConfigMap "big" is invalid: metadata.annotations: Too long: may not be more than '
        "262144 bytes\n",
    )
    key_and_value = 262144 - len("a")
    manifest = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fits\n  annotations:\n"
        f'    a: "{"v" * key_and_value}"\n'
    )
    assert kubesim("create -f -", stdin=manifest).code == 0
    assert kubesim("create -f -", stdin=manifest.replace("fits", "over") + "    b: ''\n").code == 1


def test_request_body_limit(cluster: Kubesim) -> None:
    refused(
        cluster,
        "create -f -",
        config_map("huge", 3 * 1024 * 1024),
        'Error from server (RequestEntityTooLarge): error when creating "STDIN": Request entity '
        "too large: limit is 3145728\n",
    )


def test_etcd_request_limit(cluster: Kubesim) -> None:
    manifest = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: big}\nspec:\n  containers:\n"
        f'  - {{name: c, image: busybox, args: ["{"a" * 1_600_000}"]}}\n'
    )
    refused(
        cluster,
        "create -f -",
        manifest,
        'Error from server: error when creating "STDIN": etcdserver: request is too large\n',
    )


# --- what -f reads ---------------------------------------------------------------------------

SPECIAL = "cannot be read: it is {}; kubesim reads manifests from regular files, directories, stdin (-) and URLs"


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_devices_are_refused(cluster: Kubesim, device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    refused(
        cluster,
        f"create -f {device}",
        "",
        f'error: the path "{device}" {SPECIAL.format("a character device")}\n',
    )


def test_fifos_are_refused(cluster: Kubesim, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    refused(
        cluster,
        f"create -f {fifo}",
        "",
        f'error: the path "{fifo}" {SPECIAL.format("a named pipe (FIFO)")}\n',
    )
    (tmp_path / "a.yaml").write_text("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n")
    result = cluster(f"create --dry-run=client -f {tmp_path}")
    assert (result.code, result.out, result.err) == (
        1,
        "namespace/a created (dry run)\n",
        f'error: the path "{fifo}" {SPECIAL.format("a named pipe (FIFO)")}\n',
    )


def test_dev_null_is_empty(cluster: Kubesim) -> None:
    refused(cluster, "create -f /dev/null", "", "error: no objects passed to create\n")


def test_a_huge_file_of_comments_is_read_in_passing(kubesim: Kubesim, tmp_path: Path) -> None:
    manifest = tmp_path / "comments.yaml"
    with manifest.open("w") as out:
        line = "# " + "x" * 97 + "\n"
        for _ in range(200):
            out.write(line * 1000)  # 20 MB
        out.write("apiVersion: v1\nkind: Namespace\nmetadata: {name: after}\n")
    with Bounded() as spent:
        result = kubesim(f"create -f {manifest}")
    assert result.out == "namespace/after created\n"
    assert spent.seconds < 20
    assert spent.mebibytes < 10


def test_an_endless_document_is_cut_short(cluster: Kubesim, tmp_path: Path) -> None:
    endless = tmp_path / "endless.yaml"
    with endless.open("w") as out:
        for _ in range(40):
            out.write("a" * (1 << 20))
    with Bounded() as spent:
        refused(
            cluster,
            f"create -f {endless}",
            "",
            f"error: error parsing {endless}: the document at line 1 is larger than 32 MiB, "
            "more than kubesim parses (the apiserver refuses request bodies over 3 MiB)\n",
        )
    assert spent.seconds < 20
    assert spent.mebibytes < 48  # read in blocks, up to the bound and no further


def test_byte_order_marks(kubesim: Kubesim, tmp_path: Path) -> None:
    manifest = "apiVersion: v1\nkind: Namespace\nmetadata: {name: marked}\n"
    (tmp_path / "utf16.yaml").write_bytes(manifest.encode("utf-16"))
    assert kubesim(f"create --dry-run=client -f {tmp_path / 'utf16.yaml'}").code == 0
    (tmp_path / "utf8.yaml").write_bytes(b"\xef\xbb\xbf" + manifest.encode())
    assert kubesim(f"create -f {tmp_path / 'utf8.yaml'}").out == "namespace/marked created\n"


def test_a_glob(kubesim: Kubesim, tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.yaml").write_text(
            f"apiVersion: v1\nkind: Namespace\nmetadata: {{name: {name}}}\n"
        )
    result = kubesim(f"create --dry-run=client -f '{tmp_path}/*.yaml'")
    assert result.out == "namespace/a created (dry run)\nnamespace/b created (dry run)\n"
    result = kubesim(f"create -f '{tmp_path}/*.json'")
    assert result.err == f'error: the path "{tmp_path}/*.json" does not exist\n'


# --- several documents -----------------------------------------------------------------------

A_YAML = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: a1}
---
apiVersion: v1
kind: Widget
metadata: {name: w1}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: Bad}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: a2}
"""
B_YAML = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: b1}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: b2
---
apiVersion: v1
kind: ConfigMap
metadata: {name: b3}
"""
C_YAML = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: c1}
---
kind: ConfigMap
metadata: {name: c2}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c3}
"""
E_YAML = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: e1, namespace: kube-public}
---
apiVersion: v1
kind: ConfigMap
metadata: [x]
---
apiVersion: v1
kind: Gadget
metadata: {name: g1}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: e2}
"""
BAD_NAME = (
    'ConfigMap "Bad" is invalid: metadata.name: Invalid value: "Bad": a lowercase RFC 1123 '
    "subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start "
    "and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
READ_ERRORS = (
    '[resource mapping not found for name: "w1" namespace: "" from "d/a.yaml": no matches for '
    'kind "Widget" in version "v1"\nensure CRDs are installed first, error parsing d/b.yaml: '
    "error converting YAML to JSON: yaml: line 3: did not find expected ',' or '}', unable to "
    'decode "d/e.yaml": json: cannot unmarshal array into Go struct field metadataOnlyObject.'
    'metadata of type v1.ObjectMeta, resource mapping not found for name: "g1" namespace: "" '
    'from "d/e.yaml": no matches for kind "Gadget" in version "v1"\nensure CRDs are installed '
    "first]"
)
NAMESPACE = (
    'the namespace from the provided object "kube-public" does not match the namespace '
    "\"default\". You must pass '--namespace=kube-public' to perform this operation."
)


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    folder = tmp_path / "d"
    folder.mkdir()
    for name, text in (("a", A_YAML), ("b", B_YAML), ("c", C_YAML), ("e", E_YAML)):
        (folder / f"{name}.yaml").write_text(text)
    (folder / "notes.txt").write_text("not a manifest")
    return folder


CREATED = [f"configmap/{n} created" for n in ("a1", "a2", "b1", "c1", "c2", "c3", "e1", "e2")]


def test_a_directory_goes_on_past_its_bad_documents(kubesim: Kubesim, directory: Path) -> None:
    # as kubectl prints it: what each object's visit met first, then the readers' errors in
    # one aggregate, bracketed on a line of its own
    result = kubesim("create -f d --validate=false")
    assert result.out.splitlines() == CREATED
    assert result.err == (
        f'Error from server (Invalid): error when creating "d/a.yaml": {BAD_NAME}\n{READ_ERRORS}\n'
    )
    assert result.code == 1
    names = kubesim("get cm -A -o name").out.split()
    assert "configmap/b2" not in names and "configmap/b3" not in names


def test_a_schema_error_ends_its_file(kubesim: Kubesim, directory: Path) -> None:
    # without --validate=false a document missing its apiVersion ends c.yaml, as the Widget
    # ends nothing (it passes the schema check, which skips kinds it does not know)
    result = kubesim("create -f d/c.yaml -f d/b.yaml")
    assert result.out == "configmap/c1 created\nconfigmap/b1 created\n"
    assert result.err == (
        f'error validating "d/c.yaml": error validating data: apiVersion not set; {STOP}\n'
        "error parsing d/b.yaml: error converting YAML to JSON: yaml: line 3: did not find "
        "expected ',' or '}'\n"
    )


def test_namespace_refusals_come_first(kubesim: Kubesim, directory: Path) -> None:
    result = kubesim("create -f d --validate=false -n default")
    assert result.out.splitlines() == [line for line in CREATED if "e1" not in line]
    assert result.err == (
        f'Error from server (Invalid): error when creating "d/a.yaml": {BAD_NAME}\n'
        f"{NAMESPACE}\n{READ_ERRORS}\n"
    )


def test_apply_reads_everything_before_it_applies(kubesim: Kubesim, directory: Path) -> None:
    result = kubesim("apply -f d --validate=false -n default")
    assert result.out.splitlines() == [line for line in CREATED if "e1" not in line]
    # GetObjects' error first, as one line (Error() of nested aggregates), then apply's own
    assert result.err == (
        f"[{NAMESPACE}, {READ_ERRORS[1:-1]}]\n"
        f'Error from server (Invalid): error when creating "d/a.yaml": {BAD_NAME}\n'
    )
    assert result.code == 1


def test_a_single_error_is_printed_as_itself(cluster: Kubesim) -> None:
    refused(
        cluster,
        "apply -f -",
        "apiVersion: v1\nkind: Widget\nmetadata: {name: w}\n",
        'error: resource mapping not found for name: "w" namespace: "" from "STDIN": no matches '
        'for kind "Widget" in version "v1"\nensure CRDs are installed first\n',
    )


def test_list_items(kubesim: Kubesim) -> None:
    manifest = (
        "apiVersion: v1\nkind: List\nitems:\n"
        "- {apiVersion: v1, kind: ConfigMap, metadata: {name: l1}}\n"
        "- {kind: ConfigMap, metadata: {name: l2}}\n"
        "- {apiVersion: v1, kind: Widget, metadata: {name: l3}}\n"
    )
    result = kubesim("create --validate=false -f -", stdin=manifest)
    # a list's item errors are an aggregate of their own: printed bare, even when alone
    assert (result.code, result.out, result.err) == (
        1,
        "configmap/l1 created\n",
        'unable to get type info from the object "*unstructured.Unstructured": Object '
        "'apiVersion' is missing in 'object has no apiVersion field'\n"
        'unable to recognize no matches for kind "Widget" in version "v1"\n',
    )
    typed = "apiVersion: v1\nkind: ConfigMapList\nitems:\n- metadata: {name: l4}\n"
    assert kubesim("create -f -", stdin=typed).out == "configmap/l4 created\n"


def test_json_streams(kubesim: Kubesim) -> None:
    stream = (
        '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "j1"}}\n'
        '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "j2"}} x\n'
    )
    result = kubesim("create -f -", stdin=stream)
    assert (result.code, result.out, result.err) == (
        1,
        "configmap/j1 created\nconfigmap/j2 created\n",
        "error: error parsing STDIN: json: offset 141: invalid character 'x' looking for "
        "beginning of value\n",
    )


def test_a_patch_wraps_an_int32_as_the_converter_does(kubesim: Kubesim) -> None:
    # a create decodes JSON into the struct and refuses the number; apply's strategic merge
    # patch reaches the struct through the unstructured converter, whose Go conversion wraps
    manifest = (SAMPLES / "statefulset.yaml").read_text()
    assert kubesim("apply -f -", stdin=manifest).code == 0
    huge = manifest.replace("replicas: 2", "replicas: 1099511627778")  # 2**40 + 2
    assert kubesim("apply -f -", stdin=huge).out == "statefulset.apps/web configured\n"
    assert kubesim("get sts web -o jsonpath={.spec.replicas}").out == "2"
    result = kubesim("create -f -", stdin=huge.replace("name: web", "name: web2"))
    assert result.err == (
        'Error from server (BadRequest): error when creating "STDIN": StatefulSet in version "v1" '
        "cannot be handled as a StatefulSet: json: cannot unmarshal number 1099511627778 into Go "
        "struct field StatefulSetSpec.spec.replicas of type int32\n"
    )


def test_deep_patches(kubesim: Kubesim, tmp_path: Path) -> None:
    kubesim("create -f -", stdin="apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    deep = tmp_path / "deep.json"
    deep.write_text('{"data": {"a": "b"}, "x": ' + "[" * 3000 + "]" * 3000 + "}")
    result = kubesim(f"patch cm x --patch-file {deep}")
    assert (result.code, result.out, result.err) == (
        0,
        "configmap/x patched\n",
        'Warning: unknown field "x"\n',
    )
    too_deep = tmp_path / "too-deep.json"
    too_deep.write_text('{"x": ' + "[" * 10001 + "]" * 10001 + "}")
    result = kubesim(f"patch cm x --type merge --patch-file {too_deep}")
    assert (result.code, result.err) == (
        1,
        "Error from server (BadRequest): invalid character '[' exceeded max depth\n",
    )


def test_a_deep_edit(kubesim: Kubesim, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kubesim("create -f -", stdin="apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys\n"
        "path = sys.argv[1]\n"
        "text = open(path).read()\n"
        "deep = '[' * 3000 + ']' * 3000\n"
        "open(path, 'w').write(text.replace('kind: ConfigMap', 'kind: ConfigMap\\nx: ' + deep))\n"
    )
    monkeypatch.setenv("KUBE_EDITOR", f"python3 {editor}")
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    result = kubesim("edit cm x")
    assert result.code == 1
    assert "failed unexpectedly" not in result.err
    assert result.err.endswith("error: Edit cancelled, no valid changes were saved.\n")
