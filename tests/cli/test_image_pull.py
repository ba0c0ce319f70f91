"""Image pulls that fail, through the CLI: the Deployment concept page's "Rolling Back a
Deployment" (set image nginx:1.161, a stuck rollout, rollout undo), a misspelt image name,
imagePullPolicy Never, and a StatefulSet rolling update that halts on a bad image."""

from __future__ import annotations

import json
import re

import pytest

from kubesim.sandbox import registry
from tests.conftest import REPO, SAMPLES, Kubesim

DEPLOYMENT = SAMPLES / "deployment.yaml"
NOT_FOUND = (
    'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/'
    'nginx:1.161": failed to resolve reference "docker.io/library/nginx:1.161": '
    "docker.io/library/nginx:1.161: not found"
)


def rows(kubesim: Kubesim, what: str) -> dict[str, list[str]]:
    """`get WHAT` as NAME -> the other columns."""
    lines = kubesim(f"get {what}").out.splitlines()[1:]
    return {line.split()[0]: line.split()[1:] for line in lines}


def new_pod(kubesim: Kubesim, old_hash: str) -> str:
    (name,) = [n for n in rows(kubesim, "pods") if old_hash not in n]
    return name


@pytest.fixture
def stuck(kubesim: Kubesim) -> tuple[Kubesim, str]:
    """The Deployment page's nginx-deployment, rolled out, then set to the typo nginx:1.161;
    returns the old ReplicaSet's pod-template-hash."""
    kubesim(f"create -f {DEPLOYMENT}")
    kubesim("rollout status deployment/nginx-deployment")
    (old_rs,) = rows(kubesim, "rs")
    result = kubesim("set image deployment/nginx-deployment nginx=nginx:1.161")
    assert result.out == "deployment.apps/nginx-deployment image updated\n"
    return kubesim, old_rs.rsplit("-", 1)[1]


def test_the_rollout_gets_stuck_on_a_bad_image(stuck: tuple[Kubesim, str]) -> None:
    kubesim, old_hash = stuck
    result = kubesim("rollout status deployment/nginx-deployment --timeout=60s")
    assert (result.code, result.err) == (1, "error: timed out waiting for the condition\n")
    assert result.out.splitlines()[-1] == (
        'Waiting for deployment "nginx-deployment" rollout to finish: '
        "1 out of 3 new replicas have been updated..."
    )
    replica_sets = {
        name.rsplit("-", 1)[1]: columns[:3] for name, columns in rows(kubesim, "rs").items()
    }
    new_hash = next(h for h in replica_sets if h != old_hash)
    assert replica_sets == {old_hash: ["3", "3", "3"], new_hash: ["1", "1", "0"]}
    pods = rows(kubesim, "pods")
    assert sorted(columns[:2] for columns in pods.values()) == [
        ["0/1", "ImagePullBackOff"], ["1/1", "Running"], ["1/1", "Running"], ["1/1", "Running"],
    ]  # fmt: skip
    assert kubesim("get deploy").out.splitlines()[1].split()[1:4] == ["3/3", "1", "3"]


def test_the_new_pod_alternates_err_image_pull_and_image_pull_back_off(
    stuck: tuple[Kubesim, str],
) -> None:
    kubesim, old_hash = stuck
    seen: list[str] = []
    for _ in range(50):
        kubesim("tick")
        pods = {n: c for n, c in rows(kubesim, "pods").items() if old_hash not in n}
        for columns in pods.values():
            if not seen or seen[-1] != columns[1]:
                seen.append(columns[1])
    assert seen == [
        "Pending", "ContainerCreating", "ErrImagePull", "ImagePullBackOff", "ErrImagePull",
        "ImagePullBackOff", "ErrImagePull", "ImagePullBackOff",
    ]  # fmt: skip
    name = new_pod(kubesim, old_hash)
    status = kubesim(f"get pod {name} -o jsonpath={{.status.phase}}").out
    assert status == "Pending"


def test_describe_shows_the_waiting_state_and_the_kubelets_events(
    stuck: tuple[Kubesim, str],
) -> None:
    kubesim, old_hash = stuck
    kubesim("tick 28")  # pulled at 2s and 14s, in back-off at 4s and 24s
    out = kubesim(f"describe pod {new_pod(kubesim, old_hash)}").out
    assert "    State:          Waiting\n      Reason:       ImagePullBackOff\n" in out
    events = [re.split(r"\s{2,}", line.strip()) for line in out.split("Events:\n")[1].splitlines()]
    assert events[2][-1].startswith(f"Successfully assigned default/{new_pod(kubesim, old_hash)}")
    assert [(e[0], e[1], e[-1]) for e in events[3:]] == [
        ("Normal", "Pulling", 'Pulling image "nginx:1.161"'),
        ("Warning", "Failed", f'Failed to pull image "nginx:1.161": {NOT_FOUND}'),
        ("Warning", "Failed", "Error: ErrImagePull"),
        ("Normal", "BackOff", 'Back-off pulling image "nginx:1.161"'),
        ("Warning", "Failed", "Error: ImagePullBackOff"),
    ]  # fmt: skip
    assert [e[3] for e in events[3:]] == ["kubelet"] * 5
    assert [e[2] for e in events[3:]] == [
        "14s (x2 over 26s)", "14s (x2 over 25s)", "14s (x2 over 25s)", "4s (x2 over 24s)",
        "4s (x2 over 24s)",
    ]  # fmt: skip


def test_the_container_status_carries_the_pull_error(stuck: tuple[Kubesim, str]) -> None:
    kubesim, old_hash = stuck
    kubesim("tick 3")
    name = new_pod(kubesim, old_hash)
    waiting = "{.status.containerStatuses[0].state.waiting}"
    assert json.loads(kubesim(f"get pod {name} -o jsonpath={waiting}").out) == {
        "message": NOT_FOUND,
        "reason": "ErrImagePull",
    }
    kubesim("tick")
    # v1.32 appends the last pull's error to the back-off message (kubernetes#127918)
    message = kubesim(f"get pod {name} -o jsonpath={{.status.containerStatuses[0].state.waiting}}")
    assert json.loads(message.out) == {
        "message": f'Back-off pulling image "nginx:1.161": ErrImagePull: {NOT_FOUND}',
        "reason": "ImagePullBackOff",
    }


def test_rollout_undo_recovers(stuck: tuple[Kubesim, str]) -> None:
    kubesim, old_hash = stuck
    kubesim("tick 20")
    assert kubesim("rollout history deployment/nginx-deployment").out == (
        "deployment.apps/nginx-deployment \nREVISION  CHANGE-CAUSE\n1         <none>\n"
        "2         <none>\n\n"
    )
    assert kubesim("rollout undo deployment/nginx-deployment").out == (
        "deployment.apps/nginx-deployment rolled back\n"
    )
    result = kubesim("rollout status deployment/nginx-deployment")
    assert result.out.splitlines()[-1] == 'deployment "nginx-deployment" successfully rolled out'
    kubesim("tick 2")
    pods = rows(kubesim, "pods")
    assert len(pods) == 3 and all(old_hash in name for name in pods)
    assert all(columns[:2] == ["1/1", "Running"] for columns in pods.values())
    assert sorted(columns[:3] for columns in rows(kubesim, "rs").values()) == [
        ["0", "0", "0"], ["3", "3", "3"],
    ]  # fmt: skip


def test_why_explains_a_pod_without_its_image(stuck: tuple[Kubesim, str]) -> None:
    kubesim, old_hash = stuck
    kubesim("tick 5")
    name = new_pod(kubesim, old_hash)
    assert kubesim(f"why pod/{name}").out.startswith(
        f"pod/{name}: container nginx is ImagePullBackOff: Failed to pull image "
        f'"nginx:1.161": {NOT_FOUND} (last 2s ago); the kubelet pulls again after a back-off '
        "that doubles from 10s to 5m, until the image is changed\n  scheduled on "
    )


def test_a_misspelt_image_name_is_no_repository(kubesim: Kubesim) -> None:
    manifest = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n"
        "  - name: web\n    image: ngnix\n"
    )
    assert kubesim("create -f -", stdin=manifest).out == "pod/web created\n"
    kubesim("tick 3")
    assert rows(kubesim, "pods")["web"][:2] == ["0/1", "ErrImagePull"]
    message = kubesim(
        "get pod web -o jsonpath={.status.containerStatuses[0].state.waiting.message}"
    )
    assert message.out == (
        'rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/'
        'ngnix:latest": failed to resolve reference "docker.io/library/ngnix:latest": pull '
        "access denied, repository does not exist or may require authorization: server message: "
        "insufficient_scope: authorization failed"
    )
    kubesim("tick")
    assert rows(kubesim, "pods")["web"][:2] == ["0/1", "ImagePullBackOff"]


def test_pull_policy_never_without_the_image(kubesim: Kubesim) -> None:
    kubesim("run web --image=nginx:1.27.3 --image-pull-policy=Never")
    kubesim("tick 3")
    assert rows(kubesim, "pods")["web"][:2] == ["0/1", "ErrImageNeverPull"]
    out = kubesim("describe pod web").out
    assert (
        'Warning  ErrImageNeverPull  0s    kubelet            Container image "nginx:1.27.3" '
        "is not present with pull policy of Never\n"
    ) in out
    assert "Pulling" not in out


def pinned(name: str, policy: str) -> str:
    return (
        f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n"
        "  nodeName: kubesim-worker\n  containers:\n  - name: web\n    image: nginx:1.27.3\n"
        f"    imagePullPolicy: {policy}\n"
    )


def test_pull_policy_never_uses_an_image_already_on_the_node(kubesim: Kubesim) -> None:
    kubesim("create -f -", stdin=pinned("first", "IfNotPresent"))
    kubesim("tick 3")
    kubesim("create -f -", stdin=pinned("second", "Never"))
    kubesim("tick 3")
    assert rows(kubesim, "pods")["second"][:2] == ["1/1", "Running"]
    assert (
        'Container image "nginx:1.27.3" already present on machine'
        in kubesim("describe pod second").out
    )


def test_an_unparsable_image_name_is_invalid_image_name(kubesim: Kubesim) -> None:
    kubesim("run web --image=Nginx")
    kubesim("tick 3")
    assert rows(kubesim, "pods")["web"][:2] == ["0/1", "InvalidImageName"]


def test_a_statefulset_rolling_update_halts_at_the_highest_ordinal(article: Kubesim) -> None:
    article("set image sts/web nginx=nginx:1.161")
    article("tick 30")
    pods = rows(article, "pods -l app=nginx")
    assert {name: columns[:2] for name, columns in pods.items()} == {
        "web-0": ["1/1", "Running"],
        "web-1": ["0/1", "ImagePullBackOff"],
    }
    why = article("why sts/web").out.splitlines()
    assert (
        why[0]
        == "statefulset.apps/web: the set waits for web-1 to be Running and Ready (OrderedReady)"
    )
    assert why[1].startswith("  web-1: container nginx is ImagePullBackOff: Failed to pull image")
    # a rollback alone does not replace the broken pod ("Forced rollback" in the StatefulSet docs)
    article("rollout undo sts/web")
    article("tick 30")
    assert rows(article, "pods -l app=nginx")["web-1"][:2] == ["0/1", "ImagePullBackOff"]
    assert "delete the pod" in article("why sts/web").out
    article("delete pod web-1")
    article("tick 10")
    assert rows(article, "pods -l app=nginx")["web-1"][:2] == ["1/1", "Running"]


# --- every image kubesim's own samples, docs and tests use still pulls ---------------------------

# a reference ends where a Python string's escaped newline (\n) begins
IMAGE_PATTERNS = (
    re.compile(r"image:\s*[\"']?([^\s\"',}\]\\]+)"),
    re.compile(r"--image[= ][\"']?([^\s\"'\\]+)"),
    re.compile(r"\"image\"\s*:\s*\"([^\"]+)\""),
    re.compile(r"set image \S+ (?:\S+=\S+ )*\S+=([^\s\"']+)"),
)
# not images: a Python annotation, and arguments of tests whose command is refused before any pull
NOT_IMAGES = {"str", "b", "x"}


def referenced_images() -> set[str]:
    files = [
        *SAMPLES.iterdir(),
        *(REPO / "docs").glob("*.md"),
        *(REPO / "tests" / "cli").glob("*.py"),
    ]
    found: set[str] = set()
    for path in files:
        # their typos and missing tags are deliberate
        if path.name in (
            "test_image_pull.py", "image-pulls.md", "test_images.py", "test_kubernetes_basics.py",
        ):  # fmt: skip
            continue
        text = path.read_text()
        for pattern in IMAGE_PATTERNS:
            found |= {m.group(1) for m in pattern.finditer(text)}
    return found - NOT_IMAGES


def test_every_image_in_samples_docs_and_cli_tests_pulls() -> None:
    images = referenced_images()
    assert {"nginx:1.14.2", "registry.k8s.io/nginx-slim:0.24", "busybox:1.28"} <= images
    assert sorted(i for i in images if not registry.exists(i)) == []


def test_the_stuck_rollout_exceeds_its_progress_deadline(stuck: tuple[Kubesim, str]) -> None:
    kubesim, _ = stuck
    result = kubesim("rollout status deployment/nginx-deployment")
    assert (result.code, result.err) == (
        1,
        'error: deployment "nginx-deployment" exceeded its progress deadline\n',
    )
    conditions = kubesim("describe deploy nginx-deployment").out.split("Conditions:\n")[1]
    assert "  Progressing    False   ProgressDeadlineExceeded\n" in conditions


def test_logs_of_a_container_whose_image_cannot_be_pulled(kubesim: Kubesim) -> None:
    kubesim("run bad --image=nginx:nosuchtag")
    kubesim("tick 3")
    where = 'Error from server (BadRequest): container "bad" in pod "bad" is waiting to start: '
    assert kubesim("logs bad").err == where + "image can't be pulled\n"
    kubesim("tick 2")
    assert kubesim(
        "get pod bad -o jsonpath={.status.containerStatuses[0].state.waiting.reason}"
    ).out == ("ImagePullBackOff")
    assert kubesim("logs bad").err == where + "trying and failing to pull image\n"
