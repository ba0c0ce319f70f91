"""kustomize, as kubectl v1.32 embeds it (kustomize v5.5.0): a kustomization directory built
into the objects `kubectl kustomize DIR` prints and `apply -k DIR` applies.

The build mirrors api/internal/target/kusttarget.go. For each kustomization, its resources (files
and the directories of other kustomizations, built first) are gathered, its generators add their
ConfigMaps and Secrets, then its transformers run in kustomize's order: patchesStrategicMerge,
patches, namespace, namePrefix, nameSuffix, labels and commonLabels, commonAnnotations,
patchesJson6902, replicas, images. At the top, generated names get their content hash, every
reference to a renamed object (a ConfigMap in an envFrom, a Service in a StatefulSet's
serviceName...) follows it, and the objects are put in kustomize's legacy order.

Pure: files come through a FileSystem (kustomize_files); deprecation warnings go to the `warn`
callback; errors are KustomizeError with kustomize's text. What kustomize supports and kubesim
does not (components, replacements, vars, helm charts, plugins...) is refused by name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kubesim.kubectl import kustomize_types
from kubesim.kubectl.kustomize_config import FieldSpec, default_config, merge_all, merge_one
from kubesim.kubectl.kustomize_files import FileSystem, Loader
from kubesim.kubectl.kustomize_resource import Gvk, KustomizeError, ResMap, Resource
from kubesim.kubectl.kustomize_yaml import to_yaml

Object = dict[str, Any]

KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")

# fields kustomize acts on that kubesim does not simulate
UNSUPPORTED = (
    "components", "crds", "configurations", "generators", "transformers", "validators",
    "replacements", "vars", "openapi", "buildMetadata", "helmGlobals",
)  # fmt: skip

__all__ = ["KustomizeError", "build", "render"]


@dataclass
class _Target:
    """KustTarget: one kustomization and the loader rooted at its directory."""

    loader: Loader
    k: Object
    warn: Callable[[str], None] = field(repr=False)
    enable_helm: bool = False


def build(
    path: str,
    fs: FileSystem,
    *,
    load_restrictor: str = "LoadRestrictionsRootOnly",
    warn: Callable[[str], None] | None = None,
    enable_helm: bool = False,
) -> list[Object]:
    """krusty.Kustomizer.Run: the objects of the kustomization at `path`, in output order."""
    if load_restrictor not in ("LoadRestrictionsRootOnly", "LoadRestrictionsNone"):
        raise KustomizeError(
            f"illegal flag value --load-restrictor {load_restrictor}; legal values: "
            "[LoadRestrictionsRootOnly LoadRestrictionsNone]"
        )
    loader = Loader.at(fs, path, restrict=load_restrictor == "LoadRestrictionsRootOnly")
    target = _load(loader, warn or (lambda message: None), enable_helm)
    resources = _accumulate(target)
    from kubesim.kubectl import kustomize_transformers as tr

    tr.add_hashes(resources)
    from kubesim.kubectl.kustomize_nameref import fix_name_references

    fix_name_references(resources, default_config()["nameReference"])
    resources.resources = [r for r in resources if not _is_local(r)]
    _sort(resources, target.k.get("sortOptions"))
    for res in resources:
        res.remove_build_annotations()
        annotations = res.annotations()
        for key in ("config.kubernetes.io/origin", "alpha.config.kubernetes.io/transformations"):
            if key in annotations:
                del annotations[key]
                res.set_annotations(annotations)
    from kubesim.kubectl.kustomize_yaml import duplicate_keys_error

    for res in resources:
        problem = duplicate_keys_error(res.obj)
        if problem:
            raise KustomizeError(problem)
    return [r.obj for r in resources]


def render(objects: list[Object]) -> str:
    """resmap.AsYaml: each object as YAML, separated by `---` lines."""
    return "---\n".join(to_yaml(obj) for obj in objects)


def individual_files(objects: list[Object]) -> list[tuple[str, str]]:
    """Writer.WriteIndividualFiles (`-o DIR`): each object in a file named
    `[namespace_]group_version_kind_name.yaml`, lower-cased, namespaced objects by namespace
    first (the namespace in the name only when there are several), then cluster-scoped ones."""
    by_namespace: dict[str, list[Resource]] = {}
    cluster_scoped: list[Resource] = []
    for obj in objects:
        res = Resource(obj)
        namespace = res.cur_id().effective_namespace()
        if res.cur_id().is_cluster_scoped:
            cluster_scoped.append(res)
        else:
            by_namespace.setdefault(namespace, []).append(res)

    def file_name(res: Resource) -> str:
        gvk = res.gvk()
        parts = [p for p in (gvk.group, gvk.version, gvk.kind) if p]
        return f"{'_'.join(parts).lower()}_{res.name.lower()}.yaml"

    files = []
    for namespace, group in by_namespace.items():
        for res in group:
            prefix = f"{namespace.lower()}_" if len(by_namespace) > 1 else ""
            files.append((prefix + file_name(res), to_yaml(res.obj)))
    files += [(file_name(res), to_yaml(res.obj)) for res in cluster_scoped]
    return files


def _is_local(res: Resource) -> bool:
    """config.kubernetes.io/local-config: objects for kustomize only, never output."""
    value = res.annotations().get("config.kubernetes.io/local-config")
    return value is not None and value != "false"


def _sort(resources: ResMap, options: Object | None) -> None:
    """SortOrderTransformer: legacy order unless the kustomization asks for fifo."""
    from kubesim.kubectl.kustomize_transformers import ORDER_FIRST, ORDER_LAST, legacy_sort

    if options is None:
        legacy_sort(resources)
        return
    order = options.get("order") or ""
    if order not in ("fifo", "legacy"):
        raise KustomizeError("the field 'sortOptions.order' must be one of [fifo, legacy]")
    legacy = options.get("legacySortOptions")
    if order == "fifo":
        if legacy is not None:
            raise KustomizeError(
                "the field 'sortOptions.legacySortOptions' is set but the selected sort order "
                "is 'fifo', not 'legacy'"
            )
        return
    if legacy is None:
        legacy_sort(resources, ORDER_FIRST, ORDER_LAST)
    else:
        legacy_sort(resources, legacy.get("orderFirst") or [], legacy.get("orderLast") or [])


# --- loading a kustomization --------------------------------------------------------------------


def _load(loader: Loader, warn: Callable[[str], None], enable_helm: bool = False) -> _Target:
    """KustTarget.Load: the one kustomization file of the directory, read and checked."""
    found = []
    for name in KUSTOMIZATION_FILES:
        try:
            found.append(loader.load(name))
        except KustomizeError:
            continue
    if not found:
        names = ", ".join(f"'{n}'" for n in KUSTOMIZATION_FILES[:-1])
        raise KustomizeError(
            f"unable to find one of {names} or '{KUSTOMIZATION_FILES[-1]}' in directory "
            f"'{loader.root}'"
        )
    if len(found) > 1:
        raise KustomizeError(f"Found multiple kustomization files under: {loader.root}\n")
    k = kustomize_types.read(found[0].decode("utf-8", "replace"))
    for message in kustomize_types.deprecation_warnings(k):
        warn(message)
    k = kustomize_types.fix(k)
    if kustomize_types.is_empty(k):
        raise KustomizeError("kustomization.yaml is empty")
    errors = kustomize_types.enforce_fields(k)
    if errors:
        raise KustomizeError(
            f"Failed to read kustomization file under {loader.root}:\n" + "\n".join(errors)
        )
    return _Target(loader, k, warn, enable_helm)


def _refuse_unsupported(target: _Target) -> None:
    k = target.k
    if (k.get("helmCharts") or k.get("helmChartInflationGenerator")) and target.enable_helm:
        raise KustomizeError(
            f"kubesim does not run helm: the helm charts of {target.loader.root} cannot be "
            "inflated; run helm template and add its output to the kustomization's resources"
        )
    if k.get("helmCharts") or k.get("helmChartInflationGenerator"):
        chart = (k.get("helmCharts") or k.get("helmChartInflationGenerator") or [None])[0]
        raise KustomizeError(
            "trouble configuring builtin HelmChartInflationGenerator with config: "
            f"`\n{to_yaml(chart)}`: must specify --enable-helm"
        )
    for name in UNSUPPORTED:
        if k.get(name):
            raise KustomizeError(
                f"kubesim does not simulate the kustomization field '{name}' (in "
                f"{target.loader.root}); build this kustomization with kubectl kustomize and "
                "apply its output with -f"
            )
    if k.get("kind") == "Component":
        raise KustomizeError(f"expected kind != 'Component' for path '{target.loader.root}'")


# --- accumulation ---------------------------------------------------------------------------


def _accumulate(target: _Target) -> ResMap:
    """KustTarget.accumulateTarget: resources, generators, transformers."""
    _refuse_unsupported(target)
    resources = ResMap()
    try:
        _accumulate_resources(target, resources, list(target.k.get("resources") or []))
    except KustomizeError as err:
        raise KustomizeError(f"accumulating resources: {err}") from None
    _run_generators(target, resources)
    _run_transformers(target, resources)
    return resources


def _accumulate_resources(target: _Target, resources: ResMap, paths: list[str]) -> None:
    for path in paths:
        try:
            _accumulate_file(target, resources, path)
            continue
        except KustomizeError as err:
            file_error = str(err)
        try:
            base = target.loader.new(path)
        except KustomizeError as err:
            if "MalformedYAMLError" in file_error:
                raise KustomizeError(file_error) from None
            raise KustomizeError(f"accumulation err='{file_error}': {err}") from None
        try:
            _accumulate_directory(target, resources, base)
        except KustomizeError as err:
            raise KustomizeError(f"accumulation err='{file_error}': {err}") from None


def _accumulate_file(target: _Target, resources: ResMap, path: str) -> None:
    from kubesim.kubectl.kustomize_patches import resources_from_text

    try:
        content = target.loader.load(path)
        try:
            found = ResMap(resources_from_text(content.decode("utf-8", "replace")))
        except KustomizeError as err:
            text = str(err)
            if "MalformedYAMLError" in text:
                text = f"{text} in File: {path}"
            raise KustomizeError(text) from None
        try:
            resources.append_all(found)
        except KustomizeError as err:
            raise KustomizeError(f"merging resources from '{path}': {err}") from None
    except KustomizeError as err:
        raise KustomizeError(f"accumulating resources from '{path}': {err}") from None


def _accumulate_directory(target: _Target, resources: ResMap, loader: Loader) -> None:
    try:
        sub = _load(loader, target.warn, target.enable_helm)
    except KustomizeError as err:
        raise KustomizeError(f"couldn't make target for path '{loader.root}': {err}") from None
    if sub.k.get("kind") == "Component":
        raise KustomizeError(f"expected kind != 'Component' for path '{loader.root}'")
    try:
        built = _accumulate(sub)
    except KustomizeError as err:
        raise KustomizeError(f"recursed accumulation of path '{loader.root}': {err}") from None
    try:
        resources.append_all(built)
    except KustomizeError as err:
        raise KustomizeError(f"recursed merging from path '{loader.root}': {err}") from None


# --- generators ---------------------------------------------------------------------------------


def _run_generators(target: _Target, resources: ResMap) -> None:
    """configMapGenerator then secretGenerator, each object absorbed (created, merged or
    replaced as its behavior says)."""
    from kubesim.kubectl.kustomize_generators import (
        make_configmap,
        make_secret,
        merge_global_options,
    )

    global_options = target.k.get("generatorOptions")
    made: list[Resource] = []
    for key, make in (("configMapGenerator", make_configmap), ("secretGenerator", make_secret)):
        for args in target.k.get(key) or []:
            args = {**args, "options": merge_global_options(args.get("options"), global_options)}
            made.append(make(args, target.loader))
    for res in made:
        _absorb(resources, res)


def _go_res_id(res: Resource) -> str:
    """A ResId as Go's %#v prints it."""
    gvk = res.gvk()
    scoped = "true" if gvk.cluster_scoped else "false"
    return (
        f'resid.ResId{{Gvk:resid.Gvk{{Group:"{gvk.group}", Version:"{gvk.version}", '
        f'Kind:"{gvk.kind}", isClusterScoped:{scoped}}}, Name:"{res.name}", '
        f'Namespace:"{res.namespace}"}}'
    )


def _absorb(resources: ResMap, res: Resource) -> None:
    """ra.AbsorbAll of one generated object: kustomize names the generator by its Go pointer
    (`&{0xc000... <nil>}`), so any address is as right as another."""
    try:
        _append_replace_or_merge(resources, res)
    except KustomizeError as err:
        raise KustomizeError(f"merging from generator &{{0xc000564680 <nil>}}: {err}") from None


def _append_replace_or_merge(resources: ResMap, res: Resource) -> None:
    """resWrangler.appendReplaceOrMerge."""
    matches = resources.by_any_id(res.cur_id())
    behavior = res.behavior()
    if not matches:
        if behavior in ("merge", "replace"):
            raise KustomizeError(f"id {_go_res_id(res)} does not exist; cannot merge or replace")
        resources.append(res)
        return
    if len(matches) > 1:
        raise KustomizeError(
            f"found multiple objects {matches} that could accept merge of {res.cur_id()}"
        )
    old = matches[0]
    if behavior == "replace":
        res.copy_merge_metadata_from(old)
    elif behavior == "merge":
        res.copy_merge_metadata_from(old)
        _merge_data(res, old, "data")
        _merge_data(res, old, "binaryData")
    else:
        raise KustomizeError(f"id {_go_res_id(res)} exists; behavior must be merge or replace")
    resources.replace(old, res)


def _merge_data(res: Resource, old: Resource, field_name: str) -> None:
    """MergeDataMapFrom: the old object's entries, overridden by the new one's."""
    from kubesim.kubectl.kustomize_resource import _scalar_text

    def entries(obj: Object) -> dict[str, str]:
        values = obj.get(field_name)
        if not isinstance(values, dict):
            return {}
        return {str(k): _scalar_text(v) for k, v in values.items()}

    merged = {**entries(old.obj), **entries(res.obj)}
    res.obj.pop(field_name, None)
    if merged:
        res.obj[field_name] = {k: merged[k] for k in sorted(merged)}


# --- transformers -------------------------------------------------------------------------------


def _label_specs(label: Object, config: dict[str, Any]) -> list[FieldSpec]:
    """The field specs of one `labels` entry: its own fields, then selectors and templates
    (includeSelectors), or templates (includeTemplates), or metadata/labels alone."""
    from kubesim.kubectl.kustomize_config import field_spec

    specs = [field_spec(f) for f in label.get("fields") or []]
    try:
        if label.get("includeSelectors"):
            specs = merge_all(specs, config["commonLabels"])
        else:
            if label.get("includeTemplates"):
                specs = merge_all(specs, config["templateLabels"])
            specs = merge_one(specs, FieldSpec(Gvk(), "metadata/labels", True))
    except ValueError as err:
        raise KustomizeError(f"failed to merge labels: {err}") from None
    return specs


def _run_transformers(target: _Target, resources: ResMap) -> None:
    """The builtin transformers, configured first (so a bad patch fails before any runs),
    then run in kustomize's order."""
    from kubesim.kubectl import kustomize_patches as patches
    from kubesim.kubectl import kustomize_transformers as tr

    k = target.k
    config = default_config()
    steps: list[Callable[[], None]] = []
    if k.get("patchesStrategicMerge"):
        psm = patches.PatchesStrategicMerge(list(k["patchesStrategicMerge"]), target.loader)
        steps.append(lambda: psm.transform(resources))
    for entry in k.get("patches") or []:
        patch = patches.PatchTransformer(entry, target.loader)
        steps.append(lambda patch=patch: patch.transform(resources))  # type: ignore[misc]
    if k.get("namespace"):
        namespace = str(k["namespace"])
        steps.append(lambda: tr.transform_namespace(resources, namespace, config["namespace"]))
    if k.get("namePrefix"):
        prefix = str(k["namePrefix"])
        steps.append(
            lambda: tr.transform_affix(resources, prefix, config["namePrefix"], prefix=True)
        )
    if k.get("nameSuffix"):
        suffix = str(k["nameSuffix"])
        steps.append(
            lambda: tr.transform_affix(resources, suffix, config["nameSuffix"], prefix=False)
        )
    for label in k.get("labels") or []:
        pairs, specs = dict(label.get("pairs") or {}), _label_specs(label, config)
        steps.append(
            lambda pairs=pairs, specs=specs: tr.transform_map_entries(  # type: ignore[misc]
                resources, pairs, specs
            )
        )
    common_labels = dict(k.get("commonLabels") or {})
    steps.append(lambda: tr.transform_map_entries(resources, common_labels, config["commonLabels"]))
    if k.get("commonAnnotations"):
        annotations = dict(k["commonAnnotations"])
        steps.append(
            lambda: tr.transform_map_entries(resources, annotations, config["commonAnnotations"])
        )
    for entry in k.get("patchesJson6902") or []:
        json6902 = patches.PatchJson6902(entry, target.loader)
        steps.append(lambda json6902=json6902: json6902.transform(resources))  # type: ignore[misc]
    for replica in k.get("replicas") or []:
        steps.append(
            lambda replica=replica: tr.transform_replicas(  # type: ignore[misc]
                resources, replica, config["replicas"]
            )
        )
    for image in k.get("images") or []:
        steps.append(
            lambda image=image: tr.transform_image(  # type: ignore[misc]
                resources, image, config["images"]
            )
        )
    for step in steps:
        step()
