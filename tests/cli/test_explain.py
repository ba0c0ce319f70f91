"""kubesim explain: kubectl v1.32's layouts, with the descriptions of the kubernetes client."""

from __future__ import annotations

import pytest

from kubesim.api.kinds import KINDS
from tests.conftest import Kubesim


def test_a_field_of_a_kind_in_kubectls_layout(kubesim: Kubesim) -> None:
    result = kubesim("explain pod.spec.containers")
    assert (result.code, result.err) == (0, "")
    assert result.out.startswith(
        "KIND:       Pod\n"
        "VERSION:    v1\n"
        "\n"
        "FIELD: containers <[]Container>\n"
        "\n"
        "\n"
        "DESCRIPTION:\n"
        "    List of containers belonging to the pod. Containers cannot currently be\n"
        "    added or removed. There must be at least one container in a Pod. Cannot be\n"
        "    updated.\n"
        "    \n"
        "FIELDS:\n"
        "  args\t<[]string>\n"
        "    Arguments to the entrypoint. The container image's CMD is used if this is\n"
        "    not provided. Variable references $(VAR_NAME) are expanded using the\n"
    )
    lines = result.out.splitlines()
    # fields in order, each with its type; required ones marked
    fields = [line.strip() for line in lines if line.startswith("  ") and "\t" in line]
    assert fields[:6] == [
        "args\t<[]string>",
        "command\t<[]string>",
        "env\t<[]EnvVar>",
        "envFrom\t<[]EnvFromSource>",
        "image\t<string>",
        "imagePullPolicy\t<string>",
    ]
    assert "name\t<string> -required-" in fields
    assert "resources\t<ResourceRequirements>" in fields
    assert result.out.endswith("\n\n\n")


def test_a_scalar_field(kubesim: Kubesim) -> None:
    assert kubesim("explain deploy.spec.replicas").out == (
        "GROUP:      apps\n"
        "KIND:       Deployment\n"
        "VERSION:    v1\n"
        "\n"
        "FIELD: replicas <integer>\n"
        "\n"
        "\n"
        "DESCRIPTION:\n"
        "    Number of desired pods. This is a pointer to distinguish between explicit\n"
        "    zero and not specified. Defaults to 1.\n"
        "    \n"
        "\n"
    )


def test_types_kubectl_names_after_their_definitions(kubesim: Kubesim) -> None:
    assert (
        "FIELD: limits <map[string]Quantity>\n"
        in kubesim("explain pods.spec.containers.resources.limits").out
    )
    assert "FIELD: targetPort <IntOrString>\n" in kubesim("explain svc.spec.ports.targetPort").out
    assert (
        "FIELD: creationTimestamp <string>\n"
        in kubesim("explain pod.metadata.creationTimestamp").out
    )
    assert "  data\t<RawExtension>\n" in kubesim("explain controllerrevisions").out
    # the group in the argument, as kubectl's matching prefix reads it
    assert "FIELD: type <string>\n" in kubesim("explain deployments.apps.spec.strategy.type").out


def test_recursive(kubesim: Kubesim) -> None:
    result = kubesim("explain pod.spec.containers.resources --recursive")
    assert result.out == (
        "KIND:       Pod\n"
        "VERSION:    v1\n"
        "\n"
        "FIELD: resources <ResourceRequirements>\n"
        "\n"
        "\n"
        "DESCRIPTION:\n"
        "    <empty>\n"
        "FIELDS:\n"
        "  claims\t<[]ResourceClaim>\n"
        "    name\t<string> -required-\n"
        "    request\t<string>\n"
        "  limits\t<map[string]Quantity>\n"
        "  requests\t<map[string]Quantity>\n"
        "\n"
    )


def test_openapiv2_layout(kubesim: Kubesim) -> None:
    result = kubesim("explain pod.spec.containers.resources --output=plaintext-openapiv2")
    assert result.out == (
        "KIND:     Pod\n"
        "VERSION:  v1\n"
        "\n"
        "RESOURCE: resources <Object>\n"
        "\n"
        "DESCRIPTION:\n"
        "     <empty>\n"
        "\n"
        "FIELDS:\n"
        "   claims\t<[]Object>\n"
        "     Claims lists the names of resources, defined in spec.resourceClaims, that\n"
        "     are used by this container. This is an alpha field and requires enabling\n"
        "     the DynamicResourceAllocation feature gate. This field is immutable. It can\n"
        "     only be set for containers.\n"
        "\n"
        "   limits\t<map[string]string>\n"
        "     Limits describes the maximum amount of compute resources allowed. More\n"
        "     info:\n"
        "     https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/\n"
        "\n"
        "   requests\t<map[string]string>\n"
        "     Requests describes the minimum amount of compute resources required. If\n"
        "     Requests is omitted for a container, it defaults to Limits if that is\n"
        "     explicitly specified, otherwise to an implementation-defined value.\n"
        "     Requests cannot exceed Limits. More info:\n"
        "     https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/\n"
        "\n"
    )
    result = kubesim("explain deploy.spec.replicas -o plaintext-openapiv2")
    assert result.out == (
        "KIND:     Deployment\n"
        "VERSION:  apps/v1\n"
        "\n"
        "FIELD:    replicas <integer>\n"
        "\n"
        "DESCRIPTION:\n"
        "     Number of desired pods. This is a pointer to distinguish between explicit\n"
        "     zero and not specified. Defaults to 1.\n"
    )
    assert (
        "   containers\t<[]Object>\n"
        in kubesim("explain pod.spec -o plaintext-openapiv2 --recursive").out
    )


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ("explain pod.spec.foo", 'error: field "foo" does not exist\n'),
        ("explain pod.spec.foo.bar", 'error: field "bar" does not exist\n'),
        ("explain pod.spec.foo.bar -o plaintext-openapiv2", 'error: field "foo" does not exist\n'),
        ("explain widgets", 'error: the server doesn\'t have a resource type "widgets"\n'),
        (
            "explain pods --api-version=apps/v1",
            "error: GVR (apps/v1, Resource=pods) not found in OpenAPI schema\n",
        ),
        (
            "explain pods --api-version=batch/v9",
            'error: couldn\'t find resource for "batch/v9, Resource=pods"\n',
        ),
        ("explain pods --api-version=a/b/c", "error: unexpected GroupVersion string: a/b/c\n"),
        ("explain pods -o html", "error: unrecognized format: html\n"),
        ("explain pods svc", "error: We accept only this format: explain RESOURCE\n"),
        (
            "explain",
            'error: You must specify the type of resource to explain. Use "kubesim api-resources" '
            "for a complete list of supported resources.\n",
        ),
    ],
)
def test_errors_as_kubectl_words_them(kubesim: Kubesim, line: str, error: str) -> None:
    result = kubesim(line)
    assert (result.code, result.out, result.err) == (1, "", error)


def test_api_version_of_the_kind_itself(kubesim: Kubesim) -> None:
    assert (
        kubesim("explain deployments --api-version=apps/v1").out
        == kubesim("explain deployments").out
    )


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.resource)
def test_every_kind_kubesim_serves_is_explainable(kubesim: Kubesim, kind: object) -> None:
    from kubesim.api.kinds import Kind

    assert isinstance(kind, Kind)
    for flags in (
        "",
        " --recursive",
        " -o plaintext-openapiv2",
        " -o plaintext-openapiv2 --recursive",
    ):
        result = kubesim(f"explain {kind.resource}{flags}")
        assert (result.code, result.err) == (0, ""), flags
        assert f"KIND:{' ' * (7 if 'v2' not in flags else 5)}{kind.kind}\n" in result.out
    assert "  apiVersion\t<string>\n" in kubesim(f"explain {kind.resource}").out
