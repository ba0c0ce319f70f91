"""CronJobs: the "Running Automated Tasks with a CronJob" task end to end, schedules in
simulated time (a tick of an hour runs an hourly CronJob once), concurrency policies, history
limits, the starting deadline, suspension, time zones, `create cronjob` and
`create job --from=cronjob/NAME`."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Kubesim

HELLO = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: hello
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: hello
            image: busybox:1.28
            imagePullPolicy: IfNotPresent
            command:
            - /bin/sh
            - -c
            - date; echo Hello from the Kubernetes cluster
          restartPolicy: OnFailure
"""


def cron_job(name: str, schedule: str, script: str, spec: str = "") -> str:
    return (
        f"apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: {name}\nspec:\n"
        f"  schedule: '{schedule}'\n{spec}"
        "  jobTemplate:\n    spec:\n      template:\n        spec:\n"
        "          restartPolicy: Never\n          containers:\n          - name: main\n"
        "            image: busybox:1.28\n"
        f"            command: ['sh', '-c', '{script}']\n"
    )


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def row(kubesim: Kubesim, name: str) -> list[str]:
    """The cells of a CronJob's `get` row (a schedule has single spaces, columns three)."""
    import re

    line = kubesim(f"get cronjob {name}").out.splitlines()[1]
    return re.split(r" {2,}", line.strip())


def seconds_to_next_minute(kubesim: Kubesim) -> int:
    """The simulated seconds before the next whole minute."""
    from kubesim.api.meta import parse_time

    created = kubesim("get cronjob -o jsonpath={.items[0].metadata.creationTimestamp}").out
    return 60 - int(parse_time(created)) % 60


def test_the_cronjob_pages_walkthrough(kubesim: Kubesim, tmp_path: Path) -> None:
    assert kubesim(f"create -f {write(tmp_path, 'cronjob.yaml', HELLO)}").out == (
        "cronjob.batch/hello created\n"
    )
    assert kubesim("get cronjob hello").out == (
        "NAME    SCHEDULE    TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE\n"
        "hello   * * * * *   <none>     False     0        <none>          0s\n"
    )
    wait = seconds_to_next_minute(kubesim)
    kubesim(f"tick {wait}")
    jobs = kubesim("get jobs").out.splitlines()
    assert jobs[0] == "NAME             STATUS    COMPLETIONS   DURATION   AGE"
    name = jobs[1].split()[0]
    from kubesim.api.meta import parse_time

    last = kubesim("get cronjob hello -o jsonpath={.status.lastScheduleTime}").out
    assert name == f"hello-{int(parse_time(last)) // 60}"
    kubesim("tick 1")
    assert row(kubesim, "hello")[4] == "1"
    kubesim("tick 10")
    assert kubesim("get jobs").out.splitlines()[1].split()[1:3] == ["Complete", "1/1"]
    assert row(kubesim, "hello")[4:6] == ["0", "11s"]
    pods = kubesim(
        f"get pods --selector=job-name={name} --output=jsonpath={{.items[*].metadata.name}}"
    ).out
    logged = kubesim(f"logs {pods}").out.splitlines()
    assert logged[1] == "Hello from the Kubernetes cluster"
    assert logged[0].endswith(" UTC " + last[:4])
    described = kubesim("describe cronjob hello").out
    for line in (
        "Schedule:                      * * * * *\n",
        "Concurrency Policy:            Allow\n",
        "Suspend:                       False\n",
        "Successful Job History Limit:  3\n",
        "Failed Job History Limit:      1\n",
        "Starting Deadline Seconds:     <unset>\n",
        "Selector:                      <unset>\n",
    ):
        assert line in described
    assert "\nActive Jobs:         <none>\n" in described
    assert f"cronjob-controller  Created job {name}\n" in described
    assert f"cronjob-controller  Saw completed job: {name}, status: Complete\n" in described
    assert kubesim("delete cronjob hello").out == 'cronjob.batch "hello" deleted\n'
    kubesim("tick 3")
    assert kubesim("get jobs").err == "No resources found in default namespace.\n"
    assert kubesim("get pods").err == "No resources found in default namespace.\n"


def test_an_hour_in_one_tick_runs_an_hourly_job_once(kubesim: Kubesim, tmp_path: Path) -> None:
    kubesim(f"create -f {write(tmp_path, 'cj.yaml', cron_job('hourly', '@hourly', 'echo ran'))}")
    kubesim("tick 3600")
    jobs = kubesim("get jobs -o name").out.splitlines()
    assert len(jobs) == 1
    assert kubesim(f"logs {jobs[0]}").out == "ran\n"
    assert kubesim("get job -o jsonpath={.items[0].status.conditions[-1].type}").out == "Complete"
    kubesim("tick 3600")
    assert len(kubesim("get jobs -o name").out.splitlines()) == 2


def test_ticking_in_steps_gives_the_same_result(kubesim: Kubesim, tmp_path: Path) -> None:
    kubesim(f"create -f {write(tmp_path, 'cj.yaml', cron_job('often', '*/5 * * * *', 'true'))}")
    for _ in range(60):
        kubesim("tick 30")
    names = kubesim("get jobs -o name").out.splitlines()
    assert len(names) == 3  # successfulJobsHistoryLimit
    deleted = kubesim("get events --field-selector reason=SuccessfulDelete -o name")
    assert len(deleted.out.splitlines()) == 3


def test_forbid_skips_while_a_job_runs(kubesim: Kubesim, tmp_path: Path) -> None:
    manifest = cron_job("busy", "* * * * *", "sleep 150", "  concurrencyPolicy: Forbid\n")
    kubesim(f"create -f {write(tmp_path, 'cj.yaml', manifest)}")
    kubesim(f"tick {seconds_to_next_minute(kubesim) + 125}")
    assert len(kubesim("get jobs -o name").out.splitlines()) == 1
    reasons = kubesim("get events --field-selector reason=JobAlreadyActive -o name").out
    assert reasons
    message = kubesim(
        "get events --field-selector reason=JobAlreadyActive -o jsonpath={.items[0].message}"
    ).out
    assert message == (
        "Not starting job because prior execution is running and concurrency policy is Forbid"
    )


def test_replace_deletes_the_running_job(kubesim: Kubesim, tmp_path: Path) -> None:
    manifest = cron_job("busy", "* * * * *", "sleep 150", "  concurrencyPolicy: Replace\n")
    kubesim(f"create -f {write(tmp_path, 'cj.yaml', manifest)}")
    kubesim(f"tick {seconds_to_next_minute(kubesim) + 62}")
    jobs = kubesim("get jobs -o name").out.splitlines()
    assert len(jobs) == 1
    assert "Deleted job busy-" in kubesim("describe cronjob busy").out


def test_allow_runs_them_side_by_side(kubesim: Kubesim, tmp_path: Path) -> None:
    kubesim(f"create -f {write(tmp_path, 'cj.yaml', cron_job('busy', '* * * * *', 'sleep 150'))}")
    kubesim(f"tick {seconds_to_next_minute(kubesim) + 62}")
    assert len(kubesim("get jobs -o name").out.splitlines()) == 2
    assert row(kubesim, "busy")[4] == "2"
    active = kubesim("describe cronjob busy").out
    assert "\nActive Jobs:         busy-" in active and ", busy-" in active


def test_suspended_cronjobs_start_nothing(kubesim: Kubesim, tmp_path: Path) -> None:
    manifest = cron_job("paused", "* * * * *", "true", "  suspend: true\n")
    kubesim(f"create -f {write(tmp_path, 'cj.yaml', manifest)}")
    kubesim("tick 180")
    assert kubesim("get jobs").err == "No resources found in default namespace.\n"
    assert row(kubesim, "paused")[3] == "True"
    kubesim('patch cronjob paused -p \'{"spec":{"suspend":false}}\'')
    # the times missed while suspended: the most recent is run at once (no tick: the
    # controller reacts to the patch; a tick could reach the next minute's run)
    assert len(kubesim("get jobs -o name").out.splitlines()) == 1


def test_the_starting_deadline_misses_old_times(kubesim: Kubesim, tmp_path: Path) -> None:
    manifest = cron_job(
        "strict", "* * * * *", "true", "  suspend: true\n  startingDeadlineSeconds: 10\n"
    )
    kubesim(f"create -f {write(tmp_path, 'cj.yaml', manifest)}")
    kubesim(f"tick {seconds_to_next_minute(kubesim) + 30}")
    kubesim('patch cronjob strict -p \'{"spec":{"suspend":false}}\'')
    kubesim("tick 2")
    assert kubesim("get jobs").err == "No resources found in default namespace.\n"
    kubesim("tick 30")
    assert len(kubesim("get jobs -o name").out.splitlines()) == 1


def test_a_time_zone(kubesim: Kubesim, tmp_path: Path) -> None:
    manifest = cron_job("tokyo", "0 9 * * *", "true", "  timeZone: Asia/Tokyo\n")
    kubesim(f"create -f {write(tmp_path, 'cj.yaml', manifest)}")
    assert row(kubesim, "tokyo")[2] == "Asia/Tokyo"
    kubesim("tick 86400")
    annotation = kubesim(
        "get jobs -o jsonpath='{.items[0].metadata.annotations.batch\\.kubernetes\\.io/cronjob-scheduled-timestamp}'"
    ).out
    assert annotation.endswith("T09:00:00+09:00")
    bad = cron_job("bad", "0 9 * * *", "true", "  timeZone: Mars/Olympus\n")
    assert kubesim(f"create -f {write(tmp_path, 'bad.yaml', bad)}").err == (
        'The CronJob "bad" is invalid: spec.timeZone: Invalid value: "Mars/Olympus": unknown '
        "time zone Mars/Olympus\n"
    )


def test_schedule_validation(kubesim: Kubesim, tmp_path: Path) -> None:
    cases = {
        "bad": "expected exactly 5 fields, found 1: [bad]",
        "61 * * * *": "end of range (61) above maximum (59): 61",
        "@fortnightly": "unrecognized descriptor: @fortnightly",
    }
    for schedule, message in cases.items():
        manifest = write(tmp_path, "cj.yaml", cron_job("bad", schedule, "true"))
        assert kubesim(f"create -f {manifest}").err == (
            f'The CronJob "bad" is invalid: spec.schedule: Invalid value: "{schedule}": {message}\n'
        )
    tz = write(tmp_path, "cj.yaml", cron_job("bad", "TZ=UTC * * * * *", "true"))
    assert kubesim(f"create -f {tz}").err == (
        'The CronJob "bad" is invalid: spec.schedule: Invalid value: "TZ=UTC * * * * *": '
        "cannot use TZ or CRON_TZ in schedule, use timeZone field instead\n"
    )


def test_create_cronjob(kubesim: Kubesim) -> None:
    shown = kubesim(
        "create cronjob hello --image=busybox:1.28 --schedule='*/1 * * * *' --dry-run=client "
        "-o yaml -- echo hi"
    )
    assert shown.out == (
        "apiVersion: batch/v1\n"
        "kind: CronJob\n"
        "metadata:\n"
        "  creationTimestamp: null\n"
        "  name: hello\n"
        "spec:\n"
        "  jobTemplate:\n"
        "    metadata:\n"
        "      creationTimestamp: null\n"
        "      name: hello\n"
        "    spec:\n"
        "      template:\n"
        "        metadata:\n"
        "          creationTimestamp: null\n"
        "        spec:\n"
        "          containers:\n"
        "          - command:\n"
        "            - echo\n"
        "            - hi\n"
        "            image: busybox:1.28\n"
        "            name: hello\n"
        "            resources: {}\n"
        "          restartPolicy: OnFailure\n"
        "  schedule: '*/1 * * * *'\n"
        "status: {}\n"
    )
    missing = kubesim("create cronjob hello")
    assert missing.code == 1
    assert missing.err.endswith(
        '"command failed" err="required flag(s) \\"image\\", \\"schedule\\" not set"\n'
    )
    created = kubesim("create cronjob hello --image=busybox:1.28 --schedule='@daily' -- echo hi")
    assert created.out == "cronjob.batch/hello created\n"
    bad = kubesim("create cronjob bad --image=busybox --schedule=nope")
    assert bad.err == (
        'error: failed to create cronjob: CronJob.batch "bad" is invalid: spec.schedule: '
        'Invalid value: "nope": expected exactly 5 fields, found 1: [nope]\n'
    )


def test_create_job_from_a_cronjob(kubesim: Kubesim, tmp_path: Path) -> None:
    kubesim(f"create -f {write(tmp_path, 'cronjob.yaml', HELLO)}")
    created = kubesim("create job test-job --from=cronjob/hello")
    assert created.out == "job.batch/test-job created\n"
    annotation = kubesim(
        "get job test-job -o jsonpath='{.metadata.annotations.cronjob\\.kubernetes\\.io/instantiate}'"
    )
    assert annotation.out == "manual"
    owner = kubesim("get job test-job -o jsonpath={.metadata.ownerReferences[0].kind}").out
    assert owner == "CronJob"
    kubesim("tick 8")
    assert kubesim("logs job/test-job").out.splitlines()[1] == "Hello from the Kubernetes cluster"
    assert (
        kubesim(
            "get events --field-selector reason=UnexpectedJob -o jsonpath={.items[0].message}"
        ).out
        == "Saw a job that the controller did not create or forgot: test-job"
    )
    wrong = kubesim("create job x --from=deployment/web")
    assert wrong.err == 'Error from server (NotFound): deployments.apps "web" not found\n'


def test_history_limits(kubesim: Kubesim, tmp_path: Path) -> None:
    manifest = cron_job(
        "limited",
        "* * * * *",
        "exit 1",
        "  successfulJobsHistoryLimit: 0\n  failedJobsHistoryLimit: 2\n",
    )
    manifest = manifest.replace("      template:", "      backoffLimit: 0\n      template:")
    kubesim(f"create -f {write(tmp_path, 'cj.yaml', manifest)}")
    kubesim("tick 300")
    jobs = kubesim("get jobs").out.splitlines()[1:]
    assert len(jobs) == 2 and all(line.split()[1] == "Failed" for line in jobs)
