"""Deployments through the CLI: get, set image, rollout status / history / undo, for
deployments and statefulsets, with the Deployment page's own commands."""

from __future__ import annotations

from tests.conftest import SAMPLES, Kubesim

DEPLOYMENT = SAMPLES / "deployment.yaml"


def rs_names(kubesim: Kubesim) -> list[str]:
    return [line.split("/")[1] for line in kubesim("get rs -o name").out.split()]


def test_rollout_status_follows_a_new_deployment_until_it_is_available(kubesim: Kubesim) -> None:
    kubesim(f"create -f {DEPLOYMENT}")
    result = kubesim("rollout status deployment/nginx-deployment")
    assert result.code == 0
    # the controllers made the replica set and its pods as the deployment was created
    assert result.out == (
        'Waiting for deployment "nginx-deployment" rollout to finish: 0 of 3 updated replicas are available...\n'
        'deployment "nginx-deployment" successfully rolled out\n'
    )


def test_deployment_and_replica_set_columns(kubesim: Kubesim) -> None:
    kubesim(f"create -f {DEPLOYMENT}")
    kubesim("rollout status deploy/nginx-deployment")
    (rs,) = rs_names(kubesim)
    pod_template_hash = rs.rsplit("-", 1)[1]
    assert kubesim("get deployments").out == (
        "NAME               READY   UP-TO-DATE   AVAILABLE   AGE\n"
        "nginx-deployment   3/3     3            3           3s\n"
    )
    assert kubesim("get rs -o wide").out.splitlines()[1].split() == [
        rs, "3", "3", "3", "3s", "nginx", "nginx:1.14.2", f"app=nginx,pod-template-hash={pod_template_hash}",
    ]  # fmt: skip
    assert kubesim("get deploy -o wide").out.splitlines()[0].split() == [
        "NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR",
    ]  # fmt: skip


def test_pods_are_named_after_the_replica_set_and_labelled_with_the_hash(kubesim: Kubesim) -> None:
    kubesim(f"create -f {DEPLOYMENT}")
    kubesim("rollout status deploy/nginx-deployment")
    (rs,) = rs_names(kubesim)
    lines = kubesim("get pods --show-labels").out.splitlines()[1:]
    assert len(lines) == 3
    for line in lines:
        name, *_, labels = line.split()
        assert name.startswith(f"{rs}-") and len(name) == len(rs) + 6
        assert labels == f"app=nginx,pod-template-hash={rs.rsplit('-', 1)[1]}"


def test_get_all_lists_pods_services_deployments_replica_sets_and_statefulsets(
    article: Kubesim,
) -> None:
    article(f"create -f {DEPLOYMENT}")
    article("rollout status deploy/nginx-deployment")
    sections = [
        block.splitlines()[1].split("/")[0] for block in article("get all").out.split("\n\n")
    ]
    assert sections == ["pod", "service", "deployment.apps", "replicaset.apps", "statefulset.apps"]


def test_rolling_update_scales_the_new_replica_set_up_as_the_old_one_goes_down(
    kubesim: Kubesim,
) -> None:
    kubesim(f"create -f {DEPLOYMENT}")
    kubesim("rollout status deploy/nginx-deployment")
    (old,) = rs_names(kubesim)
    kubesim("set image deployment.v1.apps/nginx-deployment nginx=nginx:1.16.1")
    status = kubesim("rollout status deploy/nginx-deployment")
    assert status.out == (
        'Waiting for deployment "nginx-deployment" rollout to finish: 1 out of 3 new replicas have been updated...\n'
        'Waiting for deployment "nginx-deployment" rollout to finish: 2 out of 3 new replicas have been updated...\n'
        'Waiting for deployment "nginx-deployment" rollout to finish: 1 old replicas are pending termination...\n'
        'deployment "nginx-deployment" successfully rolled out\n'
    )
    (new,) = [name for name in rs_names(kubesim) if name != old]
    messages = kubesim(
        "get events --field-selector reason=ScalingReplicaSet -o jsonpath={.items[*].message}"
    )
    assert messages.out.split(" Scaled ") == [
        f"Scaled up replica set {old} from 0 to 3",
        f"up replica set {new} from 0 to 1",
        f"down replica set {old} from 3 to 2",
        f"up replica set {new} from 1 to 2",
        f"down replica set {old} from 2 to 1",
        f"up replica set {new} from 2 to 3",
        f"down replica set {old} from 1 to 0",
    ]


def test_rollout_history_lists_revisions(kubesim: Kubesim) -> None:
    kubesim(f"create -f {DEPLOYMENT}")
    kubesim("rollout status deploy/nginx-deployment")
    kubesim("set image deployment.v1.apps/nginx-deployment nginx=nginx:1.16.1")
    kubesim("rollout status deploy/nginx-deployment")
    result = kubesim("rollout history deployment/nginx-deployment")
    assert result.out == (
        "deployment.apps/nginx-deployment \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n"
    )


def test_rollout_history_revision_prints_the_pod_template(kubesim: Kubesim) -> None:
    kubesim(f"create -f {DEPLOYMENT}")
    kubesim("rollout status deploy/nginx-deployment")
    (rs,) = rs_names(kubesim)
    result = kubesim("rollout history deployment nginx-deployment --revision=1")
    assert result.out == (
        "deployment.apps/nginx-deployment with revision #1\n"
        "Pod Template:\n"
        "  Labels:\tapp=nginx\n"
        f"\tpod-template-hash={rs.rsplit('-', 1)[1]}\n"
        "  Containers:\n"
        "   nginx:\n"
        "    Image:\tnginx:1.14.2\n"
        "    Port:\t80/TCP\n"
        "    Host Port:\t0/TCP\n"
        "    Environment:\t<none>\n"
        "    Mounts:\t<none>\n"
        "  Volumes:\t<none>\n"
        "  Node-Selectors:\t<none>\n"
        "  Tolerations:\t<none>\n"
        "\n"
    )


def test_rollout_undo_goes_back_to_the_previous_template(kubesim: Kubesim) -> None:
    kubesim(f"create -f {DEPLOYMENT}")
    kubesim("rollout status deploy/nginx-deployment")
    kubesim("set image deployment.v1.apps/nginx-deployment nginx=nginx:1.16.1")
    kubesim("rollout status deploy/nginx-deployment")
    result = kubesim("rollout undo deployment/nginx-deployment")
    assert (result.code, result.out) == (0, "deployment.apps/nginx-deployment rolled back\n")
    assert kubesim("rollout status deploy/nginx-deployment").out.endswith(
        "successfully rolled out\n"
    )
    image = kubesim(
        "get deploy nginx-deployment -o jsonpath={.spec.template.spec.containers[0].image}"
    )
    assert image.out == "nginx:1.14.2"
    # the old replica set is the new one again, under revision 3
    history = kubesim("rollout history deploy/nginx-deployment").out
    assert (
        history
        == "deployment.apps/nginx-deployment \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n"
    )


def test_rollout_undo_to_a_missing_revision_fails(kubesim: Kubesim) -> None:
    kubesim(f"create -f {DEPLOYMENT}")
    kubesim("rollout status deploy/nginx-deployment")
    result = kubesim("rollout undo deploy/nginx-deployment --to-revision=9")
    assert (result.code, result.out, result.err) == (
        1, "", "error: unable to find specified revision 9 in history\n",
    )  # fmt: skip


def test_rollout_undo_to_the_running_revision_is_skipped(kubesim: Kubesim) -> None:
    kubesim(f"create -f {DEPLOYMENT}")
    kubesim("rollout status deploy/nginx-deployment")
    result = kubesim("rollout undo deploy/nginx-deployment --to-revision=1")
    assert result.out == (
        "deployment.apps/nginx-deployment skipped rollback (current template already matches revision 1)\n"
    )


def test_rollout_status_without_watch_prints_once(kubesim: Kubesim) -> None:
    kubesim(f"create -f {DEPLOYMENT}")
    result = kubesim("rollout status deploy/nginx-deployment --watch=false")
    assert (result.code, result.out) == (
        0,
        'Waiting for deployment "nginx-deployment" rollout to finish: 0 of 3 updated replicas are available...\n',
    )


def test_rollout_status_times_out(kubesim: Kubesim) -> None:
    kubesim(f"create -f {DEPLOYMENT}")
    result = kubesim("rollout status deploy/nginx-deployment --timeout=1s")
    assert result.code == 1
    assert result.err == "error: timed out waiting for the condition\n"


def test_recreate_deletes_old_pods_before_creating_new_ones(kubesim: Kubesim) -> None:
    manifest = DEPLOYMENT.read_text().replace(
        "  replicas: 3\n", "  replicas: 3\n  strategy:\n    type: Recreate\n"
    )
    kubesim("create -f -", stdin=manifest)
    kubesim("rollout status deploy/nginx-deployment")
    (old,) = rs_names(kubesim)
    kubesim("set image deployment.v1.apps/nginx-deployment nginx=nginx:1.16.1")
    assert rs_names(kubesim) == [old]  # old pods are still terminating
    assert kubesim("rollout status deploy/nginx-deployment").code == 0
    (new,) = [name for name in rs_names(kubesim) if name != old]
    messages = kubesim(
        "get events --field-selector reason=ScalingReplicaSet -o jsonpath={.items[*].message}"
    )
    assert messages.out.split(" Scaled ") == [
        f"Scaled up replica set {old} from 0 to 3",
        f"down replica set {old} from 3 to 0",
        f"up replica set {new} from 0 to 3",
    ]


def test_invalid_deployment_is_refused_with_the_apiserver_messages(kubesim: Kubesim) -> None:
    manifest = DEPLOYMENT.read_text().replace(
        "        app: nginx\n    spec:", "        app: web\n    spec:"
    )
    result = kubesim("create -f -", stdin=manifest)
    assert (result.code, result.err) == (
        1,
        'The Deployment "nginx-deployment" is invalid: spec.template.metadata.labels: Invalid value: '
        'map[string]string{"app":"web"}: `selector` does not match template `labels`\n',
    )


# --- statefulsets -------------------------------------------------------------------------------


def test_statefulset_rollout_status_reports_the_partitioned_rollout(article: Kubesim) -> None:
    result = article("rollout status sts/web")
    assert (result.code, result.out) == (
        0,
        "partitioned roll out complete: 2 new pods have been updated...\n",
    )


def test_statefulset_rollout_follows_an_image_change(article: Kubesim) -> None:
    article("set image statefulset/web nginx=nginx:1.10")
    result = article("rollout status statefulset/web")
    assert result.out == (
        "Waiting for partitioned roll out to finish: 0 out of 2 new pods have been updated...\n"
        "Waiting for 1 pods to be ready...\n"
        "Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated...\n"
        "Waiting for 1 pods to be ready...\n"
        "partitioned roll out complete: 2 new pods have been updated...\n"
    )
    assert article("rollout history sts/web").out == (
        "statefulset.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n"
    )


def test_statefulset_undo_restores_the_previous_revision(article: Kubesim) -> None:
    article("set image statefulset/web nginx=nginx:1.10")
    article("rollout status sts/web")
    assert article("rollout undo sts/web").out == "statefulset.apps/web rolled back\n"
    article("rollout status sts/web")
    image = article("get pod web-0 -o jsonpath={.spec.containers[0].image}")
    assert image.out == "nginx:1.9.1"


def test_statefulset_undo_needs_a_previous_revision(article: Kubesim) -> None:
    result = article("rollout undo sts/web")
    assert (result.code, result.err) == (1, "error: no last revision to roll back to\n")


def test_statefulset_history_revision_prints_its_template(article: Kubesim) -> None:
    out = article("rollout history sts/web --revision=1").out
    assert out.startswith(
        "statefulset.apps/web with revision #1\nPod Template:\n  Labels:\tapp=nginx\n"
    )
    assert "    Image:\tnginx:1.9.1\n" in out


# --- errors ---------------------------------------------------------------------------------------


def test_rollout_needs_a_resource(kubesim: Kubesim) -> None:
    result = kubesim("rollout status")
    assert (result.code, result.err) == (1, "error: required resource not specified\n")


def test_rollout_of_a_missing_deployment(kubesim: Kubesim) -> None:
    result = kubesim("rollout history deploy/nope")
    assert result.err == 'Error from server (NotFound): deployments.apps "nope" not found\n'


def test_rollout_of_a_pod_has_no_viewer(article: Kubesim) -> None:
    assert (
        article("rollout status pod/web-0").err
        == "error: no status viewer has been implemented for Pod\n"
    )
    assert (
        article("rollout history pod/web-0").err
        == 'error: no history viewer has been implemented for "Pod"\n'
    )
    assert (
        article("rollout undo pod/web-0").err
        == 'error: no rollbacker has been implemented for "Pod"\n'
    )


def test_on_delete_statefulset_has_no_rollout_status(article: Kubesim) -> None:
    manifest = (SAMPLES / "statefulset.yaml").read_text().replace("name: web\n", "name: odd\n", 1)
    manifest = manifest.replace(
        "  replicas: 2\n", "  replicas: 2\n  updateStrategy:\n    type: OnDelete\n"
    )
    article("create -f -", stdin=manifest)
    result = article("rollout status sts/odd")
    assert (result.code, result.err) == (
        1, "error: rollout status is only available for RollingUpdate strategy type\n",
    )  # fmt: skip


def test_a_timeout_without_a_unit_is_refused_as_pflag_refuses_it(article: Kubesim) -> None:
    result = article("rollout status sts/web --timeout=5")
    assert (result.code, result.err) == (
        1,
        'Error: invalid argument "5" for "--timeout" flag: time: missing unit in duration "5"\n'
        "See 'kubesim rollout status --help' for usage.\n",
    )


def test_pause_holds_changes_back_until_resume(kubesim: Kubesim) -> None:
    kubesim(f"create -f {DEPLOYMENT}")
    kubesim("rollout status deployment/nginx-deployment")
    paused = kubesim("rollout pause deployment.v1.apps/nginx-deployment")
    assert (paused.code, paused.out) == (0, "deployment.apps/nginx-deployment paused\n")
    again = kubesim("rollout pause deployment/nginx-deployment")
    assert (again.code, again.err) == (
        1,
        'error: deployments.apps "nginx-deployment" is already paused\n',
    )
    kubesim("set image deployment/nginx-deployment nginx=nginx:1.16.1")
    kubesim("tick 20")
    assert len(rs_names(kubesim)) == 1  # the change waits
    restart = kubesim("rollout restart deployment/nginx-deployment")
    assert restart.err == (
        'error: deployments.apps "nginx-deployment" can\'t restart paused deployment '
        "(run rollout resume first)\n"
    )
    resumed = kubesim("rollout resume deployment/nginx-deployment")
    assert resumed.out == "deployment.apps/nginx-deployment resumed\n"
    assert kubesim("rollout status deployment/nginx-deployment").code == 0
    assert len(rs_names(kubesim)) == 2
    assert kubesim("rollout resume deployment/nginx-deployment").err == (
        'error: deployments.apps "nginx-deployment" is not paused\n'
    )


def test_restart_replaces_a_statefulset_s_pods_from_the_highest_ordinal(article: Kubesim) -> None:
    uids = {
        n: article(f"get pod {n} -o jsonpath={{.metadata.uid}}").out for n in ("web-0", "web-1")
    }
    result = article("rollout restart statefulset/web")
    assert (result.code, result.out) == (0, "statefulset.apps/web restarted\n")
    twice = article("rollout restart statefulset/web")  # within the same second
    assert (twice.code, twice.out, twice.err) == (
        1,
        "statefulset.apps/web restarted\n",
        "error: failed to create patch for web: empty patch\n",
    )
    assert article("rollout status sts/web").code == 0
    for name, uid in uids.items():
        assert article(f"get pod {name} -o jsonpath={{.metadata.uid}}").out != uid
    pause = article("rollout pause sts/web")
    assert pause.err == 'error: statefulsets.apps "web" pausing is not supported\n'


def test_rollout_takes_the_objects_of_a_file(kubesim: Kubesim) -> None:
    kubesim(f"apply -f {DEPLOYMENT}")
    status = kubesim(f"rollout status -f {DEPLOYMENT}")
    assert status.out.endswith('deployment "nginx-deployment" successfully rolled out\n')
    assert kubesim(f"rollout history -f {DEPLOYMENT}").out.startswith(
        "deployment.apps/nginx-deployment \nREVISION  CHANGE-CAUSE\n1         <none>\n"
    )
    restarted = kubesim(f"rollout restart -f {DEPLOYMENT}")
    assert restarted.out == "deployment.apps/nginx-deployment restarted\n"
    assert kubesim("rollout status").err == "error: required resource not specified\n"
