"""The kustomize engine over files in memory: each expectation is kubectl kustomize v5.5.0's."""

from __future__ import annotations

from typing import Any

import pytest

from kubesim.kubectl.kustomize import build, render
from kubesim.kubectl.kustomize_files import MemoryFileSystem
from kubesim.kubectl.kustomize_resource import KustomizeError

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.14.2
"""


def built(files: dict[str, str], path: str = "/app") -> list[dict[str, Any]]:
    return build(path, MemoryFileSystem(files))


def test_generated_configmap_gets_kustomizes_hash_and_references_follow() -> None:
    objects = built(
        {
            "/app/kustomization.yaml": "namePrefix: x-\nresources: [d.yaml]\n"
            "configMapGenerator:\n- name: game\n  literals: [a=b]\n",
            "/app/d.yaml": DEPLOYMENT.replace(
                "        image: nginx:1.14.2\n",
                "        image: nginx:1.14.2\n        envFrom:\n        - configMapRef: {name: game}\n",
            ),
        }
    )
    assert [o["metadata"]["name"] for o in objects] == ["x-game-4h2mbtbbt6", "x-web"]
    container = objects[1]["spec"]["template"]["spec"]["containers"][0]
    assert container["envFrom"] == [{"configMapRef": {"name": "x-game-4h2mbtbbt6"}}]


def test_the_tutorials_secret_hash() -> None:
    objects = built(
        {
            "/app/kustomization.yaml": "secretGenerator:\n- name: mysql-pass\n  literals:\n"
            "  - password=YOUR_PASSWORD\n"
        }  # fmt: skip
    )
    assert render(objects) == (
        "apiVersion: v1\ndata:\n  password: WU9VUl9QQVNTV09SRA==\nkind: Secret\nmetadata:\n"
        "  name: mysql-pass-5m26tmdb5k\ntype: Opaque\n"
    )


def test_a_service_renamed_by_prefix_is_renamed_where_it_is_referred_to() -> None:
    files = {
        "/app/kustomization.yaml": "namePrefix: p-\nnamespace: shop\nresources: [s.yaml]\n",
        "/app/s.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\n---\n"
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n"
        "  serviceName: db\n",
    }
    service, statefulset = built(files)
    assert service["metadata"] == {"name": "p-db", "namespace": "shop"}
    assert statefulset["spec"]["serviceName"] == "p-db"


def test_overlay_merges_into_a_base_generator_and_keeps_its_name_prefix() -> None:
    files = {
        "/base/kustomization.yaml": "namePrefix: b-\n"
        "configMapGenerator:\n- name: cfg\n  literals: [A=1, B=2]\n",
        "/prod/kustomization.yaml": "resources: [../base]\n"
        "configMapGenerator:\n- name: cfg\n  behavior: merge\n  literals: [B=3]\n",
    }
    (configmap,) = built(files, "/prod")
    assert configmap["data"] == {"A": "1", "B": "3"}
    assert configmap["metadata"] == {"name": "b-cfg-2cfbcb2mhm"}


def test_output_follows_the_legacy_kind_order() -> None:
    objects = built(
        {
            "/app/kustomization.yaml": "resources: [all.yaml]\n",
            "/app/all.yaml": DEPLOYMENT + "---\napiVersion: v1\nkind: Service\nmetadata:\n"
            "  name: web\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n"
            "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n",
        }
    )
    assert [o["kind"] for o in objects] == ["Namespace", "Service", "Deployment", "Pod"]


def test_sort_options_fifo_keeps_input_order() -> None:
    objects = built(
        {
            "/app/kustomization.yaml": "sortOptions:\n  order: fifo\nresources: [a.yaml]\n",
            "/app/a.yaml": DEPLOYMENT + "---\napiVersion: v1\nkind: Service\nmetadata:\n"
            "  name: web\n",
        }
    )
    assert [o["kind"] for o in objects] == ["Deployment", "Service"]


def test_images_replicas_and_common_annotations() -> None:
    (deployment,) = built(
        {
            "/app/kustomization.yaml": "resources: [d.yaml]\nimages:\n- name: nginx\n"
            "  newName: registry.local/nginx\n  newTag: 1.16.1\nreplicas:\n- name: web\n"
            "  count: 3\ncommonAnnotations:\n  team: blue\n",
            "/app/d.yaml": DEPLOYMENT,
        }
    )
    assert deployment["spec"]["replicas"] == 3
    template = deployment["spec"]["template"]
    assert template["spec"]["containers"][0]["image"] == "registry.local/nginx:1.16.1"
    assert template["metadata"]["annotations"] == {"team": "blue"}
    assert deployment["metadata"]["annotations"] == {"team": "blue"}


def test_labels_reach_selectors_only_when_asked() -> None:
    files = {
        "/app/kustomization.yaml": "resources: [d.yaml]\nlabels:\n- pairs: {env: dev}\n"
        "- pairs: {tier: web}\n  includeSelectors: true\n",
        "/app/d.yaml": DEPLOYMENT,
    }
    (deployment,) = built(files)
    assert deployment["metadata"]["labels"] == {"env": "dev", "tier": "web"}
    assert deployment["spec"]["selector"]["matchLabels"] == {"app": "web", "tier": "web"}
    assert deployment["spec"]["template"]["metadata"]["labels"] == {"app": "web", "tier": "web"}


def test_build_annotations_never_reach_the_output() -> None:
    (deployment,) = built(
        {
            "/app/kustomization.yaml": "namePrefix: a-\nnameSuffix: -z\nresources: [d.yaml]\n",
            "/app/d.yaml": DEPLOYMENT,
        }
    )
    assert deployment["metadata"] == {"name": "a-web-z"}


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"/app/kustomization.yaml": "resources: [.]\n"},
            "accumulating resources: accumulation err='accumulating resources from '.': "
            "'/app' must resolve to a file': cycle detected: candidate root '/app' contains "
            "visited root '/app'",
        ),
        (
            {"/app/kustomization.yaml": "resources: [x.yaml]\n", "/app/x.yaml": "a: b\n"},
            "accumulating resources: accumulation err='accumulating resources from 'x.yaml': "
            "missing Resource metadata': must build at directory: '/app/x.yaml': file is not "
            "directory",
        ),
        ({"/app/kustomization.yaml": ""}, "kustomization.yaml is empty"),
        (
            {"/app/kustomization.yaml": "kind: Foo\nresources: [a.yaml]\n"},
            "Failed to read kustomization file under /app:\nkind should be Kustomization or "
            "Component",
        ),
        (
            {"/app/kustomization.yaml": "namePrefix: yes\n"},
            "invalid Kustomization: json: cannot unmarshal bool into Go struct field "
            "Kustomization.namePrefix of type string",
        ),
        (
            {"/app/kustomization.yaml": "configMapGenerator:\n- name: x\n  literals: a=b\n"},
            "invalid Kustomization: json: cannot unmarshal string into Go struct field "
            "ConfigMapArgs.configMapGenerator.literals of type []string",
        ),
        (
            {"/app/kustomization.yaml": "resources: [/abs]\n"},
            "accumulating resources: accumulation err='accumulating resources from '/abs': "
            "evalsymlink failure on '/abs' : lstat /abs: no such file or directory': new root "
            "'/abs' cannot be absolute",
        ),
    ],
)
def test_kustomizes_errors(files: dict[str, str], message: str) -> None:
    with pytest.raises(KustomizeError) as caught:
        built(files)
    assert str(caught.value) == message


def test_a_file_outside_the_root_is_refused_unless_restrictions_are_lifted() -> None:
    files = {
        "/app/kustomization.yaml": "configMapGenerator:\n- name: c\n  files: [../shared.txt]\n",
        "/shared.txt": "x",
    }
    with pytest.raises(KustomizeError) as caught:
        built(files)
    assert str(caught.value) == (
        "loading KV pairs: file sources: [../shared.txt]: security; file '/shared.txt' is not "
        "in or below '/app'"
    )
    fs = MemoryFileSystem(files)
    (configmap,) = build("/app", fs, load_restrictor="LoadRestrictionsNone")
    assert configmap["data"] == {"shared.txt": "x"}


def test_deprecated_fields_are_warned_about() -> None:
    warnings: list[str] = []
    build(
        "/app",
        MemoryFileSystem({"/app/kustomization.yaml": "commonLabels: {a: b}\nbases: []\n"}),
        warn=warnings.append,
    )
    assert warnings == [
        "# Warning: 'bases' is deprecated. Please use 'resources' instead. Run 'kustomize edit "
        "fix' to update your Kustomization automatically.",
        "# Warning: 'commonLabels' is deprecated. Please use 'labels' instead. Run 'kustomize "
        "edit fix' to update your Kustomization automatically.",
    ]


def test_unsupported_fields_are_refused_by_name() -> None:
    with pytest.raises(KustomizeError) as caught:
        built({"/app/kustomization.yaml": "components: [c]\n"})
    assert str(caught.value).startswith(
        "kubesim does not simulate the kustomization field 'components' (in /app)"
    )
