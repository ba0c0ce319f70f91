"""Tables: kubectl's columns and tabwriter layout, from objects and `now` alone."""

from __future__ import annotations

from kubesim.api import kinds, meta
from kubesim.printers.columns import pod_status
from kubesim.printers.table import TableOptions, TabWriter, render
from tests.factories import NOW, pod_of, statefulset

PODS = kinds.resolve("pods")


def test_pod_table_layout() -> None:
    sts = statefulset(replicas=2)
    text = render(
        PODS, [pod_of(sts, 0), pod_of(sts, 1, phase="Pending", ready=False)], NOW, TableOptions()
    )
    assert text.splitlines()[0] == "NAME    READY   STATUS    RESTARTS   AGE"


def test_status_of_a_pod_in_each_stage() -> None:
    sts = statefulset(replicas=1)
    pod = pod_of(sts, 0)
    pod["status"]["containerStatuses"] = [{"name": "nginx", "ready": False, "restartCount": 0,
                                           "state": {"waiting": {"reason": "ContainerCreating"}}}]  # fmt: skip
    assert pod_status(pod)[:3] == ("ContainerCreating", 0, 1)
    pod["status"]["containerStatuses"][0].update({"ready": True, "state": {"running": {}}})
    assert pod_status(pod)[:3] == ("Running", 1, 1)
    pod["metadata"]["deletionTimestamp"] = meta.format_time(NOW)
    assert pod_status(pod)[0] == "Terminating"
    pod["status"]["phase"] = "Succeeded"
    pod["status"]["containerStatuses"][0].update(
        {"ready": False, "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}
    )
    assert pod_status(pod)[:2] == ("Completed", 0)  # a terminal phase is shown, not Terminating


def test_tabwriter_remembers_widths_across_writes() -> None:
    writer = TabWriter()
    first = writer.render([["NAME", "STATUS", "AGE"], ["web-0", "Pending", "0s"]])
    second = writer.render([["web-0", "ContainerCreating", "1s"], ["web-1", "Running", "2s"]])
    assert first == "NAME    STATUS    AGE\nweb-0   Pending   0s\n"
    assert second == "web-0   ContainerCreating   1s\nweb-1   Running             2s\n"


def test_statefulset_columns_and_wide() -> None:
    sts = statefulset(replicas=2)
    sts["status"]["readyReplicas"] = 1
    kind = kinds.resolve("sts")
    assert render(kind, [sts], NOW, TableOptions()) == "NAME   READY   AGE\nweb    1/2     60s\n"
    wide = render(kind, [sts], NOW, TableOptions(wide=True))
    assert wide.splitlines()[1].split() == ["web", "1/2", "60s", "nginx", "nginx:1.9.1"]


def test_pod_status_counts_only_sidecar_and_app_restarts_once_initialized() -> None:
    """printPod: restartableInitContainerRestarts replace the init containers' count (and
    their last restart) once the Initialized condition is True."""
    pod = {
        "metadata": {"name": "p"},
        "spec": {
            "initContainers": [{"name": "setup"}, {"name": "side", "restartPolicy": "Always"}],
            "containers": [{"name": "app"}],
        },
        "status": {
            "phase": "Running",
            "conditions": [{"type": "Initialized", "status": "True"}],
            "initContainerStatuses": [
                {"name": "setup", "restartCount": 4, "state": {"terminated": {"exitCode": 0}},
                 "lastState": {"terminated": {"finishedAt": "2025-01-15T10:09:00Z"}}},
                {"name": "side", "restartCount": 2, "started": True, "ready": True,
                 "state": {"running": {}},
                 "lastState": {"terminated": {"finishedAt": "2025-01-15T10:05:00Z"}}},
            ],
            "containerStatuses": [
                {"name": "app", "restartCount": 1, "ready": True, "state": {"running": {}},
                 "lastState": {"terminated": {"finishedAt": "2025-01-15T10:01:00Z"}}},
            ],
        },
    }  # fmt: skip
    assert pod_status(pod) == ("Running", 2, 2, 3, "2025-01-15T10:05:00Z")
