"""Volume sources as describe prints them (describe.go describeVolumes and print*VolumeSource).

Each source prints a `Type:` line and its fields at LEVEL_2; the fields after the first are
written with a literal four-space indent inside the same Write, as describe.go does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from kubesim.api import quantity
from kubesim.printers.describe.common import (
    Context,
    Object,
    go_slice,
    go_value,
    print_annotations_multiline,
    print_labels_multiline,
)
from kubesim.printers.describe.writer import (
    LEVEL_0,
    LEVEL_1,
    LEVEL_2,
    LEVEL_3,
    NestedPrefixWriter,
    Writer,
)


def describe_volumes(volumes: Sequence[Object] | None, w: Writer, space: str) -> None:
    """describeVolumes: each volume's name, then its source; `Volumes:  <none>` when none."""
    if not volumes:
        w.write(LEVEL_0, f"{space}Volumes:\t<none>\n")
        return
    w.write(LEVEL_0, f"{space}Volumes:\n")
    for volume in volumes:
        name_indent = " " if space else ""
        w.write(LEVEL_1, f"{name_indent}{volume.get('name', '')}:\n")
        print_volume_source(volume, w, pod_volume=True)


# the simple sources: a Type line and `label: value` fields, with Go's zero value for an unset
# field (describe.go print<Source>VolumeSource)
Field = tuple[str, str, Any]  # label, JSON field, value when unset
Printer = Callable[[Object, Writer], None]
_SIMPLE: dict[str, tuple[str, tuple[Field, ...]]] = {
    "hostPath": ("HostPath (bare host directory volume)",
                 (("Path", "path", ""), ("HostPathType", "type", "<none>"))),
    "gcePersistentDisk": (
        "GCEPersistentDisk (a Persistent Disk resource in Google Compute Engine)",
        (("PDName", "pdName", ""), ("FSType", "fsType", ""), ("Partition", "partition", 0),
         ("ReadOnly", "readOnly", False))),
    "awsElasticBlockStore": (
        "AWSElasticBlockStore (a Persistent Disk resource in AWS)",
        (("VolumeID", "volumeID", ""), ("FSType", "fsType", ""), ("Partition", "partition", 0),
         ("ReadOnly", "readOnly", False))),
    "gitRepo": ("GitRepo (a volume that is pulled from git when the pod is created)",
                (("Repository", "repository", ""), ("Revision", "revision", ""))),
    "secret": ("Secret (a volume populated by a Secret)",
               (("SecretName", "secretName", ""), ("Optional", "optional", False))),
    "configMap": ("ConfigMap (a volume populated by a ConfigMap)",
                  (("Name", "name", ""), ("Optional", "optional", False))),
    "nfs": ("NFS (an NFS mount that lasts the lifetime of a pod)",
            (("Server", "server", ""), ("Path", "path", ""), ("ReadOnly", "readOnly", False))),
    "quobyte": ("Quobyte (a Quobyte mount on the host that shares a pod's lifetime)",
                (("Registry", "registry", ""), ("Volume", "volume", ""),
                 ("ReadOnly", "readOnly", False))),
    "portworxVolume": ("PortworxVolume (a Portworx Volume resource)",
                       (("VolumeID", "volumeID", ""),)),
    "glusterfs": ("Glusterfs (a Glusterfs mount on the host that shares a pod's lifetime)",
                  (("EndpointsName", "endpoints", ""), ("Path", "path", ""),
                   ("ReadOnly", "readOnly", False))),
    "persistentVolumeClaim": (
        "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
        (("ClaimName", "claimName", ""), ("ReadOnly", "readOnly", False))),
    "vsphereVolume": ("vSphereVolume (a Persistent Disk resource in vSphere)",
                      (("VolumePath", "volumePath", ""), ("FSType", "fsType", ""),
                       ("StoragePolicyName", "storagePolicyName", ""))),
    "photonPersistentDisk": ("PhotonPersistentDisk (a Persistent Disk resource in photon platform)",
                             (("PdID", "pdID", ""), ("FSType", "fsType", ""))),
    "local": ("LocalVolume (a persistent volume backed by local storage on a node)",
              (("Path", "path", ""),)),
    "azureFile": ("AzureFile (an Azure File Service mount on the host and bind mount to the pod)",
                  (("SecretName", "secretName", ""), ("ShareName", "shareName", ""),
                   ("ReadOnly", "readOnly", False))),
    "flocker": ("Flocker (a Flocker volume mounted by the Flocker agent)",
                (("DatasetName", "datasetName", ""), ("DatasetUUID", "datasetUUID", ""))),
    "image": ("Image (a container image or OCI artifact)",
              (("Reference", "reference", ""), ("PullPolicy", "pullPolicy", ""))),
}  # fmt: skip

# the PersistentVolume variants of a few sources print more fields
_SIMPLE_PV: dict[str, tuple[str, tuple[Field, ...]]] = {
    **_SIMPLE,
    "glusterfs": ("Glusterfs (a Glusterfs mount on the host that shares a pod's lifetime)",
                  (("EndpointsName", "endpoints", ""),
                   ("EndpointsNamespace", "endpointsNamespace", "<unset>"),
                   ("Path", "path", ""), ("ReadOnly", "readOnly", False))),
    "azureFile": ("AzureFile (an Azure File Service mount on the host and bind mount to the pod)",
                  (("SecretName", "secretName", ""), ("SecretNamespace", "secretNamespace", ""),
                   ("ShareName", "shareName", ""), ("ReadOnly", "readOnly", False))),
}  # fmt: skip


def _simple(table: dict[str, tuple[str, tuple[Field, ...]]], field: str) -> Printer:
    type_line, fields = table[field]

    def printer(source: Object, w: Writer) -> None:
        text = f"Type:\t{type_line}\n"
        for label, key, unset in fields:
            value = source.get(key)
            text += f"    {label}:\t{go_value(unset if value is None else value)}\n"
        w.write(LEVEL_2, text)

    return printer


def print_volume_source(spec: Object, w: Writer, *, pod_volume: bool) -> None:
    """The source printer for the first source field set in a volume or a PV spec."""
    for field, printer in _POD_SOURCES if pod_volume else _PV_SOURCES:
        source = spec.get(field)
        if source is not None:
            printer(source, w)
            return
    w.write(LEVEL_1, "<unknown>\n")


def _empty_dir(s: Object, w: Writer) -> None:
    limit = quantity.parse(s.get("sizeLimit"))
    size = str(limit) if limit.value > 0 else "<unset>"
    w.write(
        LEVEL_2,
        "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n"
        f"    Medium:\t{s.get('medium', '')}\n    SizeLimit:\t{size}\n",
    )


def _optional_pointer(source: Object) -> str:
    """%v of a *bool in v1.32's projected printer: <nil>, else Go prints the pointer itself."""
    return "<nil>" if source.get("optional") is None else "0xc000a1b2c8"


def _projected(s: Object, w: Writer) -> None:
    # v1.32 printProjectedVolumeSource: the Optional fields print the *bool (fixed in v1.33)
    w.write(
        LEVEL_2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n"
    )
    for source in s.get("sources") or []:
        if source.get("secret") is not None:
            secret = source["secret"]
            w.write(
                LEVEL_2,
                f"SecretName:\t{secret.get('name', '')}\n"
                f"    SecretOptionalName:\t{_optional_pointer(secret)}\n",
            )
        elif source.get("downwardAPI") is not None:
            w.write(LEVEL_2, "DownwardAPI:\ttrue\n")
        elif source.get("configMap") is not None:
            config = source["configMap"]
            w.write(
                LEVEL_2,
                f"ConfigMapName:\t{config.get('name', '')}\n"
                f"    ConfigMapOptional:\t{_optional_pointer(config)}\n",
            )
        elif source.get("serviceAccountToken") is not None:
            seconds = int(source["serviceAccountToken"].get("expirationSeconds") or 0)
            w.write(LEVEL_2, f"TokenExpirationSeconds:\t{seconds}\n")


def _ephemeral(s: Object, w: Writer) -> None:
    w.write(
        LEVEL_2,
        "Type:\tEphemeralVolume (an inline specification for a volume that gets created and "
        "deleted with the pod)\n",
    )
    template = s.get("volumeClaimTemplate")
    if template is not None:
        claim = {"metadata": template.get("metadata") or {}, "spec": template.get("spec") or {}}
        print_persistent_volume_claim(NestedPrefixWriter(w, LEVEL_2), claim, None)


def _downward_api(s: Object, w: Writer) -> None:
    w.write(
        LEVEL_2,
        "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n",
    )
    for item in s.get("items") or []:
        path = item.get("path", "")
        if item.get("fieldRef") is not None:
            w.write(LEVEL_3, f"{item['fieldRef'].get('fieldPath', '')} -> {path}\n")
        if item.get("resourceFieldRef") is not None:
            w.write(LEVEL_3, f"{item['resourceFieldRef'].get('resource', '')} -> {path}\n")


def _fc(s: Object, w: Writer) -> None:
    lun = "<none>" if s.get("lun") is None else str(s["lun"])
    w.write(
        LEVEL_2,
        "Type:\tFC (a Fibre Channel disk)\n"
        f"    TargetWWNs:\t{', '.join(s.get('targetWWNs') or [])}\n    LUN:\t{lun}\n"
        f"    FSType:\t{s.get('fsType', '')}\n    ReadOnly:\t{go_value(bool(s.get('readOnly')))}\n",
    )


def _csi_attributes(w: Writer, attributes: Object | None) -> None:
    """printCSIPersistentVolumeAttributesMultilineIndent: `key=value` lines cut at 140."""
    w.write(LEVEL_2, "VolumeAttributes:\t")
    if not attributes:
        w.write_line("<none>")
        return
    for i, key in enumerate(sorted(attributes)):
        if i != 0:
            w.write(LEVEL_2, "")
            w.write(LEVEL_2, "\t")
        line = f"{key}={attributes[key]}"
        w.write(LEVEL_2, f"{line[:140]}...\n" if len(line) > 140 else f"{line}\n")


def _csi(s: Object, w: Writer) -> None:
    w.write(
        LEVEL_2,
        "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n"
        f"    Driver:\t{s.get('driver', '')}\n    FSType:\t{s.get('fsType') or ''}\n"
        f"    ReadOnly:\t{go_value(bool(s.get('readOnly')))}\n",
    )
    _csi_attributes(w, s.get("volumeAttributes"))


def _csi_pv(s: Object, w: Writer) -> None:
    w.write(
        LEVEL_2,
        "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n"
        f"    Driver:\t{s.get('driver', '')}\n    FSType:\t{s.get('fsType', '')}\n"
        f"    VolumeHandle:\t{s.get('volumeHandle', '')}\n"
        f"    ReadOnly:\t{go_value(bool(s.get('readOnly')))}\n",
    )
    _csi_attributes(w, s.get("volumeAttributes"))


# in the order of describeVolumes' switch; sources whose fields print Go structs (iSCSI, RBD,
# Cinder, CephFS, ScaleIO, StorageOS, FlexVolume, AzureDisk) are not described
_POD_SOURCES: list[tuple[str, Printer]] = [
    *((field, _simple(_SIMPLE, field)) for field in (
        "hostPath", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret",
        "configMap", "nfs", "glusterfs", "persistentVolumeClaim", "quobyte", "vsphereVolume",
        "photonPersistentDisk", "portworxVolume", "azureFile", "flocker", "image")),
    ("emptyDir", _empty_dir), ("ephemeral", _ephemeral), ("downwardAPI", _downward_api),
    ("fc", _fc), ("projected", _projected), ("csi", _csi),
]  # fmt: skip

# in the order of describePersistentVolume's switch
_PV_SOURCES: list[tuple[str, Printer]] = [
    *((field, _simple(_SIMPLE_PV, field)) for field in (
        "hostPath", "gcePersistentDisk", "awsElasticBlockStore", "nfs", "glusterfs", "quobyte",
        "vsphereVolume", "photonPersistentDisk", "portworxVolume", "local", "azureFile",
        "flocker")),
    ("fc", _fc), ("csi", _csi_pv),
]  # fmt: skip


def describe_volume_claim_templates(templates: Sequence[Object] | None, w: Writer) -> None:
    """describeVolumeClaimTemplates (StatefulSet): name, class, labels, capacity, modes."""
    if not templates:
        w.write(LEVEL_0, "Volume Claims:\t<none>\n")
        return
    w.write(LEVEL_0, "Volume Claims:\n")
    for claim in templates:
        md, spec = claim.get("metadata") or {}, claim.get("spec") or {}
        w.write(LEVEL_1, f"Name:\t{md.get('name', '')}\n")
        w.write(LEVEL_1, f"StorageClass:\t{claim_class(claim)}\n")
        print_labels_multiline(w, "Labels", md.get("labels"), initial_indent="  ")
        print_labels_multiline(w, "Annotations", md.get("annotations"), initial_indent="  ")
        requests = (spec.get("resources") or {}).get("requests") or {}
        capacity = quantity.canonical(requests["storage"]) if "storage" in requests else "<default>"
        w.write(LEVEL_1, f"Capacity:\t{capacity}\n")
        w.write(LEVEL_1, f"Access Modes:\t{go_slice(spec.get('accessModes'))}\n")


BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class"


def claim_class(claim: Object) -> str:
    """storageutil.GetPersistentVolumeClaimClass: the beta annotation, else storageClassName."""
    annotations = (claim.get("metadata") or {}).get("annotations") or {}
    if BETA_STORAGE_CLASS in annotations:
        return str(annotations[BETA_STORAGE_CLASS])
    return str((claim.get("spec") or {}).get("storageClassName") or "")


def print_persistent_volume_claim(w: Writer, claim: Object, ctx: Context | None) -> None:
    """printPersistentVolumeClaim; `ctx` is None for an ephemeral volume's claim template,
    which skips the fields a template has no meaning for (name, status, finalizers)."""
    md, spec, status = (
        claim.get("metadata") or {},
        claim.get("spec") or {},
        claim.get("status") or {},
    )
    if ctx is not None:
        w.write(LEVEL_0, f"Name:\t{md.get('name', '')}\n")
        w.write(LEVEL_0, f"Namespace:\t{md.get('namespace', '')}\n")
    w.write(LEVEL_0, f"StorageClass:\t{claim_class(claim)}\n")
    if ctx is not None:
        if md.get("deletionTimestamp"):
            w.write(LEVEL_0, f"Status:\tTerminating (lasts {ctx.since(md['deletionTimestamp'])})\n")
        else:
            w.write(LEVEL_0, f"Status:\t{status.get('phase', '')}\n")
    w.write(LEVEL_0, f"Volume:\t{spec.get('volumeName', '')}\n")
    print_labels_multiline(w, "Labels", md.get("labels"))
    print_annotations_multiline(w, "Annotations", md.get("annotations"))
    if ctx is not None:
        w.write(LEVEL_0, f"Finalizers:\t{go_slice(md.get('finalizers'))}\n")
    capacity, access_modes = "", ""
    if spec.get("volumeName"):
        access_modes = access_modes_string(status.get("accessModes"))
        capacity = quantity.canonical((status.get("capacity") or {}).get("storage"))
    w.write(LEVEL_0, f"Capacity:\t{capacity}\n")
    w.write(LEVEL_0, f"Access Modes:\t{access_modes}\n")
    if spec.get("volumeMode") is not None:
        w.write(LEVEL_0, f"VolumeMode:\t{spec['volumeMode']}\n")
    source = spec.get("dataSource")
    if source is not None:
        w.write(LEVEL_0, "DataSource:\n")
        if source.get("apiGroup") is not None:
            w.write(LEVEL_1, f"APIGroup:\t{source['apiGroup']}\n")
        w.write(LEVEL_1, f"Kind:\t{source.get('kind', '')}\n")
        w.write(LEVEL_1, f"Name:\t{source.get('name', '')}\n")


_ACCESS_MODES = (
    ("ReadWriteOnce", "RWO"),
    ("ReadOnlyMany", "ROX"),
    ("ReadWriteMany", "RWX"),
    ("ReadWriteOncePod", "RWOP"),
)


def access_modes_string(modes: Sequence[str] | None) -> str:
    """storageutil.GetAccessModesAsString: always in the order RWO,ROX,RWX,RWOP."""
    present = set(modes or ())
    return ",".join(short for mode, short in _ACCESS_MODES if mode in present)
