"""API defaulting that shapes what users read back."""

from __future__ import annotations

from kubesim.api.defaults import apply_defaults


def test_a_pod_container_with_limits_only_requests_its_limits() -> None:
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p"},
        "spec": {
            "containers": [
                {"name": "c", "image": "nginx", "resources": {"limits": {"memory": "200Mi"}}},
                {
                    "name": "d",
                    "image": "nginx",
                    "resources": {"limits": {"cpu": "1"}, "requests": {"cpu": "500m"}},
                },
            ]
        },
    }
    containers = apply_defaults(pod)["spec"]["containers"]
    assert containers[0]["resources"]["requests"] == {"memory": "200Mi"}
    assert containers[1]["resources"]["requests"] == {"cpu": "500m"}


def test_templates_keep_their_requests_as_given() -> None:
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "d"},
        "spec": {
            "selector": {"matchLabels": {"app": "d"}},
            "template": {
                "metadata": {"labels": {"app": "d"}},
                "spec": {
                    "containers": [
                        {"name": "c", "image": "nginx", "resources": {"limits": {"cpu": "1"}}}
                    ]
                },
            },
        },
    }
    template = apply_defaults(deployment)["spec"]["template"]
    assert "requests" not in template["spec"]["containers"][0]["resources"]
    assert template["metadata"]["creationTimestamp"] is None


def test_quantities_are_stored_in_canonical_form() -> None:
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p"},
        "spec": {
            "containers": [
                {
                    "name": "c",
                    "image": "nginx",
                    "resources": {
                        "requests": {"cpu": "0.1", "memory": 1073741824},
                        "limits": {"memory": "1024Mi", "cpu": "oops"},
                    },
                }
            ]
        },
    }
    resources = apply_defaults(pod)["spec"]["containers"][0]["resources"]
    assert resources == {
        "requests": {"cpu": "100m", "memory": "1073741824"},
        "limits": {"memory": "1Gi", "cpu": "oops"},  # left for decoding to refuse
    }
