"""The OpenAPI schemas read from the kubernetes client's models, as plain data."""

from __future__ import annotations

from kubesim.api import kinds, openapi

REF = "#/components/schemas/"


def test_a_kind_as_an_openapi_v3_component() -> None:
    doc = openapi.Document(kinds.resolve("statefulsets"))
    root = doc.schema(doc.root)
    assert doc.root == "io.k8s.api.apps.v1.StatefulSet"
    assert root is not None
    assert root["x-kubernetes-group-version-kind"] == [
        {"group": "apps", "kind": "StatefulSet", "version": "v1"}
    ]
    assert list(root["properties"]) == ["apiVersion", "kind", "metadata", "spec", "status"]
    assert root["properties"]["spec"] == {
        "allOf": [{"$ref": REF + "io.k8s.api.apps.v1.StatefulSetSpec"}]
    }
    assert root["properties"]["kind"]["type"] == "string"
    assert root["properties"]["kind"]["description"].startswith("Kind is a string value")


def test_fields_types_and_required() -> None:
    doc = openapi.Document(kinds.resolve("pods"))
    doc.schema(doc.root)
    spec = doc.resolve(REF + "io.k8s.api.core.v1.PodSpec")
    assert spec is not None and spec["required"] == ["containers"]
    container = doc.resolve(REF + "io.k8s.api.core.v1.Container")
    assert container is not None
    props = container["properties"]
    assert props["ports"]["type"] == "array"
    assert props["ports"]["items"] == {"$ref": REF + "io.k8s.api.core.v1.ContainerPort"}
    assert props["stdin"]["type"] == "boolean"
    assert props["terminationMessagePath"]["type"] == "string"
    resources = doc.resolve(REF + "io.k8s.api.core.v1.ResourceRequirements")
    assert resources is not None
    assert resources["properties"]["limits"]["additionalProperties"] == {
        "$ref": REF + "io.k8s.apimachinery.pkg.api.resource.Quantity"
    }
    doc.resolve(REF + "io.k8s.api.core.v1.Probe")
    probe = doc.resolve(REF + "io.k8s.api.core.v1.HTTPGetAction")
    assert probe is not None and probe["properties"]["port"] == {
        "allOf": [{"$ref": REF + "io.k8s.apimachinery.pkg.util.intstr.IntOrString"}],
        "description": probe["properties"]["port"]["description"],
    }
    assert doc.resolve(REF + "io.k8s.apimachinery.pkg.util.intstr.IntOrString") == {
        "format": "int-or-string",
        "oneOf": [{"type": "integer"}, {"type": "string"}],
    }


def test_descriptions_keep_the_quotes_of_the_docstrings() -> None:
    doc = openapi.Document(kinds.resolve("services"))
    doc.schema(doc.root)
    spec = doc.resolve(REF + "io.k8s.api.core.v1.ServiceSpec")
    assert spec is not None
    assert (
        '"ClusterIP" allocates a cluster-internal IP address'
        in spec["properties"]["type"]["description"]
    )
    assert "\\" not in spec["properties"]["type"]["description"]


def test_two_groups_sharing_a_kind_name() -> None:
    doc = openapi.Document(kinds.resolve("events"))
    root = doc.schema(doc.root)
    assert root is not None and "involvedObject" in root["properties"]
