"""kubesim wait: ticks the manual clock until the condition holds, or reports the timeout."""

from __future__ import annotations

from tests.conftest import SAMPLES, Kubesim


def test_wait_for_ready_ticks_until_the_pod_is_ready(kubesim: Kubesim) -> None:
    kubesim(f"create -f {SAMPLES / 'svc.yaml'}")
    kubesim(f"create -f {SAMPLES / 'statefulset.yaml'}")
    kubesim("tick 6")  # web-1 exists from here on, not yet Ready
    result = kubesim("wait --for=condition=Ready pod/web-1")
    assert (result.code, result.out, result.err) == (0, "pod/web-1 condition met\n", "")
    assert kubesim("get pod web-1 -o jsonpath={.status.phase}").out == "Running"


def test_wait_on_a_ready_pod_returns_at_once(article: Kubesim) -> None:
    assert article("wait --for=condition=Ready pod/web-1").out == "pod/web-1 condition met\n"


def test_wait_for_several_by_selector(article: Kubesim) -> None:
    assert article("wait --for=condition=ready pods -l app=nginx").out == (
        "pod/web-0 condition met\npod/web-1 condition met\n"
    )


def test_wait_for_jsonpath(article: Kubesim) -> None:
    assert article("wait --for=jsonpath={.status.phase}=Running pod/web-0").out == (
        "pod/web-0 condition met\n"
    )


def test_wait_for_delete(article: Kubesim) -> None:
    article("delete pod web-1 --wait=false")
    assert article("wait --for=delete pod/web-1 --timeout=60s").out == "pod/web-1 condition met\n"
    result = article("wait --for=delete pod/nope")
    assert (result.code, result.out, result.err) == (0, "", "")


def test_wait_times_out_in_ticks(article: Kubesim) -> None:
    result = article("wait --for=condition=Ready=false pod/web-0 --timeout=5s")
    assert (result.code, result.err) == (
        1,
        "error: timed out waiting for the condition on pods/web-0\n",
    )
    seconds = int(article("tick 0").out.split("time: ")[1].rstrip("s)\n"))
    assert seconds >= 12 + 5  # the clock moved while it waited


def test_wait_with_zero_timeout_checks_once(article: Kubesim) -> None:
    result = article("wait --for=condition=Ready=false pod/web-0 --timeout=0")
    assert result.err == "error: condition not met for pods/web-0\n"


def test_wait_for_create(kubesim: Kubesim) -> None:
    kubesim(f"create -f {SAMPLES / 'statefulset.yaml'}")
    assert kubesim("wait --for=create pod/web-1").out == "pod/web-1 condition met\n"
    assert kubesim("wait --for=create pod/web-7 --timeout=2s").err == (
        "error: timed out waiting for the condition\n"
    )


def test_wait_errors(article: Kubesim) -> None:
    assert article("wait pod/web-0").err == 'error: unrecognized condition: ""\n'
    assert article("wait --for=condition=Ready pods").err == (
        "error: resource(s) were provided, but no name was specified\n"
    )
    assert article("wait --for=condition=Ready pods -l app=none").err == (
        "error: no matching resources found\n"
    )
    assert article("wait --for=condition=Ready pod/nope").err == (
        'Error from server (NotFound): pods "nope" not found\n'
    )
    assert article("wait --for=jsonpath={.status.phase}= pod/web-0").err == (
        "error: jsonpath wait has to have a value after equal sign, like "
        "--for=jsonpath='{.status.readyReplicas}'=3\n"
    )
    assert article("wait --for=condition=Ready pod/web-0 --timeout=30").err == (
        'Error: invalid argument "30" for "--timeout" flag: time: missing unit in duration "30"\n'
        "See 'kubesim wait --help' for usage.\n"
    )


def test_wait_follows_a_pod_recreated_under_the_same_name(article: Kubesim) -> None:
    article("set image sts/web nginx=nginx:1.10")
    result = article("wait --for=jsonpath={.spec.containers[0].image}=nginx:1.10 pod/web-1")
    assert (result.code, result.out, result.err) == (0, "pod/web-1 condition met\n", "")
