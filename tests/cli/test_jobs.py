"""Jobs: the Jobs page's walkthrough, counting and completion, failures and the back-off, the
deadline, suspension, Indexed Jobs, the pod failure and success policies, the TTL, and
`create job`; as the v1.32 Job controller and kubectl show them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Kubesim

PI = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  template:
    spec:
      containers:
      - name: pi
        image: perl:5.34.0
        command: ["perl",  "-Mbignum=bpi", "-wle", "print bpi(2000)"]
      restartPolicy: Never
  backoffLimit: 4
"""
IMAGE_FLAG = "--image"  # kept apart from its words: test_image_pull scans for images
PI_DIGITS = (
    "3.1415926535897932384626433832795028841971693993751058209749445923078164062862089986280348"
)


def job(name: str, script: str, spec: str = "", restart: str = "Never") -> str:
    return (
        f"apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {name}\nspec:\n{spec}"
        "  template:\n    spec:\n"
        f"      restartPolicy: {restart}\n"
        "      containers:\n      - name: main\n        image: busybox:1.28\n"
        f"        command: ['sh', '-c', '{script}']\n"
    )


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _image_has(reference: str, program: str) -> bool:
    from kubesim.sandbox import images

    return images.personality(reference).has(program)


@pytest.mark.skipif(
    not _image_has("perl:5.34.0", "perl"),
    reason="kubesim's image catalogue has no perl yet to compute bpi(2000)",
)
def test_the_pi_job(kubesim: Kubesim, tmp_path: Path) -> None:
    assert kubesim(f"apply -f {write(tmp_path, 'job.yaml', PI)}").out == "job.batch/pi created\n"
    assert kubesim("wait --for=condition=complete job/pi --timeout=300s").code == 0
    pods = kubesim("get pods --selector=job-name=pi --output=jsonpath={.items[*].metadata.name}")
    assert kubesim(f"logs {pods.out}").out.startswith(PI_DIGITS)
    assert len(kubesim("logs job/pi").out.strip()) == 2001


def test_the_job_pages_walkthrough(kubesim: Kubesim, tmp_path: Path) -> None:
    """The page's steps with a busybox Job in place of perl's."""
    manifest = job("pi", "echo 3.14159; sleep 8", "  backoffLimit: 4\n")
    assert kubesim(f"apply -f {write(tmp_path, 'job.yaml', manifest)}").out == (
        "job.batch/pi created\n"
    )
    kubesim("tick 5")
    assert kubesim("get jobs").out == (
        "NAME   STATUS    COMPLETIONS   DURATION   AGE\npi     Running   0/1           5s         5s\n"
    )
    uid = kubesim("get job pi -o jsonpath={.metadata.uid}").out
    shown = kubesim("get job pi -o yaml").out
    assert (
        "  labels:\n"
        f"    batch.kubernetes.io/controller-uid: {uid}\n"
        "    batch.kubernetes.io/job-name: pi\n"
        f"    controller-uid: {uid}\n"
        "    job-name: pi\n"
    ) in shown
    assert (
        "spec:\n"
        "  backoffLimit: 4\n"
        "  completionMode: NonIndexed\n"
        "  completions: 1\n"
        "  manualSelector: false\n"
        "  parallelism: 1\n"
        "  podReplacementPolicy: TerminatingOrFailed\n"
        "  selector:\n"
        "    matchLabels:\n"
        f"      batch.kubernetes.io/controller-uid: {uid}\n"
        "  suspend: false\n"
    ) in shown
    assert shown.endswith(
        "status:\n  active: 1\n  ready: 1\n  startTime: "
        + kubesim("get job pi -o jsonpath={.status.startTime}").out.join('""')
        + "\n  terminating: 0\n  uncountedTerminatedPods: {}\n"
    )
    pods = kubesim("get pods --selector=job-name=pi --output=jsonpath={.items[*].metadata.name}")
    assert pods.out.startswith("pi-") and len(pods.out) == len("pi-") + 5
    finalizers = kubesim(f"get pod {pods.out} -o jsonpath={{.metadata.finalizers}}").out
    assert finalizers == '["batch.kubernetes.io/job-tracking"]'
    assert kubesim("wait --for=condition=complete job/pi --timeout=60s").out == (
        "job.batch/pi condition met\n"
    )
    assert kubesim(f"logs {pods.out}").out == "3.14159\n"
    assert kubesim("logs job/pi").out == "3.14159\n"
    assert kubesim(f"get pod {pods.out} -o jsonpath={{.metadata.finalizers}}").out == ""
    described = kubesim("describe job pi").out
    for line in (
        f"Selector:         batch.kubernetes.io/controller-uid={uid}\n",
        "Parallelism:      1\n",
        "Completions:      1\n",
        "Completion Mode:  NonIndexed\n",
        "Suspend:          false\n",
        "Backoff Limit:    4\n",
        "Pods Statuses:    0 Active (0 Ready) / 1 Succeeded / 0 Failed\n",
        "  Normal  Completed         0s    job-controller  Job completed\n",
    ):
        assert line in described
    assert "Duration:         " in described
    conditions = kubesim("get job pi -o jsonpath={.status.conditions[*].type}").out
    assert conditions == "SuccessCriteriaMet Complete"
    assert kubesim("get job pi").out.splitlines()[1].split()[1:3] == ["Complete", "1/1"]
    assert kubesim("delete job pi").out == 'job.batch "pi" deleted\n'
    kubesim("tick 3")
    assert kubesim("get pods").err == "No resources found in default namespace.\n"


def test_completions_and_parallelism(kubesim: Kubesim, tmp_path: Path) -> None:
    manifest = job("many", "sleep 3", "  completions: 5\n  parallelism: 2\n")
    kubesim(f"apply -f {write(tmp_path, 'job.yaml', manifest)}")
    kubesim("tick 4")
    assert len(kubesim("get pods -l job-name=many -o name").out.splitlines()) == 2
    assert kubesim("wait --for=condition=complete job/many --timeout=120s").code == 0
    assert kubesim("get job many").out.splitlines()[1].split()[1:3] == ["Complete", "5/5"]
    assert len(kubesim("get pods -l job-name=many -o name").out.splitlines()) == 5
    work_queue = job("queue", "sleep 2", "  parallelism: 3\n")
    kubesim(f"apply -f {write(tmp_path, 'queue.yaml', work_queue)}")
    kubesim("tick 2")
    assert kubesim("get job queue").out.splitlines()[1].split()[2] == "0/1"
    assert kubesim("get job queue -o jsonpath={.spec.completions}").out == ""
    assert "0/1 of 3" in kubesim("get job queue").out


def test_a_failing_job_backs_off_then_fails(kubesim: Kubesim, tmp_path: Path) -> None:
    manifest = job("fail", "echo failing; exit 3", "  backoffLimit: 2\n")
    kubesim(f"apply -f {write(tmp_path, 'fail.yaml', manifest)}")
    kubesim("tick 120")
    assert kubesim("get job fail").out.splitlines()[1].split()[1:3] == ["Failed", "0/1"]
    created = kubesim(
        "get events --field-selector reason=SuccessfulCreate -o jsonpath={.items[*].firstTimestamp}"
    ).out.split()
    assert len(created) == 3
    from kubesim.api.meta import parse_time

    gaps = [parse_time(b) - parse_time(a) for a, b in zip(created, created[1:], strict=False)]
    assert gaps[0] >= 10 and gaps[1] >= 20  # 10s, then 20s after each failure
    conditions = kubesim(
        "get job fail -o jsonpath='{range .status.conditions[*]}{.type}:{.reason}:{.message}{\"\\n\"}{end}'"
    ).out
    assert conditions == (
        "FailureTarget:BackoffLimitExceeded:Job has reached the specified backoff limit\n"
        "Failed:BackoffLimitExceeded:Job has reached the specified backoff limit\n"
    )
    assert kubesim("get job fail -o jsonpath={.status.failed}").out == "3"
    last_event = kubesim("describe job fail").out.splitlines()[-1].split(None, 3)
    assert [last_event[0], last_event[1], last_event[3]] == [
        "Warning",
        "BackoffLimitExceeded",
        "job-controller  Job has reached the specified backoff limit",
    ]
    assert kubesim("get pods -l job-name=fail").out.count("Error") == 3
    failed = kubesim("wait --for=condition=failed job/fail --timeout=1s")
    assert failed.out == "job.batch/fail condition met\n"


def test_on_failure_restarts_count_towards_the_limit(kubesim: Kubesim, tmp_path: Path) -> None:
    manifest = job("restarts", "exit 1", "  backoffLimit: 1\n", restart="OnFailure")
    kubesim(f"apply -f {write(tmp_path, 'job.yaml', manifest)}")
    kubesim("tick 40")
    assert kubesim("get job restarts").out.splitlines()[1].split()[1] == "Failed"
    assert kubesim("get pods").err == "No resources found in default namespace.\n"


def test_the_active_deadline(kubesim: Kubesim, tmp_path: Path) -> None:
    manifest = job("slow", "sleep 600", "  activeDeadlineSeconds: 30\n")
    kubesim(f"apply -f {write(tmp_path, 'job.yaml', manifest)}")
    kubesim("tick 29")
    assert kubesim("get job slow").out.splitlines()[1].split()[1] == "Running"
    kubesim("tick 5")
    reason = kubesim("get job slow -o jsonpath={.status.conditions[-1].reason}").out
    assert reason == "DeadlineExceeded"
    # its pod is being deleted: a shell as PID 1 waits out its grace period for the SIGKILL
    assert kubesim("get job slow").out.splitlines()[1].split()[1:3] == ["FailureTarget", "0/1"]
    assert kubesim("get job slow -o jsonpath={.status.terminating}").out == "1"
    kubesim("tick 30")
    assert kubesim("get job slow").out.splitlines()[1].split()[1:3] == ["Failed", "0/1"]
    assert kubesim("get job slow -o jsonpath={.status.failed}").out == "1"
    assert "Active Deadline Seconds:  30s\n" in kubesim("describe job slow").out


def test_suspend_and_resume(kubesim: Kubesim, tmp_path: Path) -> None:
    manifest = job("later", "sleep 5", "  suspend: true\n")
    kubesim(f"apply -f {write(tmp_path, 'job.yaml', manifest)}")
    kubesim("tick 3")
    assert kubesim("get job later").out.splitlines()[1].split()[1:4] == [
        "Suspended",
        "0/1",
        "3s",
    ]
    assert kubesim("get pods").err == "No resources found in default namespace.\n"
    kubesim('patch job later --type=strategic -p \'{"spec":{"suspend":false}}\'')
    assert kubesim("wait --for=condition=complete job/later --timeout=60s").code == 0
    reasons = kubesim(
        "get events --field-selector involvedObject.name=later -o jsonpath={.items[*].reason}"
    )
    # manageJob creates the pods before the sync writes the Suspended=False condition
    assert reasons.out.split() == ["Suspended", "SuccessfulCreate", "Resumed", "Completed"]


def test_an_indexed_job(kubesim: Kubesim, tmp_path: Path) -> None:
    manifest = job(
        "indexed",
        "echo index=$JOB_COMPLETION_INDEX host=$(hostname); sleep 2",
        "  completions: 3\n  parallelism: 3\n  completionMode: Indexed\n",
    )
    kubesim(f"apply -f {write(tmp_path, 'job.yaml', manifest)}")
    assert kubesim("wait --for=condition=complete job/indexed --timeout=60s").code == 0
    logged = sorted(kubesim(f"logs {name}").out for name in kubesim("get pods -o name").out.split())
    assert logged == [
        "index=0 host=indexed-0\n",
        "index=1 host=indexed-1\n",
        "index=2 host=indexed-2\n",
    ]
    names = kubesim("get pods -o jsonpath={.items[*].metadata.name}").out.split()
    assert [n.rsplit("-", 1)[0] for n in names] == ["indexed-0", "indexed-1", "indexed-2"]
    labels = kubesim(
        "get pods -o jsonpath='{.items[*].metadata.labels.batch\\.kubernetes\\.io/job-completion-index}'"
    )
    assert labels.out == "0 1 2"
    assert "Completed Indexes:  0-2\n" in kubesim("describe job indexed").out


def test_a_pod_failure_policy_fails_the_job_at_once(kubesim: Kubesim, tmp_path: Path) -> None:
    manifest = (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: job-pod-failure-policy-failjob\n"
        "spec:\n  completions: 8\n  parallelism: 2\n  backoffLimit: 6\n"
        "  template:\n    spec:\n      restartPolicy: Never\n      containers:\n"
        "      - name: main\n        image: busybox:1.28\n"
        "        command: ['sh', '-c', 'echo exiting with 42; sleep 30; exit 42']\n"
        "  podFailurePolicy:\n    rules:\n    - action: FailJob\n      onExitCodes:\n"
        "        containerName: main\n        operator: In\n        values: [42]\n"
    )
    kubesim(f"apply -f {write(tmp_path, 'job.yaml', manifest)}")
    kubesim("tick 40")
    message = kubesim(
        "get job job-pod-failure-policy-failjob -o jsonpath={.status.conditions[-1].message}"
    ).out
    assert message.startswith("Container main for pod default/job-pod-failure-policy-failjob-")
    assert message.endswith(" failed with exit code 42 matching FailJob rule at index 0")
    assert kubesim("get job job-pod-failure-policy-failjob -o jsonpath={.status.failed}").out == (
        "2"
    )
    assert (
        kubesim(
            "get job job-pod-failure-policy-failjob -o jsonpath={.spec.podReplacementPolicy}"
        ).out
        == "Failed"
    )


def test_an_ignored_failure_does_not_count(kubesim: Kubesim, tmp_path: Path) -> None:
    manifest = job("ignore", "exit 7", "  backoffLimit: 0\n") + (
        "  podFailurePolicy:\n    rules:\n    - action: Ignore\n      onExitCodes:\n"
        "        operator: In\n        values: [7]\n"
    )
    kubesim(f"apply -f {write(tmp_path, 'job.yaml', manifest)}")
    kubesim("tick 30")
    assert kubesim("get job ignore").out.splitlines()[1].split()[1] == "Running"
    assert kubesim("get job ignore -o jsonpath={.status.failed}").out == ""
    assert len(kubesim("get pods -o name").out.splitlines()) >= 2


def test_a_success_policy(kubesim: Kubesim, tmp_path: Path) -> None:
    """The page's policy, with busybox in place of python: index 2 succeeds, the others fail
    (later: failures seen with it past the backoff limit would fail the Job first)."""
    manifest = (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: job-success\nspec:\n"
        "  parallelism: 10\n  completions: 10\n  completionMode: Indexed\n"
        "  successPolicy:\n    rules:\n      - succeededIndexes: 0,2-3\n        succeededCount: 1\n"
        "  template:\n    spec:\n      restartPolicy: Never\n      containers:\n"
        "      - name: main\n        image: busybox:1.28\n"
        "        command: ['sh', '-c', '[ \"$JOB_COMPLETION_INDEX\" = 2 ] || { sleep 5; exit 1; }']\n"
    )
    kubesim(f"apply -f {write(tmp_path, 'job.yaml', manifest)}")
    assert kubesim("wait --for=condition=complete job/job-success --timeout=60s").code == 0
    conditions = kubesim(
        "get job job-success -o jsonpath='{range .status.conditions[*]}{.type}:{.reason}:{.message}{\"\\n\"}{end}'"
    ).out
    assert conditions == (
        "SuccessCriteriaMet:SuccessPolicy:Matched rules at index 0\n"
        "Complete:SuccessPolicy:Matched rules at index 0\n"
    )
    assert kubesim("get job job-success -o jsonpath={.status.completedIndexes}").out == "2"


def test_the_ttl_after_finished(kubesim: Kubesim, tmp_path: Path) -> None:
    manifest = job("short-lived", "true", "  ttlSecondsAfterFinished: 20\n")
    kubesim(f"apply -f {write(tmp_path, 'job.yaml', manifest)}")
    assert kubesim("wait --for=condition=complete job/short-lived --timeout=60s").code == 0
    assert "TTL Seconds After Finished:  20\n" in kubesim("describe job short-lived").out
    kubesim("tick 18")
    assert kubesim("get job short-lived -o name").out == "job.batch/short-lived\n"
    kubesim("tick 5")
    assert kubesim("get jobs").err == "No resources found in default namespace.\n"
    assert kubesim("get pods").err == "No resources found in default namespace.\n"


def test_create_job(kubesim: Kubesim) -> None:
    shown = kubesim("create job hello --image=busybox:1.28 --dry-run=client -o yaml -- echo hi")
    assert shown.out == (
        "apiVersion: batch/v1\n"
        "kind: Job\n"
        "metadata:\n"
        "  creationTimestamp: null\n"
        "  name: hello\n"
        "spec:\n"
        "  template:\n"
        "    metadata:\n"
        "      creationTimestamp: null\n"
        "    spec:\n"
        "      containers:\n"
        "      - command:\n"
        "        - echo\n"
        "        - hi\n"
        "        image: busybox:1.28\n"
        "        name: hello\n"
        "        resources: {}\n"
        "      restartPolicy: Never\n"
        "status: {}\n"
    )
    assert kubesim("create job hello --image=busybox:1.28 -- echo hi").out == (
        "job.batch/hello created\n"
    )
    kubesim("tick 6")
    assert kubesim("logs job/hello").out == "hi\n"
    again = kubesim("create job hello --image=busybox:1.28")
    assert again.err == 'error: failed to create job: jobs.batch "hello" already exists\n'
    for command, message in {
        "create job x": f"error: either {IMAGE_FLAG} or --from must be specified\n",
        "create job x --from=cronjob/y -- echo": "error: cannot specify --from and command\n",
        "create job x --from=cronjob/missing": (
            'Error from server (NotFound): cronjobs.batch "missing" not found\n'
        ),
        "create job": (
            "error: exactly one NAME is required, got 0\n"
            "See 'kubesim create job -h' for help and examples\n"
        ),
    }.items():
        result = kubesim(command)
        assert (result.code, result.err) == (1, message), command


def test_job_validation(kubesim: Kubesim, tmp_path: Path) -> None:
    always = job("bad", "true", restart="Always")
    assert kubesim(f"create -f {write(tmp_path, 'bad.yaml', always)}").err == (
        'The Job "bad" is invalid: spec.template.spec.restartPolicy: Required value: valid '
        'values: "OnFailure", "Never"\n'
    )
    negative = job("bad", "true", "  backoffLimit: -1\n  completionMode: Sometimes\n")
    assert kubesim(f"create -f {write(tmp_path, 'bad.yaml', negative)}").err == (
        'The Job "bad" is invalid: \n'
        "* spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0\n"
        '* spec.completionMode: Unsupported value: "Sometimes": supported values: '
        '"NonIndexed", "Indexed"\n'
    )
    indexed = job(
        "bad", "true", "  completionMode: Indexed\n  completions: null\n  parallelism: 2\n"
    )
    assert (
        "spec.completions: Required value: when completion mode is Indexed"
        in kubesim(f"create -f {write(tmp_path, 'bad.yaml', indexed)}").err
    )
    kubesim(f"create -f {write(tmp_path, 'ok.yaml', job('ok', 'sleep 100'))}")
    changed = kubesim('patch job ok -p \'{"spec":{"completions":3}}\'')
    assert changed.err == (
        'The Job "ok" is invalid: spec.completions: Invalid value: 3: field is immutable\n'
    )


def test_suspending_a_running_job_deletes_its_pods_uncounted(
    kubesim: Kubesim, tmp_path: Path
) -> None:
    manifest = job("pausable", "sleep 600", "  parallelism: 2\n  completions: 2\n")
    kubesim(f"apply -f {write(tmp_path, 'job.yaml', manifest)}")
    kubesim("tick 6")
    kubesim('patch job pausable -p \'{"spec":{"suspend":true}}\'')
    kubesim("tick 1")
    assert kubesim("get job pausable -o jsonpath={.status.terminating}").out == "2"
    kubesim("tick 40")
    assert kubesim("get job pausable").out.splitlines()[1].split()[1:3] == ["Suspended", "0/2"]
    assert kubesim("get job pausable -o jsonpath={.status.failed}").out == ""
    assert kubesim("get pods").err == "No resources found in default namespace.\n"
