"""The Deployment controller: one sync per deployment per tick, as deployment_controller.go.

A sync claims the deployment's replica sets, then, as syncDeployment decides: only writes
status (being deleted), scales proportionally (paused, or a change of spec.replicas), or
rolls out: RollingUpdate (rolling.go: scale the new replica set up within maxSurge, or the
old ones down within maxUnavailable, one of the two per sync) or Recreate (recreate.go: old
replica sets to 0, wait until their pods are gone, then the new one to full size).
Progress and availability are reported as the Available and Progressing conditions
(progress.go), and old replica sets beyond revisionHistoryLimit are deleted (sync.go).

The Go controller writes as it goes; here every change to one object within a sync is
folded into a single write, emitted at the end, with the events in the order they happened.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kubesim.api import meta, selectors
from kubesim.controllers import deployment_utils as util
from kubesim.controllers import queue
from kubesim.controllers.changes import (
    Change,
    Create,
    Delete,
    RecordEvent,
    Requeue,
    Update,
    UpdateStatus,
)
from kubesim.controllers.replicaset_utils import claim_objects
from kubesim.controllers.snapshot import Snapshot

Object = dict[str, Any]
COMPONENT = "deployment-controller"
RESOURCE = "deployments.apps"
RS_RESOURCE = "replicasets.apps"


def reconcile(snapshot: Snapshot, now: float, keys: list[str] | None = None) -> list[Change]:
    """Sync the deployments named by `keys` (every one when None), in key order."""
    changes: list[Change] = []
    for key in sorted(keys) if keys is not None else all_keys(snapshot):
        namespace, name = queue.split_key(key)
        deployment = snapshot.get(RESOURCE, namespace, name)
        if deployment is not None:
            changes += sync(snapshot, deployment, now)
    return changes


def all_keys(snapshot: Snapshot) -> list[str]:
    return list(queue.keys_of(snapshot.list(RESOURCE)))


def keys_for(snapshot: Snapshot, event: queue.WatchEvent) -> queue.Keys:
    """The deployment's own changes; its replica sets' (addReplicaSet, updateReplicaSet,
    deleteReplicaSet: the controller, or the deployments that may adopt an orphan); a deleted
    pod (deletePod: a Recreate rollout waits for the old pods to go)."""
    if event.resource == RESOURCE:
        return (event.key,)
    if event.resource == RS_RESOURCE:
        return queue.owner_keys(snapshot, event, "Deployment", RESOURCE)
    if event.type != "DELETED" and not _turned_terminal(event):
        return ()
    ref = meta.controller_ref(event.new)
    if ref is None or ref.get("kind") != "ReplicaSet":
        return ()
    rs = snapshot.get(RS_RESOURCE, event.namespace, str(ref.get("name")))
    owner = meta.controller_ref(rs) if rs is not None else None
    if owner is None or owner.get("kind") != "Deployment":
        return ()
    return (f"{event.namespace}/{owner.get('name')}",)


def _turned_terminal(event: queue.WatchEvent) -> bool:
    """A pod written in phase Succeeded or Failed: a Recreate rollout no longer counts it as
    running (oldPodsRunning). The Go controller learns it from its replica sets' updates; here
    the terminating pods had left the replica sets' counts already, so the pod wakes it."""
    return (event.new.get("status") or {}).get("phase") in ("Succeeded", "Failed")


def sync(snapshot: Snapshot, deployment: Object, now: float) -> list[Change]:
    """One pass of the controller over one deployment (syncDeployment)."""
    state = _Sync(snapshot, deployment, now)
    state.sync_deployment()
    return state.changes() + _requeue_for_deadline(state.d, now)


def _requeue_for_deadline(d: Object, now: float) -> list[Change]:
    """A rollout still progressing is looked at again once its progress deadline has passed
    (requeueStuckDeployment), to report it timed out if nothing moved by then."""
    if not util.has_progress_deadline(d) or d["spec"].get("paused"):
        return []
    condition = util.get_condition(d.get("status") or {}, "Progressing")
    if condition is None or condition.get("reason") in (
        util.NEW_RS_AVAILABLE_REASON,
        util.TIMED_OUT_REASON,
    ):
        return []
    since = meta.parse_time(str(condition.get("lastUpdateTime") or ""))
    due = since + int(d["spec"]["progressDeadlineSeconds"]) + 1
    m = d["metadata"]
    return [Requeue(f"{m['namespace']}/{m['name']}", max(due, now + 1))]


CONTROLLER = queue.Controller(
    name=COMPONENT,
    watches=(RESOURCE, RS_RESOURCE, "pods"),
    keys_for=keys_for,
    all_keys=all_keys,
    reconcile=reconcile,
)


class _Sync:
    """The working state of one sync: copies of the deployment and its replica sets that the
    algorithm changes in place, as the Go code changes the objects it holds."""

    def __init__(self, snapshot: Snapshot, deployment: Object, now: float) -> None:
        self.snapshot = snapshot
        self.now = now
        self.original = deployment
        self.d = meta.clone(deployment)
        self.d.setdefault("status", {})
        self.replica_sets: dict[str, Object] = {}  # name -> working copy
        self.created: list[str] = []
        self.dirty: list[str] = []
        self.deleted: list[Object] = []
        self.events: list[RecordEvent] = []
        self.released: list[Change] = []
        self.aborted = False  # a sync that stops with an error, to be retried next tick

    # --- the entry point (syncDeployment) ---------------------------------------------------

    def sync_deployment(self) -> None:
        d = self.d
        if d["spec"].get("selector") == {}:
            self.event(
                "Warning",
                "SelectingAll",
                "This deployment is selecting all pods. A non-empty selector is required.",
            )
            if int(d["status"].get("observedGeneration", 0)) < _generation(d):
                d["status"]["observedGeneration"] = _generation(d)
            return
        rs_list = self.claim_replica_sets()
        pod_map = self.pod_map(rs_list)
        if meta.is_terminating(d):
            self.sync_status_only(rs_list)
            return
        self.check_paused_conditions()
        if d["spec"].get("paused"):
            self.sync_scaling(rs_list)
            return
        if self.is_scaling_event(rs_list):
            self.sync_scaling(rs_list)
            return
        strategy = (d["spec"].get("strategy") or {}).get("type")
        if strategy == "Recreate":
            self.rollout_recreate(rs_list, pod_map)
        elif strategy == "RollingUpdate":
            self.rollout_rolling(rs_list)

    # --- replica sets and pods (getReplicaSetsForDeployment, getPodMapForDeployment) ---------

    def claim_replica_sets(self) -> list[Object]:
        d = self.d
        candidates = self.snapshot.list(RS_RESOURCE, d["metadata"]["namespace"])
        selector = selectors.from_label_selector(d["spec"].get("selector"))
        claimed, changes = claim_objects(d, candidates, selector)
        # an adoption is folded into the replica set's single write; releases go out as they are
        adopted = {id(c.obj) for c in changes if isinstance(c, Update)} & {id(o) for o in claimed}
        self.released = [c for c in changes if not (isinstance(c, Update) and id(c.obj) in adopted)]
        working = []
        for rs in claimed:
            copied = meta.clone(rs)
            self.replica_sets[rs["metadata"]["name"]] = copied
            if id(rs) in adopted:
                self.mark(copied)
            working.append(copied)
        return working

    def pod_map(self, rs_list: list[Object]) -> dict[str, list[Object]]:
        """Pods the deployment selects, by the uid of the replica set controlling them."""
        d = self.d
        selector = selectors.from_label_selector(d["spec"].get("selector"))
        return {
            rs["metadata"]["uid"]: [
                pod
                for pod in self.snapshot.controlled_by(rs["metadata"]["uid"], "pods")
                if selector.matches(meta.labels_of(pod))
            ]
            for rs in rs_list
        }

    # --- revisions and the new replica set (sync.go) ------------------------------------------

    def get_all_replica_sets_and_sync_revision(
        self, rs_list: list[Object], create: bool
    ) -> tuple[Object | None, list[Object]]:
        _, all_old = util.find_old_replica_sets(self.d, rs_list)
        new_rs = self.get_new_replica_set(rs_list, all_old, create)
        return new_rs, all_old

    def get_new_replica_set(
        self, rs_list: list[Object], old_rss: list[Object], create: bool
    ) -> Object | None:
        d = self.d
        existing = util.find_new_replica_set(d, rs_list)
        new_revision = str(util.max_revision(old_rss) + 1)
        if existing is not None:
            updated = util.set_new_replica_set_annotations(d, existing, new_revision, True)
            min_ready = int(d["spec"].get("minReadySeconds", 0))
            if updated or int(existing["spec"].get("minReadySeconds", 0)) != min_ready:
                _set_min_ready_seconds(existing, min_ready)
                self.mark(existing)
                return existing
            annotations = existing["metadata"].get("annotations") or {}
            util.set_deployment_revision(d, annotations.get(util.REVISION_ANNOTATION, ""))
            if (
                util.has_progress_deadline(d)
                and util.get_condition(d["status"], "Progressing") is None
            ):
                name = existing["metadata"]["name"]
                message = f'Found new replica set "{name}"'
                util.set_condition(
                    d["status"],
                    util.new_condition(
                        "Progressing", "True", util.FOUND_NEW_RS_REASON, message, self.now
                    ),
                )
            return existing
        if not create:
            return None
        new_rs = self.new_replica_set(old_rss, new_revision)
        name = new_rs["metadata"]["name"]
        namespace = d["metadata"]["namespace"]
        clash = self.snapshot.get(RS_RESOURCE, namespace, name)
        already_exists = clash is not None
        if clash is not None:
            ref = meta.controller_ref(clash) or {}
            if ref.get("uid") == d["metadata"]["uid"] and util.equal_ignore_hash(
                d["spec"]["template"], clash["spec"]["template"]
            ):
                new_rs = self.replica_sets.setdefault(name, meta.clone(clash))
            else:
                # a hash collision: bump collisionCount and try another name next sync
                d["status"]["collisionCount"] = int(d["status"].get("collisionCount") or 0) + 1
                self.aborted = True
                return None
        else:
            self.replica_sets[name] = new_rs
            self.created.append(name)
        count = util.replicas_of(new_rs)
        if not already_exists and count > 0:
            self.event(
                "Normal", "ScalingReplicaSet", f"Scaled up replica set {name} from 0 to {count}"
            )
        util.set_deployment_revision(d, new_revision)
        if not already_exists and util.has_progress_deadline(d):
            message = f'Created new replica set "{name}"'
            util.set_condition(
                d["status"],
                util.new_condition(
                    "Progressing", "True", util.NEW_REPLICA_SET_REASON, message, self.now
                ),
            )
        return new_rs

    def new_replica_set(self, old_rss: list[Object], new_revision: str) -> Object:
        """The replica set for the current template, named `<deployment>-<pod-template-hash>`."""
        d = self.d
        template = meta.clone(d["spec"]["template"])
        pod_template_hash = util.compute_hash(template, d["status"].get("collisionCount"))
        template.setdefault("metadata", {})
        labels = dict(template["metadata"].get("labels") or {})
        labels[util.POD_TEMPLATE_HASH_LABEL] = pod_template_hash
        template["metadata"]["labels"] = labels
        selector = meta.clone(d["spec"].get("selector") or {})
        selector.setdefault("matchLabels", {})[util.POD_TEMPLATE_HASH_LABEL] = pod_template_hash
        new_rs: Object = {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {
                "name": f"{d['metadata']['name']}-{pod_template_hash}",
                "namespace": d["metadata"]["namespace"],
                "labels": dict(labels),
                "ownerReferences": [meta.owner_reference(d)],
            },
            "spec": {"replicas": 0, "selector": selector, "template": template},
        }
        _set_min_ready_seconds(new_rs, int(d["spec"].get("minReadySeconds", 0)))
        new_rs["spec"]["replicas"] = util.new_rs_new_replicas(d, [*old_rss, new_rs], new_rs)
        util.set_new_replica_set_annotations(d, new_rs, new_revision, False)
        return new_rs

    # --- scaling (sync.go: scale, scaleReplicaSet) ----------------------------------------------

    def scale_replica_set_and_record_event(self, rs: Object, new_scale: int) -> bool:
        if util.replicas_of(rs) == new_scale:
            return False
        operation = "up" if util.replicas_of(rs) < new_scale else "down"
        return self.scale_replica_set(rs, new_scale, operation)

    def scale_replica_set(self, rs: Object, new_scale: int, operation: str) -> bool:
        d = self.d
        desired = util.replicas_of(d)
        max_replicas = desired + util.max_surge(d)
        size_changes = util.replicas_of(rs) != new_scale
        if not size_changes and not util.replicas_annotations_need_update(
            rs, desired, max_replicas
        ):
            return False
        old_scale = util.replicas_of(rs)
        rs["spec"]["replicas"] = new_scale
        util.set_replicas_annotations(rs, desired, max_replicas)
        self.mark(rs)
        if size_changes:
            name = rs["metadata"]["name"]
            self.event(
                "Normal",
                "ScalingReplicaSet",
                f"Scaled {operation} replica set {name} from {old_scale} to {new_scale}",
            )
        return size_changes

    def is_scaling_event(self, rs_list: list[Object]) -> bool:
        """An active replica set was sized for a different spec.replicas (isScalingEvent)."""
        new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(rs_list, False)
        for rs in util.filter_active_replica_sets([*old_rss, new_rs]):
            desired = util.desired_replicas_annotation(rs)
            if desired is not None and desired != util.replicas_of(self.d):
                return True
        return False

    def sync_scaling(self, rs_list: list[Object]) -> None:
        """Scaling events and paused deployments (sync)."""
        new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(rs_list, False)
        self.scale(new_rs, old_rss)
        if self.d["spec"].get("paused"):
            self.cleanup_deployment(old_rss)
        self.sync_deployment_status([*old_rss, new_rs], new_rs)

    def scale(self, new_rs: Object | None, old_rss: list[Object]) -> None:
        """Scale the one active replica set, or all of them in proportion (scale)."""
        d = self.d
        replicas = util.replicas_of(d)
        old_rss.sort(key=util.by_creation_timestamp, reverse=True)  # as FindActiveOrLatest
        active_or_latest = util.find_active_or_latest(new_rs, old_rss)
        if active_or_latest is not None:
            if util.replicas_of(active_or_latest) != replicas:
                self.scale_replica_set_and_record_event(active_or_latest, replicas)
            return
        if util.is_saturated(d, new_rs):
            for old in util.filter_active_replica_sets(old_rss):
                self.scale_replica_set_and_record_event(old, 0)
            return
        if not util.is_rolling_update(d):
            return
        all_rss = util.filter_active_replica_sets([*old_rss, new_rs])
        allowed = replicas + util.max_surge(d) if replicas > 0 else 0
        to_add = allowed - util.replica_count(all_rss)
        operation = ""
        if to_add > 0:
            all_rss = util.sort_by_size_newer(all_rss)
            operation = "up"
        elif to_add < 0:
            all_rss = util.sort_by_size_older(all_rss)
            operation = "down"
        added = 0
        sizes: dict[str, int] = {}
        for rs in all_rss:
            if to_add != 0:
                proportion = util.get_proportion(rs, d, to_add, added)
                sizes[rs["metadata"]["name"]] = util.replicas_of(rs) + proportion
                added += proportion
            else:
                sizes[rs["metadata"]["name"]] = util.replicas_of(rs)
        for i, rs in enumerate(all_rss):
            name = rs["metadata"]["name"]
            if i == 0 and to_add != 0:
                sizes[name] = max(0, sizes[name] + to_add - added)
            self.scale_replica_set(rs, sizes[name], operation)

    def cleanup_deployment(self, old_rss: list[Object]) -> None:
        """Delete the oldest replica sets beyond revisionHistoryLimit (cleanupDeployment)."""
        d = self.d
        if not util.has_revision_history_limit(d):
            return
        cleanable = [rs for rs in old_rss if not meta.is_terminating(rs)]
        diff = len(cleanable) - int(d["spec"]["revisionHistoryLimit"])
        if diff <= 0:
            return
        for rs in sorted(cleanable, key=util.by_revision)[:diff]:
            status = rs.get("status") or {}
            if (
                int(status.get("replicas", 0))
                or util.replicas_of(rs)
                or _generation(rs) > int(status.get("observedGeneration", 0))
            ):
                continue  # never delete a replica set that still has pods
            self.deleted.append(rs)

    # --- rollouts (rolling.go, recreate.go) ---------------------------------------------------

    def rollout_rolling(self, rs_list: list[Object]) -> None:
        new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(rs_list, True)
        if self.aborted or new_rs is None:
            return
        all_rss = [*old_rss, new_rs]
        if self.reconcile_new_replica_set(all_rss, new_rs):
            self.sync_rollout_status(all_rss, new_rs)
            return
        if self.reconcile_old_replica_sets(
            all_rss, util.filter_active_replica_sets(old_rss), new_rs
        ):
            self.sync_rollout_status(all_rss, new_rs)
            return
        if util.deployment_complete(self.d, self.d["status"]):
            self.cleanup_deployment(old_rss)
        self.sync_rollout_status(all_rss, new_rs)

    def reconcile_new_replica_set(self, all_rss: list[Object], new_rs: Object) -> bool:
        replicas = util.replicas_of(self.d)
        if util.replicas_of(new_rs) == replicas:
            return False
        if util.replicas_of(new_rs) > replicas:
            return self.scale_replica_set_and_record_event(new_rs, replicas)
        count = util.new_rs_new_replicas(self.d, all_rss, new_rs)
        return self.scale_replica_set_and_record_event(new_rs, count)

    def reconcile_old_replica_sets(
        self, all_rss: list[Object], old_rss: list[Object], new_rs: Object
    ) -> bool:
        if util.replica_count(old_rss) == 0:
            return False  # can't scale down further
        min_available = util.replicas_of(self.d) - util.max_unavailable(self.d)
        new_unavailable = util.replicas_of(new_rs) - int(
            (new_rs.get("status") or {}).get("availableReplicas", 0)
        )
        # scale down no more than keeps minAvailable, counting the new set's unavailable pods
        max_scaled_down = util.replica_count(all_rss) - min_available - new_unavailable
        if max_scaled_down <= 0:
            return False
        cleaned = self.cleanup_unhealthy_replicas(old_rss, max_scaled_down)
        if cleaned is None:
            return False
        scaled_down = self.scale_down_old_replica_sets_for_rolling_update(
            [*old_rss, new_rs], old_rss
        )
        return cleaned + scaled_down > 0

    def cleanup_unhealthy_replicas(self, old_rss: list[Object], max_cleanup: int) -> int | None:
        """Scale old replica sets down by their unavailable pods first; None on a bad request."""
        total = 0
        for rs in sorted(old_rss, key=util.by_creation_timestamp):
            if total >= max_cleanup:
                break
            replicas = util.replicas_of(rs)
            available = int((rs.get("status") or {}).get("availableReplicas", 0))
            if replicas == 0 or replicas == available:
                continue
            count = min(max_cleanup - total, replicas - available)
            if replicas - count > replicas:
                return None  # "got invalid request to scale down": the sync stops here
            self.scale_replica_set_and_record_event(rs, replicas - count)
            total += count
        return total

    def scale_down_old_replica_sets_for_rolling_update(
        self, all_rss: list[Object], old_rss: list[Object]
    ) -> int:
        min_available = util.replicas_of(self.d) - util.max_unavailable(self.d)
        available = util.available_replica_count(all_rss)
        if available <= min_available:
            return 0
        to_scale = available - min_available
        total = 0
        for rs in sorted(old_rss, key=util.by_creation_timestamp):
            if total >= to_scale:
                break
            if util.replicas_of(rs) == 0:
                continue
            count = min(util.replicas_of(rs), to_scale - total)
            self.scale_replica_set_and_record_event(rs, util.replicas_of(rs) - count)
            total += count
        return total

    def rollout_recreate(self, rs_list: list[Object], pod_map: dict[str, list[Object]]) -> None:
        # no new replica set yet: old pods go first
        new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(rs_list, False)
        all_rss: list[Object | None] = [*old_rss, new_rs]
        scaled_down = False
        for rs in util.filter_active_replica_sets(old_rss):
            if self.scale_replica_set_and_record_event(rs, 0):
                scaled_down = True
        if scaled_down or _old_pods_running(new_rs, old_rss, pod_map):
            self.sync_rollout_status(all_rss, new_rs)
            return
        if new_rs is None:
            new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(rs_list, True)
            if self.aborted or new_rs is None:
                return
            all_rss = [*old_rss, new_rs]
        self.scale_replica_set_and_record_event(new_rs, util.replicas_of(self.d))
        if util.deployment_complete(self.d, self.d["status"]):
            self.cleanup_deployment(old_rss)
        self.sync_rollout_status(all_rss, new_rs)

    # --- status (sync.go calculateStatus, progress.go syncRolloutStatus) -----------------------

    def calculate_status(self, all_rss: Sequence[Object | None], new_rs: Object | None) -> Object:
        d = self.d
        available = util.available_replica_count(all_rss)
        unavailable = max(0, util.replica_count(all_rss) - available)
        counts = {
            "observedGeneration": _generation(d),
            "replicas": util.actual_replica_count(all_rss),
            "updatedReplicas": util.actual_replica_count([new_rs]),
            "readyReplicas": util.ready_replica_count(all_rss),
            "availableReplicas": available,
            "unavailableReplicas": unavailable,
        }
        # DeploymentStatus JSON: every count is omitempty; collisionCount is a pointer
        status: Object = {k: v for k, v in counts.items() if v}
        if d["status"].get("collisionCount") is not None:
            status["collisionCount"] = d["status"]["collisionCount"]
        if d["status"].get("conditions"):
            status["conditions"] = meta.clone(d["status"]["conditions"])
        if available >= util.replicas_of(d) - util.max_unavailable(d):
            condition = util.new_condition(
                "Available",
                "True",
                util.MINIMUM_REPLICAS_AVAILABLE,
                "Deployment has minimum availability.",
                self.now,
            )
        else:
            condition = util.new_condition(
                "Available",
                "False",
                util.MINIMUM_REPLICAS_UNAVAILABLE,
                "Deployment does not have minimum availability.",
                self.now,
            )
        util.set_condition(status, condition)
        return status

    def sync_deployment_status(
        self, all_rss: Sequence[Object | None], new_rs: Object | None
    ) -> None:
        self.d["status"] = self.calculate_status(all_rss, new_rs)

    def sync_status_only(self, rs_list: list[Object]) -> None:
        new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(rs_list, False)
        self.sync_deployment_status([*old_rss, new_rs], new_rs)

    def sync_rollout_status(self, all_rss: Sequence[Object | None], new_rs: Object | None) -> None:
        d = self.d
        status = self.calculate_status(all_rss, new_rs)
        if not util.has_progress_deadline(d):
            util.remove_condition(status, "Progressing")
        current = util.get_condition(d["status"], "Progressing")
        is_complete = (
            status.get("replicas", 0) == status.get("updatedReplicas", 0)
            and current is not None
            and current.get("reason") == util.NEW_RS_AVAILABLE_REASON
        )
        if util.has_progress_deadline(d) and not is_complete:
            subject = (
                f'ReplicaSet "{new_rs["metadata"]["name"]}"'
                if new_rs is not None
                else f'Deployment "{d["metadata"]["name"]}"'
            )
            if util.deployment_complete(d, status):
                util.set_condition(
                    status,
                    util.new_condition(
                        "Progressing",
                        "True",
                        util.NEW_RS_AVAILABLE_REASON,
                        f"{subject} has successfully progressed.",
                        self.now,
                    ),
                )
            elif util.deployment_progressing(d, status):
                condition = util.new_condition(
                    "Progressing",
                    "True",
                    util.REPLICA_SET_UPDATED_REASON,
                    f"{subject} is progressing.",
                    self.now,
                )
                if current is not None:
                    # progress refreshes lastUpdateTime even when the reason is unchanged
                    if current.get("status") == "True":
                        condition["lastTransitionTime"] = current["lastTransitionTime"]
                    util.remove_condition(status, "Progressing")
                util.set_condition(status, condition)
            elif util.deployment_timed_out(d, status, self.now):
                util.set_condition(
                    status,
                    util.new_condition(
                        "Progressing",
                        "False",
                        util.TIMED_OUT_REASON,
                        f"{subject} has timed out progressing.",
                        self.now,
                    ),
                )
        # kubesim's replica sets never report ReplicaFailure
        util.remove_condition(status, "ReplicaFailure")
        d["status"] = status

    def check_paused_conditions(self) -> None:
        """Progressing=Unknown while paused, so a resumed rollout does not time out at once."""
        d = self.d
        if not util.has_progress_deadline(d):
            return
        condition = util.get_condition(d["status"], "Progressing")
        if condition is not None and condition.get("reason") == util.TIMED_OUT_REASON:
            return
        paused_exists = (
            condition is not None and condition.get("reason") == util.PAUSED_DEPLOY_REASON
        )
        if d["spec"].get("paused") and not paused_exists:
            util.set_condition(
                d["status"],
                util.new_condition(
                    "Progressing",
                    "Unknown",
                    util.PAUSED_DEPLOY_REASON,
                    "Deployment is paused",
                    self.now,
                ),
            )
        elif not d["spec"].get("paused") and paused_exists:
            util.set_condition(
                d["status"],
                util.new_condition(
                    "Progressing",
                    "Unknown",
                    util.RESUMED_DEPLOY_REASON,
                    "Deployment is resumed",
                    self.now,
                ),
            )

    # --- bookkeeping -------------------------------------------------------------------------

    def mark(self, rs: Object) -> None:
        name = rs["metadata"]["name"]
        if name not in self.created and name not in self.dirty:
            self.dirty.append(name)

    def event(self, type_: str, reason: str, message: str) -> None:
        self.events.append(RecordEvent(self.original, type_, reason, message, COMPONENT))

    def changes(self) -> list[Change]:
        changes: list[Change] = list(self.released)
        changes += [Create(self.replica_sets[name]) for name in self.created]
        changes += [Update(self.replica_sets[name]) for name in self.dirty]
        for rs in self.deleted:
            m = rs["metadata"]
            changes.append(Delete(RS_RESOURCE, m["namespace"], m["name"], uid=m["uid"]))
        changes += self.events
        original, d = self.original, self.d
        wrote_metadata = False
        if (d["metadata"].get("annotations") or {}) != (
            original["metadata"].get("annotations") or {}
        ):
            # the revision annotation (Go writes it with the status, through the subresource)
            changes.append(Update({**original, "metadata": d["metadata"]}))
            wrote_metadata = True
        if d["status"] != (original.get("status") or {}):
            metadata = dict(original["metadata"])
            if wrote_metadata:
                metadata.pop("resourceVersion", None)
            changes.append(UpdateStatus({**original, "metadata": metadata, "status": d["status"]}))
        return changes


def _generation(obj: Object) -> int:
    return int(obj["metadata"].get("generation", 1))


def _set_min_ready_seconds(rs: Object, value: int) -> None:
    if value:
        rs["spec"]["minReadySeconds"] = value
    else:
        rs["spec"].pop("minReadySeconds", None)


def _old_pods_running(
    new_rs: Object | None, old_rss: list[Object], pod_map: dict[str, list[Object]]
) -> bool:
    """Any old replica set reports pods, or any pod of one is not finished (oldPodsRunning)."""
    if util.actual_replica_count(old_rss) > 0:
        return True
    new_uid = new_rs["metadata"].get("uid") if new_rs is not None else None
    for uid, pods in pod_map.items():
        if uid == new_uid:
            continue
        for pod in pods:
            if (pod.get("status") or {}).get("phase") not in ("Failed", "Succeeded"):
                return True
    return False
