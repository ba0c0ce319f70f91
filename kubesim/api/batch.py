"""Jobs and CronJobs in the apiserver: defaults (pkg/apis/batch/v1/defaults.go), the selector
and labels the Job strategy generates (pkg/registry/batch/job/strategy.go), and validation
(pkg/apis/batch/validation/validation.go, v1.32, for the fields kubesim acts on)."""

from __future__ import annotations

from typing import Any

from kubesim.api import names
from kubesim.api.errors import FieldError, GoSyntax, invalid, required, unsupported

Object = dict[str, Any]
Errors = list[FieldError]

JOB_NAME_LABEL = "batch.kubernetes.io/job-name"
CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid"
LEGACY_JOB_NAME_LABEL = "job-name"
LEGACY_CONTROLLER_UID_LABEL = "controller-uid"
TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking"
COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index"
MAX_PARALLELISM_INDEXED = 100000  # maxParallelismForIndexedJob
IMMUTABLE = "field is immutable"
RESTART_POLICIES = ["OnFailure", "Never"]
CONCURRENCY_POLICIES = ["Allow", "Forbid", "Replace"]
POLICY_ACTIONS = ["Count", "FailIndex", "FailJob", "Ignore"]


# --- defaults ----------------------------------------------------------------------------------


def default_job(job: Object) -> None:
    """SetDefaults_Job; the pod template gets the pod defaults."""
    from kubesim.api.defaults import template_defaults

    spec = job.setdefault("spec", {})
    if not isinstance(spec, dict):
        return
    if spec.get("completions") is None and spec.get("parallelism") is None:
        spec["completions"] = 1
        spec["parallelism"] = 1
    spec.setdefault("parallelism", 1)
    if spec.get("backoffLimit") is None:
        spec["backoffLimit"] = 2147483647 if spec.get("backoffLimitPerIndex") is not None else 6
    spec.setdefault("completionMode", "NonIndexed")
    spec.setdefault("suspend", False)
    policy = spec.get("podFailurePolicy")
    if isinstance(policy, dict):
        for rule in policy.get("rules") or []:
            for pattern in (rule or {}).get("onPodConditions") or []:
                if isinstance(pattern, dict):
                    pattern.setdefault("status", "True")
    if spec.get("podReplacementPolicy") is None:
        spec["podReplacementPolicy"] = "Failed" if policy is not None else "TerminatingOrFailed"
    spec.setdefault("manualSelector", False)
    template = spec.get("template")
    if isinstance(template, dict):
        template_defaults(template)
    # a Job without labels takes its template's (read back with the generated ones too)
    metadata = job.setdefault("metadata", {})
    labels = ((template or {}).get("metadata") or {}).get("labels") if template else None
    if isinstance(metadata, dict) and not metadata.get("labels") and labels:
        metadata["labels"] = dict(labels)


def default_cron_job(cron_job: Object) -> None:
    """SetDefaults_CronJob: the job template's pod template gets the pod defaults, but not
    the Job's own (those come when the controller creates each Job)."""
    from kubesim.api.defaults import embedded_metadata, template_defaults

    spec = cron_job.setdefault("spec", {})
    if not isinstance(spec, dict):
        return
    if not spec.get("concurrencyPolicy"):
        spec["concurrencyPolicy"] = "Allow"
    spec.setdefault("suspend", False)
    spec.setdefault("successfulJobsHistoryLimit", 3)
    spec.setdefault("failedJobsHistoryLimit", 1)
    job_template = spec.get("jobTemplate")
    if isinstance(job_template, dict):
        embedded_metadata(job_template)
        template = (job_template.get("spec") or {}).get("template")
        if isinstance(template, dict):
            template_defaults(template)


def generate_selector(job: Object) -> None:
    """generateSelector (the Job strategy, unless spec.manualSelector): the template is
    labelled with the Job's name and uid, both legacy and prefixed, and the selector matches
    the prefixed uid label; the Job's labels, when it had none, follow its template's."""
    spec = job.get("spec")
    if not isinstance(spec, dict) or spec.get("manualSelector") is True:
        return
    metadata = job["metadata"]
    template = spec.setdefault("template", {})
    if not isinstance(template, dict):
        return
    template_meta = template.setdefault("metadata", {})
    labels = template_meta.get("labels")
    labels = dict(labels) if isinstance(labels, dict) else {}
    for key in (LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL):
        labels.setdefault(key, str(metadata.get("name", "")))
    for key in (LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL):
        labels.setdefault(key, str(metadata.get("uid", "")))
    template_meta["labels"] = _ordered(labels)
    selector = spec.get("selector")
    selector = dict(selector) if isinstance(selector, dict) else {}
    match = dict(selector.get("matchLabels") or {})
    match.setdefault(CONTROLLER_UID_LABEL, str(metadata.get("uid", "")))
    selector["matchLabels"] = match
    spec["selector"] = selector
    if not metadata.get("labels"):
        # defaulting on the next read copies the template's labels, generated ones included
        metadata["labels"] = dict(template_meta["labels"])


def _ordered(labels: dict[str, str]) -> dict[str, str]:
    return {key: labels[key] for key in sorted(labels)}


# --- validation --------------------------------------------------------------------------------


def validate_job(job: Object) -> Errors:
    """ValidateJob: the generated selector and labels, the spec, the indexed hostnames."""
    spec = job.get("spec") if isinstance(job.get("spec"), dict) else {}
    assert isinstance(spec, dict)
    errors = _generated_selector(job, spec)
    errors += job_spec(spec, "spec")
    selector = spec.get("selector")
    if selector is None:
        errors.append(required("spec.selector"))
    else:
        errors += _selector_matches_template(spec, "spec")
    completions = spec.get("completions")
    if spec.get("completionMode") == "Indexed" and isinstance(completions, int) and completions > 0:
        hostname = f"{job['metadata'].get('name', '')}-{completions - 1}"
        if names.dns1123_label_errors(hostname):
            errors.append(
                invalid(
                    "metadata.name",
                    job["metadata"].get("name"),
                    f"will not able to create pod with invalid DNS label: {hostname}",
                )
            )
    return errors


def _generated_selector(job: Object, spec: Object) -> Errors:
    if spec.get("manualSelector") is True or spec.get("selector") is None:
        return []
    metadata = job["metadata"]
    name, uid = str(metadata.get("name", "")), str(metadata.get("uid", ""))
    labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
    errors: Errors = []
    expected = {
        LEGACY_CONTROLLER_UID_LABEL: uid,
        LEGACY_JOB_NAME_LABEL: name,
        CONTROLLER_UID_LABEL: uid,
        JOB_NAME_LABEL: name,
    }
    for key, value in expected.items():
        if key not in labels:
            errors.append(required(f"spec.template.metadata.labels[{key}]", f"must be '{value}'"))
        elif labels[key] != value:
            errors.append(
                invalid(f"spec.template.metadata.labels[{key}]", labels[key], f"must be '{value}'")
            )
    from kubesim.api import selectors
    from kubesim.api.validation import label_selector_go

    selector = spec["selector"]
    try:
        matches = selectors.from_label_selector(selector).matches(expected)
    except Exception:  # noqa: BLE001 - an invalid selector is reported by the spec checks
        matches = True
    if not matches:
        errors.append(
            invalid(
                "spec.selector",
                GoSyntax(label_selector_go(selector)),
                "`selector` not auto-generated",
            )
        )
    return errors


def _selector_matches_template(spec: Object, path: str) -> Errors:
    from kubesim.api import selectors

    labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
    try:
        matches = selectors.from_label_selector(spec.get("selector")).matches(labels)
    except Exception:  # noqa: BLE001
        return []
    if matches:
        return []
    return [
        invalid(
            f"{path}.template.metadata.labels",
            dict(labels),
            "`selector` does not match template `labels`",
        )
    ]


def job_spec(spec: Object, path: str) -> Errors:
    """validateJobSpec: counts, completion mode, policies, the pod template and its
    restart policy."""
    from kubesim.api.validation import pod_spec

    errors: Errors = []
    for field in (
        "parallelism",
        "completions",
        "activeDeadlineSeconds",
        "backoffLimit",
        "ttlSecondsAfterFinished",
        "backoffLimitPerIndex",
        "maxFailedIndexes",
    ):
        value = spec.get(field)
        if isinstance(value, int) and not isinstance(value, bool) and value < 0:
            errors.append(invalid(f"{path}.{field}", value, "must be greater than or equal to 0"))
    if spec.get("maxFailedIndexes") is not None and spec.get("backoffLimitPerIndex") is None:
        errors.append(
            required(f"{path}.backoffLimitPerIndex", "when maxFailedIndexes is specified")
        )
    mode = spec.get("completionMode")
    if mode is not None:
        if mode not in ("NonIndexed", "Indexed"):
            errors.append(unsupported(f"{path}.completionMode", mode, ["NonIndexed", "Indexed"]))
        if mode == "Indexed":
            if spec.get("completions") is None:
                errors.append(required(f"{path}.completions", "when completion mode is Indexed"))
            parallelism = spec.get("parallelism")
            if isinstance(parallelism, int) and parallelism > MAX_PARALLELISM_INDEXED:
                errors.append(
                    invalid(
                        f"{path}.parallelism",
                        parallelism,
                        f"must be less than or equal to {MAX_PARALLELISM_INDEXED} when "
                        "completion mode is Indexed",
                    )
                )
    if mode in (None, "NonIndexed"):
        for field in ("backoffLimitPerIndex", "maxFailedIndexes"):
            if spec.get(field) is not None:
                errors.append(
                    invalid(f"{path}.{field}", spec[field], "requires indexed completion mode")
                )
    if spec.get("podFailurePolicy") is not None:
        errors += _pod_failure_policy(spec, f"{path}.podFailurePolicy")
    if spec.get("successPolicy") is not None:
        if mode != "Indexed":
            errors.append(
                invalid(
                    f"{path}.successPolicy",
                    GoSyntax(_success_policy_go(spec)),
                    "requires indexed completion mode",
                )
            )
        else:
            errors += _success_policy(spec, f"{path}.successPolicy")
    replacement = spec.get("podReplacementPolicy")
    if replacement is not None:
        allowed = (
            ["Failed"]
            if spec.get("podFailurePolicy") is not None
            else ["Failed", "TerminatingOrFailed"]
        )
        if replacement not in allowed:
            errors.append(unsupported(f"{path}.podReplacementPolicy", replacement, allowed))
    template = spec.get("template")
    if not isinstance(template, dict):
        errors.append(required(f"{path}.template"))
        return errors
    errors += _labels(template, f"{path}.template")
    errors += pod_spec(template.get("spec"), f"{path}.template.spec")
    policy = (template.get("spec") or {}).get("restartPolicy")
    where = f"{path}.template.spec.restartPolicy"
    if policy in ("Always", "", None):
        errors.append(required(where, 'valid values: "OnFailure", "Never"'))
    elif policy not in RESTART_POLICIES:
        errors.append(unsupported(where, policy, RESTART_POLICIES))
    elif spec.get("podFailurePolicy") is not None and policy != "Never":
        errors.append(
            invalid(where, policy, 'only "Never" is supported when podFailurePolicy is specified')
        )
    return errors


def _labels(template: Object, path: str) -> Errors:
    from kubesim.api.validation import label_errors

    return label_errors((template.get("metadata") or {}).get("labels"), f"{path}.metadata.labels")


def _pod_failure_policy(spec: Object, path: str) -> Errors:
    errors: Errors = []
    rules = (spec.get("podFailurePolicy") or {}).get("rules") or []
    containers = {
        c.get("name")
        for key in ("containers", "initContainers")
        for c in ((spec.get("template") or {}).get("spec") or {}).get(key) or []
        if isinstance(c, dict)
    }
    for i, rule in enumerate(rules):
        where = f"{path}.rules[{i}]"
        rule = rule if isinstance(rule, dict) else {}
        action = rule.get("action")
        if not action:
            errors.append(
                required(
                    f"{where}.action", 'valid values: ["Count" "FailIndex" "FailJob" "Ignore"]'
                )
            )
        elif action == "FailIndex":
            if spec.get("backoffLimitPerIndex") is None:
                errors.append(
                    invalid(
                        f"{where}.action", action, "requires the backoffLimitPerIndex to be set"
                    )
                )
        elif action not in POLICY_ACTIONS:
            errors.append(unsupported(f"{where}.action", action, POLICY_ACTIONS))
        exit_codes, conditions = rule.get("onExitCodes"), rule.get("onPodConditions")
        if exit_codes is not None and conditions is not None:
            errors.append(
                FieldError(
                    "Invalid value",
                    where,
                    detail="specifying both OnExitCodes and OnPodConditions is not supported",
                )
            )
        elif exit_codes is None and not conditions:
            errors.append(
                FieldError(
                    "Invalid value",
                    where,
                    detail="specifying one of OnExitCodes and OnPodConditions is required",
                )
            )
        if isinstance(exit_codes, dict):
            name = exit_codes.get("containerName")
            if name is not None and name not in containers:
                errors.append(
                    invalid(
                        f"{where}.onExitCodes.containerName",
                        name,
                        "must be one of the container or initContainer names in the pod template",
                    )
                )
            operator = exit_codes.get("operator")
            if operator not in ("In", "NotIn"):
                errors.append(
                    unsupported(f"{where}.onExitCodes.operator", operator, ["In", "NotIn"])
                )
            values = exit_codes.get("values") or []
            if not values:
                errors.append(
                    invalid(
                        f"{where}.onExitCodes.values",
                        GoSyntax("[]int32{}"),
                        "at least one value is required",
                    )
                )
            for j, value in enumerate(values):
                if operator == "In" and value == 0:
                    errors.append(
                        invalid(
                            f"{where}.onExitCodes.values[{j}]",
                            value,
                            "must not be 0 for the In operator",
                        )
                    )
                if j > 0 and isinstance(value, int) and value <= values[j - 1]:
                    errors.append(
                        invalid(f"{where}.onExitCodes.values[{j}]", value, "must be ordered")
                    )
    return errors


def _success_policy_go(spec: Object) -> str:
    rules = (spec.get("successPolicy") or {}).get("rules") or []
    shown = []
    for rule in rules:
        indexes = rule.get("succeededIndexes")
        count = rule.get("succeededCount")
        shown.append(
            "batch.SuccessPolicyRule{SucceededIndexes:"
            + ("(*string)(nil)" if indexes is None else f'"{indexes}"')
            + ", SucceededCount:"
            + ("(*int32)(nil)" if count is None else str(count))
            + "}"
        )
    return "batch.SuccessPolicy{Rules:[]batch.SuccessPolicyRule{" + ", ".join(shown) + "}}"


def _success_policy(spec: Object, path: str) -> Errors:
    errors: Errors = []
    rules = (spec.get("successPolicy") or {}).get("rules") or []
    if not rules:
        errors.append(
            required(
                f"{path}.rules",
                "at least one rules must be specified when the successPolicy is specified",
            )
        )
    completions = spec.get("completions") or 0
    for i, rule in enumerate(rules):
        where = f"{path}.rules[{i}]"
        rule = rule if isinstance(rule, dict) else {}
        indexes, count = rule.get("succeededIndexes"), rule.get("succeededCount")
        if indexes is None and count is None:
            errors.append(
                required(
                    where, "at least one of succeededCount or succeededIndexes must be specified"
                )
            )
        if isinstance(count, int) and count < 0:
            errors.append(
                invalid(f"{where}.succeededCount", count, "must be greater than or equal to 0")
            )
        elif isinstance(count, int) and count > completions:
            errors.append(
                invalid(
                    f"{where}.succeededCount",
                    count,
                    f"must be less than or equal to {completions} "
                    "(the number of specified completions)",
                )
            )
    return errors


def validate_job_update(old: Object, new: Object) -> Errors:
    """ValidateJobSpecUpdate: the selector, template, completions (but for an indexed Job
    scaled in tandem with parallelism), completion mode and policies do not change; a
    suspended Job that never started may change its template's scheduling directives."""
    before, after = old.get("spec") or {}, new.get("spec") or {}
    errors: Errors = []
    mode = after.get("completionMode")
    if before.get("completions") != after.get("completions"):
        if mode == "Indexed" and after.get("completions") is not None:
            if after.get("completions") != after.get("parallelism"):
                errors.append(
                    invalid(
                        "spec.completions",
                        after.get("completions"),
                        "can only be modified in tandem with spec.parallelism",
                    )
                )
        elif mode != "Indexed":
            errors.append(invalid("spec.completions", after.get("completions"), IMMUTABLE))
    if before.get("selector") != after.get("selector"):
        from kubesim.api.validation import label_selector_go

        errors.append(
            invalid("spec.selector", GoSyntax(label_selector_go(after.get("selector"))), IMMUTABLE)
        )
    old_template, new_template = before.get("template") or {}, after.get("template") or {}
    suspended = before.get("suspend") is True and not (old.get("status") or {}).get("startTime")
    if suspended:
        old_template = _with_scheduling_of(old_template, new_template)
    if old_template != new_template:
        errors.append(FieldError("Invalid value", "spec.template", detail=IMMUTABLE))
    for field in (
        "completionMode",
        "podFailurePolicy",
        "backoffLimitPerIndex",
        "managedBy",
        "successPolicy",
    ):
        if before.get(field) != after.get(field):
            value = after.get(field)
            shown = value if not isinstance(value, dict) else GoSyntax("{...}")
            errors.append(invalid(f"spec.{field}", shown, IMMUTABLE))
    return errors


def _with_scheduling_of(old: Object, new: Object) -> Object:
    """The old template with the new one's node selector, affinity, tolerations, scheduling
    gates, labels and annotations (AllowMutableSchedulingDirectives)."""
    import copy

    merged = copy.deepcopy(old)
    merged.setdefault("metadata", {})
    for field in ("labels", "annotations"):
        value = (new.get("metadata") or {}).get(field)
        if value is None:
            merged["metadata"].pop(field, None)
        else:
            merged["metadata"][field] = value
    spec = merged.setdefault("spec", {})
    for field in ("nodeSelector", "affinity", "tolerations", "schedulingGates"):
        value = (new.get("spec") or {}).get(field)
        if value is None:
            spec.pop(field, None)
        else:
            spec[field] = value
    return merged


def validate_cron_job(cron_job: Object) -> Errors:
    """ValidateCronJobCreate: the spec, and a name short enough for its Jobs' names."""
    errors = cron_job_spec(cron_job.get("spec") or {}, None)
    name = str(cron_job["metadata"].get("name") or "")
    if len(name) > 52:
        errors.append(invalid("metadata.name", name, "must be no more than 52 characters"))
    return errors


def cron_job_spec(spec: Object, old: Object | None) -> Errors:
    """validateCronJobSpec."""
    from kubesim.api import cron

    errors: Errors = []
    schedule = spec.get("schedule")
    if not schedule:
        errors.append(required("spec.schedule"))
    else:
        allow_tz = old is not None and "TZ" in str(old.get("schedule") or "")
        try:
            cron.parse_standard(str(schedule))
        except cron.CronError as err:
            errors.append(invalid("spec.schedule", schedule, str(err)))
        if allow_tz and "TZ" in schedule and spec.get("timeZone") is not None:
            errors.append(
                invalid(
                    "spec.schedule",
                    schedule,
                    "cannot use both timeZone field and TZ or CRON_TZ in schedule",
                )
            )
        elif not allow_tz and "TZ" in schedule:
            errors.append(
                invalid(
                    "spec.schedule",
                    schedule,
                    "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
                )
            )
    deadline = spec.get("startingDeadlineSeconds")
    if isinstance(deadline, int) and deadline < 0:
        errors.append(
            invalid("spec.startingDeadlineSeconds", deadline, "must be greater than or equal to 0")
        )
    if old is None or old.get("timeZone") != spec.get("timeZone"):
        errors += _time_zone(spec.get("timeZone"))
    policy = spec.get("concurrencyPolicy")
    if not policy:
        errors.append(required("spec.concurrencyPolicy"))
    elif policy not in CONCURRENCY_POLICIES:
        errors.append(unsupported("spec.concurrencyPolicy", policy, CONCURRENCY_POLICIES))
    template = spec.get("jobTemplate")
    template_spec = (template or {}).get("spec") if isinstance(template, dict) else None
    errors += job_spec(
        template_spec if isinstance(template_spec, dict) else {}, "spec.jobTemplate.spec"
    )
    if isinstance(template_spec, dict):
        if template_spec.get("selector") is not None:
            from kubesim.api.validation import label_selector_go

            errors.append(
                invalid(
                    "spec.jobTemplate.spec.selector",
                    GoSyntax(label_selector_go(template_spec["selector"])),
                    "`selector` will be auto-generated",
                )
            )
        if template_spec.get("manualSelector") is True:
            errors.append(
                unsupported("spec.jobTemplate.spec.manualSelector", True, ["nil", "false"])
            )
    for field in ("successfulJobsHistoryLimit", "failedJobsHistoryLimit"):
        value = spec.get(field)
        if isinstance(value, int) and value < 0:
            errors.append(invalid(f"spec.{field}", value, "must be greater than or equal to 0"))
    return errors


def _time_zone(zone: Any) -> Errors:
    """validateTimeZone: an IANA name the controller can load."""
    import re

    from kubesim.api import cron

    if zone is None:
        return []
    if zone == "":
        return [invalid("spec.timeZone", zone, "timeZone must be nil or non-empty string")]
    for part in str(zone).split("/"):
        if (
            part in (".", "..")
            or part.startswith("-")
            or not re.fullmatch(r"[A-Za-z.\-_0-9+]{1,14}", part)
        ):
            return [invalid("spec.timeZone", zone, f"unknown time zone {zone}")]
    errors: Errors = []
    if str(zone).lower() == "local":
        errors.append(
            invalid(
                "spec.timeZone",
                zone,
                "timeZone must be an explicit time zone as defined in "
                "https://www.iana.org/time-zones",
            )
        )
    try:
        cron.load_location(str(zone))
    except cron.CronError as err:
        errors.append(invalid("spec.timeZone", zone, str(err)))
    return errors


def job_warnings(job: Object) -> list[str]:
    """WarningsOnCreate: a name that is not a DNS label surprises in pod names and hostnames."""
    problems = names.dns1123_label_errors(str(job["metadata"].get("name") or ""))
    if not problems:
        return []
    return [
        "metadata.name: this is used in Pod names and hostnames, which can result in "
        f"surprising behavior; a DNS label is recommended: [{' '.join(problems)}]"
    ]
