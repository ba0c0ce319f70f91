"""`kubectl describe` for PersistentVolumeClaims, PersistentVolumes, StorageClasses and
ConfigMaps (describe.go describePersistentVolumeClaim, describePersistentVolume,
describeStorageClass, ConfigMapDescriber)."""

from __future__ import annotations

import base64
import binascii

from kubesim.api import quantity
from kubesim.printers.describe.common import (
    Context,
    Object,
    format_labels,
    go_slice,
    metadata,
    print_annotations_multiline,
    print_bool_ptr,
    print_labels_multiline,
    print_names_multiline,
)
from kubesim.printers.describe.events import describe_events, events_for
from kubesim.printers.describe.volumes import (
    access_modes_string,
    print_persistent_volume_claim,
    print_volume_source,
)
from kubesim.printers.describe.writer import LEVEL_0, LEVEL_1, LEVEL_2, PrefixWriter, Writer


def pods_using_claim(ctx: Context, claim: Object) -> list[str]:
    """getPodsForPVC: pods with a volume naming the claim, then pods owning it (ephemeral)."""
    from kubesim.store import indexes

    md = metadata(claim)
    namespace = md.get("namespace") or None
    using = ctx.indexed(indexes.CLAIM, str(md.get("name", "")), "pods", namespace)
    for ref in md.get("ownerReferences") or []:
        if ref.get("kind") != "Pod":
            continue
        owners = ctx.indexed(indexes.UID, str(ref.get("uid", "")), "pods", namespace)
        owner = owners[0] if owners else None
        if owner is not None and all(p is not owner for p in using):
            using.append(owner)
    return [str(metadata(p).get("name", "")) for p in using]


def describe_persistent_volume_claim(ctx: Context, claim: Object) -> str:
    events = events_for(ctx, claim)
    w = PrefixWriter()
    print_persistent_volume_claim(w, claim, ctx)
    print_names_multiline(w, "Used By", pods_using_claim(ctx, claim))
    conditions = (claim.get("status") or {}).get("conditions") or []
    if conditions:
        w.write(LEVEL_0, "Conditions:\n")
        w.write(LEVEL_1, "Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n")
        w.write(LEVEL_1, "----\t------\t-----------------\t------------------\t------\t-------\n")
        for c in conditions:
            w.write(
                LEVEL_1,
                f"{c.get('type', '')} \t{c.get('status', '')} \t"
                f"{ctx.rfc1123z(c.get('lastProbeTime'))} \t"
                f"{ctx.rfc1123z(c.get('lastTransitionTime'))} \t{c.get('reason', '')} \t"
                f"{c.get('message', '')}\n",
            )
    if events is not None:
        describe_events(ctx, events, w)
    return w.text()


def volume_class(volume: Object) -> str:
    """storageutil.GetPersistentVolumeClass: the beta annotation, else storageClassName."""
    annotations = metadata(volume).get("annotations") or {}
    if "volume.beta.kubernetes.io/storage-class" in annotations:
        return str(annotations["volume.beta.kubernetes.io/storage-class"])
    return str((volume.get("spec") or {}).get("storageClassName") or "")


def _node_affinity(affinity: Object | None, w: Writer) -> None:
    """printVolumeNodeAffinity: the required node selector terms, one expression a line."""
    w.write(LEVEL_0, "Node Affinity:\t")
    required = (affinity or {}).get("required")
    if required is None:
        w.write_line("<none>")
        return
    w.write_line("")
    w.write(LEVEL_1, "Required Terms:\t")
    terms = required.get("nodeSelectorTerms") or []
    if not terms:
        w.write_line("<none>")
        return
    w.write_line("")
    for i, term in enumerate(terms):
        w.write(LEVEL_2, f"Term {i}:\t")
        expressions = term.get("matchExpressions") or []
        if not expressions:
            w.write_line("<none>")
            continue
        for j, req in enumerate(expressions):
            if j != 0:
                w.write(LEVEL_2, "\t")
            text = f"{req.get('key', '')} {str(req.get('operator', '')).lower()}"
            if req.get("values"):
                text += f" [{', '.join(req['values'])}]"
            w.write(LEVEL_0, text + "\n")


def describe_persistent_volume(ctx: Context, volume: Object) -> str:
    md, spec, status = metadata(volume), volume.get("spec") or {}, volume.get("status") or {}
    events = events_for(ctx, volume)
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{md.get('name', '')}\n")
    print_labels_multiline(w, "Labels", md.get("labels"))
    print_annotations_multiline(w, "Annotations", md.get("annotations"))
    w.write(LEVEL_0, f"Finalizers:\t{go_slice(md.get('finalizers'))}\n")
    w.write(LEVEL_0, f"StorageClass:\t{volume_class(volume)}\n")
    if md.get("deletionTimestamp"):
        w.write(LEVEL_0, f"Status:\tTerminating (lasts {ctx.since(md['deletionTimestamp'])})\n")
    else:
        w.write(LEVEL_0, f"Status:\t{status.get('phase', '')}\n")
    claim = spec.get("claimRef")
    claim_text = (
        f"{claim.get('namespace', '')}/{claim.get('name', '')}" if claim is not None else ""
    )
    w.write(LEVEL_0, f"Claim:\t{claim_text}\n")
    w.write(LEVEL_0, f"Reclaim Policy:\t{spec.get('persistentVolumeReclaimPolicy', '')}\n")
    w.write(LEVEL_0, f"Access Modes:\t{access_modes_string(spec.get('accessModes'))}\n")
    if spec.get("volumeMode") is not None:
        w.write(LEVEL_0, f"VolumeMode:\t{spec['volumeMode']}\n")
    w.write(
        LEVEL_0, f"Capacity:\t{quantity.canonical((spec.get('capacity') or {}).get('storage'))}\n"
    )
    _node_affinity(spec.get("nodeAffinity"), w)
    w.write(LEVEL_0, f"Message:\t{status.get('message', '')}\n")
    w.write(LEVEL_0, "Source:\n")
    print_volume_source(spec, w, pod_volume=False)
    if events is not None:
        describe_events(ctx, events, w)
    return w.text()


IS_DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class"
BETA_IS_DEFAULT_CLASS = "storageclass.beta.kubernetes.io/is-default-class"


def describe_storage_class(ctx: Context, sc: Object) -> str:
    md = metadata(sc)
    annotations = md.get("annotations") or {}
    events = events_for(ctx, sc)
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{md.get('name', '')}\n")
    default = "true" in (annotations.get(IS_DEFAULT_CLASS), annotations.get(BETA_IS_DEFAULT_CLASS))
    w.write(LEVEL_0, f"IsDefaultClass:\t{'Yes' if default else 'No'}\n")
    w.write(LEVEL_0, f"Annotations:\t{format_labels(annotations)}\n")
    w.write(LEVEL_0, f"Provisioner:\t{sc.get('provisioner', '')}\n")
    w.write(LEVEL_0, f"Parameters:\t{format_labels(sc.get('parameters'))}\n")
    w.write(LEVEL_0, f"AllowVolumeExpansion:\t{print_bool_ptr(sc.get('allowVolumeExpansion'))}\n")
    options = sc.get("mountOptions") or []
    if not options:
        w.write(LEVEL_0, "MountOptions:\t<none>\n")
    else:
        w.write(LEVEL_0, "MountOptions:\n")
        for option in options:
            w.write(LEVEL_1, f"{option}\n")
    if sc.get("reclaimPolicy") is not None:
        w.write(LEVEL_0, f"ReclaimPolicy:\t{sc['reclaimPolicy']}\n")
    if sc.get("volumeBindingMode") is not None:
        w.write(LEVEL_0, f"VolumeBindingMode:\t{sc['volumeBindingMode']}\n")
    if sc.get("allowedTopologies") is not None:
        _allowed_topologies(sc["allowedTopologies"], w)
    if events is not None:
        describe_events(ctx, events, w)
    return w.text()


def _allowed_topologies(terms: list[Object], w: Writer) -> None:
    w.write(LEVEL_0, "AllowedTopologies:\t")
    if not terms:
        w.write_line("<none>")
        return
    w.write_line("")
    for i, term in enumerate(terms):
        w.write(LEVEL_1, f"Term {i}:\t")
        expressions = term.get("matchLabelExpressions") or []
        if not expressions:
            w.write_line("<none>")
            continue
        for j, req in enumerate(expressions):
            if j != 0:
                w.write(LEVEL_1, "\t")
            text = f"{req.get('key', '')} in"
            if req.get("values"):
                text += f" [{', '.join(req['values'])}]"
            w.write(LEVEL_0, text + "\n")


def _decoded_length(value: str) -> int:
    try:
        return len(base64.b64decode(value, validate=True))
    except (binascii.Error, ValueError):
        return len(value)


def describe_config_map(ctx: Context, config_map: Object) -> str:
    """ConfigMapDescriber: each key with its value, then binary keys with their sizes.

    kubectl ranges over the Go maps, so its key order varies from run to run; kubesim prints
    the keys sorted, one of the orders kubectl prints.
    """
    md = metadata(config_map)
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{md.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{md.get('namespace', '')}\n")
    print_labels_multiline(w, "Labels", md.get("labels"))
    print_annotations_multiline(w, "Annotations", md.get("annotations"))
    w.write(LEVEL_0, "\nData\n====\n")
    data = config_map.get("data") or {}
    for key in sorted(data):
        w.write(LEVEL_0, f"{key}:\n----\n")
        w.write(LEVEL_0, f"{data[key]}\n")
        w.write(LEVEL_0, "\n")
    w.write(LEVEL_0, "\nBinaryData\n====\n")
    binary = config_map.get("binaryData") or {}
    for key in sorted(binary):
        w.write(LEVEL_0, f"{key}: {_decoded_length(str(binary[key]))} bytes\n")
    w.write(LEVEL_0, "\n")
    events = events_for(ctx, config_map)
    if events is not None:
        describe_events(ctx, events, w)
    return w.text()
