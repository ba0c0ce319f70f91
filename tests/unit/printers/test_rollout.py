"""What kubectl rollout prints: status messages, history, the pod template."""

from __future__ import annotations

import pytest

from kubesim.api import kinds
from kubesim.api.errors import UsageError
from kubesim.printers import rollout
from tests.factories import deployment, replica_set_of, revision_of, statefulset, with_status

DEPLOYMENTS = kinds.by_resource("deployments.apps")
STATEFULSETS = kinds.by_resource("statefulsets.apps")


def observed(d: dict, **status: object) -> dict:  # type: ignore[type-arg]
    return with_status(d, observedGeneration=d["metadata"]["generation"], **status)


# --- deployment status ---------------------------------------------------------------------------


def test_deployment_waits_for_the_spec_to_be_observed() -> None:
    d = with_status(deployment(generation=2), observedGeneration=1)
    assert rollout.deployment_status(d) == (
        "Waiting for deployment spec update to be observed...\n",
        False,
    )


def test_deployment_waits_for_updated_replicas() -> None:
    d = observed(deployment(replicas=3), updatedReplicas=1, replicas=3)
    assert rollout.deployment_status(d) == (
        'Waiting for deployment "nginx" rollout to finish: 1 out of 3 new replicas have been updated...\n',
        False,
    )


def test_deployment_waits_for_old_replicas_to_terminate() -> None:
    d = observed(deployment(replicas=3), updatedReplicas=3, replicas=4)
    assert rollout.deployment_status(d)[0] == (
        'Waiting for deployment "nginx" rollout to finish: 1 old replicas are pending termination...\n'
    )


def test_deployment_waits_for_updated_replicas_to_be_available() -> None:
    d = observed(deployment(replicas=3), updatedReplicas=3, replicas=3, availableReplicas=1)
    assert rollout.deployment_status(d)[0] == (
        'Waiting for deployment "nginx" rollout to finish: 1 of 3 updated replicas are available...\n'
    )


def test_deployment_successfully_rolled_out() -> None:
    d = observed(deployment(replicas=3), updatedReplicas=3, replicas=3, availableReplicas=3)
    assert rollout.deployment_status(d) == ('deployment "nginx" successfully rolled out\n', True)


def test_deployment_past_its_progress_deadline_is_an_error() -> None:
    condition = {"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded"}
    d = observed(deployment(), conditions=[condition])
    with pytest.raises(UsageError, match='deployment "nginx" exceeded its progress deadline'):
        rollout.deployment_status(d)


def test_pinned_revision_must_be_the_running_one() -> None:
    d = observed(deployment())
    d["metadata"]["annotations"] = {"deployment.kubernetes.io/revision": "2"}
    with pytest.raises(UsageError) as err:
        rollout.deployment_status(d, revision=1)
    assert err.value.message == "desired revision (1) is different from the running revision (2)"


# --- statefulset status --------------------------------------------------------------------------


def test_statefulset_waits_for_pods_to_be_ready() -> None:
    sts = with_status(statefulset(replicas=3), observedGeneration=1, readyReplicas=1)
    assert rollout.statefulset_status(sts) == ("Waiting for 2 pods to be ready...\n", False)


def test_statefulset_with_a_partition_reports_partitioned_rollout() -> None:
    sts = with_status(
        statefulset(replicas=2, partition=0),
        observedGeneration=1,
        readyReplicas=2,
        updatedReplicas=2,
    )
    assert rollout.statefulset_status(sts) == (
        "partitioned roll out complete: 2 new pods have been updated...\n",
        True,
    )


def test_statefulset_waits_for_the_partitioned_rollout() -> None:
    sts = with_status(
        statefulset(replicas=3, partition=1),
        observedGeneration=1,
        readyReplicas=3,
        updatedReplicas=1,
    )
    assert rollout.statefulset_status(sts)[0] == (
        "Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated...\n"
    )


def test_statefulset_without_rolling_update_block_compares_revisions() -> None:
    sts = with_status(
        statefulset(replicas=2), observedGeneration=1, readyReplicas=2, updatedReplicas=1,
        currentRevision="web-a", updateRevision="web-b",
    )  # fmt: skip
    assert rollout.statefulset_status(sts) == (
        "waiting for statefulset rolling update to complete 1 pods at revision web-b...\n",
        False,
    )


def test_on_delete_statefulset_has_no_rollout_status() -> None:
    with pytest.raises(
        UsageError, match="^rollout status is only available for RollingUpdate strategy type$"
    ):
        rollout.statefulset_status(statefulset(strategy="OnDelete"))


def test_other_kinds_have_no_status_viewer() -> None:
    with pytest.raises(
        UsageError, match="^no status viewer has been implemented for ReplicaSet.apps$"
    ):
        rollout.check_status_viewer(kinds.by_resource("replicasets.apps"))


# --- history -------------------------------------------------------------------------------------


def test_history_table_lists_revisions_with_change_cause() -> None:
    d = deployment()
    first = replica_set_of(d, 0, revision=1, image="nginx:1.1")
    second = replica_set_of(d, 3, revision=2)
    second["metadata"]["annotations"]["kubernetes.io/change-cause"] = "image bump"
    assert rollout.deployment_history([second, first]) == (
        "REVISION  CHANGE-CAUSE\n1         <none>\n2         image bump\n"
    )


def test_history_output_names_the_object_like_the_name_printer() -> None:
    assert rollout.history_output(DEPLOYMENTS, "nginx", 0, "REVISION  CHANGE-CAUSE\n") == (
        "deployment.apps/nginx \nREVISION  CHANGE-CAUSE\n\n"
    )


def test_history_of_one_revision_describes_its_pod_template() -> None:
    d = deployment()
    rs = replica_set_of(d, 3, revision=1)
    h = rs["metadata"]["labels"]["pod-template-hash"]
    assert rollout.deployment_history([rs], revision=1) == (
        "Pod Template:\n"
        "  Labels:\tapp=nginx\n"
        f"\tpod-template-hash={h}\n"
        "  Containers:\n"
        "   nginx:\n"
        "    Image:\tnginx:1.14.2\n"
        "    Port:\t<none>\n"
        "    Host Port:\t<none>\n"
        "    Environment:\t<none>\n"
        "    Mounts:\t<none>\n"
        "  Volumes:\t<none>\n"
        "  Node-Selectors:\t<none>\n"
        "  Tolerations:\t<none>\n"
    )


def test_history_of_a_missing_revision_is_an_error() -> None:
    with pytest.raises(UsageError, match="^unable to find the specified revision$"):
        rollout.deployment_history([replica_set_of(deployment(), 3)], revision=7)


def test_no_history_found() -> None:
    assert rollout.deployment_history([]) == "No rollout history found."


def test_statefulset_history_uses_controller_revisions() -> None:
    sts = statefulset()
    assert rollout.statefulset_history(sts, [revision_of(sts, 1)]) == (
        "REVISION  CHANGE-CAUSE\n1         <none>\n"
    )


def test_pod_template_shows_ports_env_mounts_and_probes() -> None:
    template = {
        "metadata": {"labels": {"app": "web"}, "annotations": {"team": "a"}},
        "spec": {
            "containers": [
                {
                    "name": "web",
                    "image": "nginx",
                    "ports": [{"containerPort": 80, "protocol": "TCP"}, {"containerPort": 443, "protocol": "TCP"}],
                    "env": [{"name": "MODE", "value": "prod"}],
                    "readinessProbe": {
                        "httpGet": {"path": "/", "port": 80, "scheme": "HTTP"},
                        "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3,
                    },
                    "volumeMounts": [{"name": "www", "mountPath": "/usr/share/nginx/html"}],
                }
            ],
            "volumes": [{"name": "www", "emptyDir": {}}],
        },
    }  # fmt: skip
    assert rollout.describe_pod_template(template) == (
        "Pod Template:\n"
        "  Labels:\tapp=web\n"
        "  Annotations:\tteam: a\n"
        "  Containers:\n"
        "   web:\n"
        "    Image:\tnginx\n"
        "    Ports:\t80/TCP, 443/TCP\n"
        "    Host Ports:\t0/TCP, 0/TCP\n"
        "    Readiness:\thttp-get http://:80/ delay=0s timeout=1s period=10s #success=1 #failure=3\n"
        "    Environment:\n"
        "      MODE:\tprod\n"
        "    Mounts:\n"
        "      /usr/share/nginx/html from www (rw)\n"
        "  Volumes:\n"
        "   www:\n"
        "    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n"
        "    Medium:\t\n"
        "    SizeLimit:\t<unset>\n"
        "  Node-Selectors:\t<none>\n"
        "  Tolerations:\t<none>\n"
    )
