"""What an update may not change, as the apiserver refuses it, and the one pod change the
kubelet acts on: a new image restarts the container."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SAMPLES, Kubesim


@pytest.fixture
def unchanged(kubesim: Kubesim, home: Path) -> Kubesim:
    kubesim("create deployment web --image=nginx:1.25")
    kubesim("run box --image=nginx:1.25")
    kubesim("tick 5")
    return kubesim


def test_a_deployment_selector_cannot_change(unchanged: Kubesim) -> None:
    result = unchanged(
        "patch deployment web --type=merge -p "
        '\'{"spec":{"selector":{"matchLabels":{"app":"web2"}},'
        '"template":{"metadata":{"labels":{"app":"web2"}}}}}\''
    )
    assert (result.code, result.out, result.err) == (
        1,
        "",
        'The Deployment "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{'
        'MatchLabels:map[string]string{"app":"web2"}, '
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable\n",
    )
    assert unchanged("get rs -o name").out.count("\n") == 1


def test_applying_a_deployment_with_another_selector_is_refused(kubesim: Kubesim) -> None:
    url = "https://k8s.io/examples/controllers/nginx-deployment.yaml"
    assert kubesim(f"apply -f {url}").code == 0
    result = kubesim(f"apply -f {SAMPLES / 'deployment.yaml'}")
    assert result.code == 1
    assert result.err.startswith(
        'The Deployment "nginx-deployment" is invalid: spec.selector: Invalid value: '
        'v1.LabelSelector{MatchLabels:map[string]string{"app":"nginx"}, '
    )


POD_FORBIDDEN = (
    'The Pod "box" is invalid: spec: Forbidden: pod updates may not change fields other than '
    "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
    "`spec.tolerations` (only additions to existing tolerations),"
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously "
    "negative)\n"
)


@pytest.mark.parametrize(
    "patch",
    [
        '{"spec":{"restartPolicy":"Never"}}',
        '{"spec":{"containers":[{"name":"side","image":"busybox:1.28"}]}}',
        '{"spec":{"containers":[{"name":"box","ports":[{"containerPort":80}]}]}}',
    ],
)
def test_a_pod_spec_is_fixed_but_for_its_images(unchanged: Kubesim, patch: str) -> None:
    result = unchanged(f"patch pod box -p '{patch}'")
    assert (result.code, result.err) == (1, POD_FORBIDDEN)


def test_a_new_image_restarts_the_container_with_a_fresh_layer(unchanged: Kubesim) -> None:
    unchanged("exec box -- sh -c 'echo hi > /tmp/note'")
    assert unchanged("exec box -- cat /tmp/note").out == "hi\n"
    assert unchanged("set image pod/box box=nginx:1.26").out == "pod/box image updated\n"
    unchanged("tick 3")
    status = unchanged(
        "get pod box -o jsonpath={.status.containerStatuses[0].image}/"
        "{.status.containerStatuses[0].restartCount}/"
        "{.status.containerStatuses[0].lastState.terminated.reason}"
    )
    assert status.out == "docker.io/library/nginx:1.26/1/Completed"
    events = unchanged("get events --field-selector involvedObject.name=box").out
    assert "Killing     pod/box   Container box definition changed, will be restarted" in events
    assert 'Pulling     pod/box   Pulling image "nginx:1.26"' in events
    gone = unchanged("exec box -- cat /tmp/note")
    assert gone.err == (
        "cat: /tmp/note: No such file or directory\ncommand terminated with exit code 1\n"
    )


def test_an_allocated_cluster_ip_cannot_change(unchanged: Kubesim) -> None:
    result = unchanged("""patch svc kubernetes -p '{"spec":{"clusterIP":"10.96.0.99"}}'""")
    assert (result.code, result.err) == (
        1,
        'The Service "kubernetes" is invalid: spec.clusterIPs[0]: Invalid value: '
        '[]string{"10.96.0.99"}: may not change once set\n',
    )
    labelled = unchanged("label svc kubernetes team=core")
    assert labelled.out == "service/kubernetes labeled\n"
    assert unchanged("get svc kubernetes -o jsonpath={.spec.clusterIP}").out == "10.96.0.1"
