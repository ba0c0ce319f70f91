"""kubesim scale, set image and patch on the article's StatefulSet, and what the controller does."""

from __future__ import annotations

import pytest

from tests.conftest import Kubesim

PODS = "get pods -o custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image --no-headers"


def images(kubesim: Kubesim) -> dict[str, str]:
    lines = kubesim(PODS).out.splitlines()
    return dict(line.split() for line in lines)  # type: ignore[misc]


def tick_until(kubesim: Kubesim, done: object, limit: int = 60) -> list[dict[str, str]]:
    """Tick one second at a time; the pod images seen after each tick."""
    seen = []
    for _ in range(limit):
        kubesim("tick")
        seen.append(images(kubesim))
        if callable(done) and done(seen[-1]):
            break
    return seen


def test_scale_prints_scaled(article: Kubesim) -> None:
    result = article("scale sts web --replicas=3")
    assert (result.code, result.out, result.err) == (0, "statefulset.apps/web scaled\n", "")


def test_scale_up_creates_web_2_after_web_1_is_ready(article: Kubesim) -> None:
    article("scale sts web --replicas=3")
    seen = tick_until(article, lambda pods: "web-2" in pods)
    assert list(seen[-1]) == ["web-0", "web-1", "web-2"]
    assert article("get sts web -o jsonpath={.spec.replicas}").out == "3"


def test_scale_down_removes_the_highest_ordinal(article: Kubesim) -> None:
    article("scale statefulset/web --replicas=1")
    seen = tick_until(article, lambda pods: list(pods) == ["web-0"])
    assert list(seen[-1]) == ["web-0"]


def test_scale_to_a_negative_count_is_refused(article: Kubesim) -> None:
    result = article("scale sts web --replicas=-1")
    assert result.err == (
        "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n"
    )


def test_scale_checks_current_replicas(article: Kubesim) -> None:
    assert article("scale sts web --current-replicas=2 --replicas=3").out == (
        "statefulset.apps/web scaled\n"
    )
    result = article("scale sts web --current-replicas=2 --replicas=4")
    assert (result.code, result.out, result.err) == (
        1,
        "",
        "error: Expected replicas to be 2, was 3\n",
    )


def test_scale_of_a_pod_finds_no_scale_subresource(article: Kubesim) -> None:
    result = article("scale pod web-0 --replicas=2")
    assert (
        result.err
        == "Error from server (NotFound): the server could not find the requested resource\n"
    )


def test_scale_of_a_missing_set(article: Kubesim) -> None:
    result = article("scale sts nope --replicas=2")
    assert result.err == 'Error from server (NotFound): statefulsets.apps "nope" not found\n'


def test_scale_by_selector_and_name_output(article: Kubesim) -> None:
    # the set itself carries no labels
    assert (
        article("scale sts -l app=nginx --replicas=2").err == "error: no objects passed to scale\n"
    )
    assert article("scale sts --all --replicas=2 -o name").out == "statefulset.apps/web\n"


def test_set_image_replaces_pods_from_the_highest_ordinal(article: Kubesim) -> None:
    result = article("set image sts/web nginx=nginx:1.10")
    assert (result.code, result.out) == (0, "statefulset.apps/web image updated\n")
    seen = tick_until(article, lambda pods: set(pods.values()) == {"nginx:1.10"} and len(pods) == 2)
    first_new = {
        name: next(i for i, pods in enumerate(seen) if pods.get(name) == "nginx:1.10")
        for name in ("web-0", "web-1")
    }
    assert first_new["web-1"] < first_new["web-0"]
    assert seen[-1] == {"web-0": "nginx:1.10", "web-1": "nginx:1.10"}


def test_set_image_to_the_same_image_prints_nothing(article: Kubesim) -> None:
    result = article("set image sts/web nginx=nginx:1.9.1")
    assert (result.code, result.out, result.err) == (0, "", "")


def test_set_image_with_a_wildcard(article: Kubesim) -> None:
    assert article("set image sts/web *=nginx:1.10").out == "statefulset.apps/web image updated\n"
    template = "{.spec.template.spec.containers[0].image}"
    assert article(f"get sts web -o jsonpath={template}").out == "nginx:1.10"


def test_set_image_of_an_unknown_container(article: Kubesim) -> None:
    result = article("set image sts/web php=php:8")
    assert (result.code, result.out, result.err) == (
        1,
        "",
        'error: unable to find container named "php"\n',
    )


def test_set_image_of_a_service(article: Kubesim) -> None:
    result = article("set image svc/nginx a=b")
    assert result.err == (
        "error: services/nginx the object is not a pod or does not have a pod template: "
        "*v1.Service\n"
    )


def test_set_image_needs_an_image(article: Kubesim) -> None:
    assert article("set image sts/web").err == "error: at least one image update is required\n"


def test_partition_keeps_lower_ordinals_on_the_old_image(article: Kubesim) -> None:
    patch = '{"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":1}}}}'
    result = article(f"patch sts web -p '{patch}'")
    assert (result.code, result.out) == (0, "statefulset.apps/web patched\n")
    article("set image sts/web nginx=nginx:1.10")
    tick_until(article, None, limit=30)
    assert images(article) == {"web-0": "nginx:1.9.1", "web-1": "nginx:1.10"}
    article("""patch sts web -p '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":0}}}}'""")
    tick_until(article, None, limit=30)
    assert images(article) == {"web-0": "nginx:1.10", "web-1": "nginx:1.10"}


def test_patch_that_changes_nothing(article: Kubesim) -> None:
    result = article("""patch sts web -p '{"spec":{"replicas":2}}'""")
    assert result.out == "statefulset.apps/web patched (no change)\n"


def test_patch_types(article: Kubesim) -> None:
    assert article("""patch sts web --type=merge -p '{"spec":{"replicas":3}}'""").out == (
        "statefulset.apps/web patched\n"
    )
    json_patch = '[{"op":"replace","path":"/spec/replicas","value":1}]'
    assert article(f"patch sts web --type json -p '{json_patch}'").out == (
        "statefulset.apps/web patched\n"
    )
    assert article("get sts web -o jsonpath={.spec.replicas}").out == "1"


def test_patch_in_yaml(article: Kubesim) -> None:
    assert article("patch sts web -p 'spec: {replicas: 3}'").out == "statefulset.apps/web patched\n"


def test_patch_errors(article: Kubesim) -> None:
    assert article("patch sts web").err == (
        "error: must specify --patch or --patch-file containing the contents of the patch\n"
    )
    assert article("patch sts web -p {} --type=foo").err == (
        'error: --type must be one of [json merge strategic], not "foo"\n'
    )
    bad_op = """[{"op":"replace","path":"/spec/nope","value":1}]"""
    assert article(f"patch sts web --type=json -p '{bad_op}'").err == (
        "The request is invalid: the server rejected our request due to an error in our request\n"
    )
    assert article("""patch sts web -p '{"spec":'""").err == (
        "Error from server (BadRequest): unexpected end of JSON input\n"
    )
    assert article(
        """patch sts web -p '{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}'"""
    ).err == ("Error from server: map: map[image:x] does not contain declared merge key: name\n")


def test_patch_of_an_immutable_field_is_invalid(article: Kubesim) -> None:
    result = article("""patch sts web -p '{"spec":{"serviceName":"other"}}'""")
    assert (result.code, result.err) == (
        1,
        'The StatefulSet "web" is invalid: spec: Forbidden: updates to statefulset spec for '
        "fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', "
        "'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' "
        "are forbidden\n",
    )


def test_patch_bumps_generation_only_for_spec_changes(article: Kubesim) -> None:
    article("""patch sts web --type=merge -p '{"metadata":{"labels":{"a":"b"}}}'""")
    assert article("get sts web -o jsonpath={.metadata.generation}").out == "1"
    article("""patch sts web -p '{"spec":{"replicas":3}}'""")
    assert article("get sts web -o jsonpath={.metadata.generation}").out == "2"


def test_scale_with_timeout_waits_for_the_new_size(article: Kubesim) -> None:
    result = article("scale sts web --replicas=3 --timeout=60s")
    assert (result.code, result.out) == (0, "statefulset.apps/web scaled\n")
    assert article("get sts web -o jsonpath={.status.replicas}").out == "3"
    result = article("scale sts web --replicas=6 --timeout=2s")
    assert (result.code, result.err) == (1, 'error: timed out waiting for "web" to be synced\n')


def test_the_tutorial_s_json_patch_with_short_flags_written_with_equals(article: Kubesim) -> None:
    # pflag reads -p='...' as -p '...' (parseSingleShortArg); so do -n=, -l=, -o=
    result = article(
        'patch statefulset web --type=\'json\' -p=\'[{"op": "replace", "path": '
        '"/spec/template/spec/containers/0/image", "value":"registry.k8s.io/nginx-slim:0.24"}]\''
    )
    assert (result.code, result.out, result.err) == (0, "statefulset.apps/web patched\n", "")
    listed = article("get pods -n=default -l=app=nginx -o=name")
    assert listed.out == "pod/web-0\npod/web-1\n"
    assert article("exec web-0 -c=nginx -- echo -n=x").out == "-n=x\n"


def test_a_released_pod_blocks_its_name_without_false_events(article: Kubesim) -> None:
    assert article("label pod web-1 app=other --overwrite").out == "pod/web-1 labeled\n"
    article("tick 10")
    events = article(
        "get events --field-selector involvedObject.kind=StatefulSet -o custom-columns=MSG:.message,COUNT:.count"
    ).out
    assert events.splitlines()[1:] == [
        "create Pod web-0 in StatefulSet web successful   1",
        "create Pod web-1 in StatefulSet web successful   1",
    ]
    assert article("why sts/web").out == (
        "statefulset.apps/web: a pod named web-1 exists that is not the set's (its labels do not "
        "match the selector, or it has another owner), so the set cannot create its own\n"
    )


def test_the_tutorial_s_on_delete_patch_is_refused_as_v1_32_refuses_it(article: Kubesim) -> None:
    result = article(
        """patch statefulset web -p '{"spec":{"updateStrategy":{"type":"OnDelete"}}}'"""
    )
    assert (result.code, result.err) == (
        1,
        'The StatefulSet "web" is invalid: spec.updateStrategy.rollingUpdate: Invalid value: '
        "apps.RollingUpdateStatefulSetStrategy{Partition:0, MaxUnavailable:(*intstr.IntOrString)(nil)}: "
        "only allowed for updateStrategy 'RollingUpdate'\n",
    )


def test_set_resources_on_a_deployment_template(kubesim: Kubesim) -> None:
    kubesim("create deployment web --image=nginx:1.25")
    result = kubesim("set resources deployment/web -c=nginx --limits=cpu=200m,memory=512Mi")
    assert (result.code, result.out) == (0, "deployment.apps/web resource requirements updated\n")
    again = kubesim("set resources deployment/web -c=nginx --limits=cpu=200m,memory=512Mi")
    assert (again.code, again.out) == (0, "")  # nothing changed, nothing printed
    requests = kubesim(
        "set resources deploy web --requests=cpu=0.5 "
        "-o jsonpath={.spec.template.spec.containers[0].resources}"
    )
    assert requests.out == ('{"limits":{"cpu":"200m","memory":"512Mi"},"requests":{"cpu":"500m"}}')


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (
            "",
            "you must specify an update to requests or limits (in the form of --requests/--limits)",
        ),
        ("-c=nope --limits=cpu=1", "unable to find container named nope"),
        ("--limits=cpu", "Invalid argument syntax cpu, expected <resource>=<value>"),
        (
            "--limits=cpu=x",
            "quantities must match the regular expression "
            "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
        ),
    ],
)
def test_set_resources_refusals(kubesim: Kubesim, flags: str, message: str) -> None:
    kubesim("create deployment web --image=nginx:1.25")
    result = kubesim(f"set resources deployment/web {flags}")
    assert (result.code, result.err) == (1, f"error: {message}\n")


def test_controllers_see_every_write_between_two_ticks(kubesim: Kubesim) -> None:
    """`scale --replicas=0` then `--replicas=2` with no tick between replaces the pods, as a
    real cluster's controllers, which react within milliseconds, do."""
    kubesim("create deployment my-nginx --image=nginx --replicas=2")
    kubesim("tick 5")
    before = set(kubesim("get pods -o name").out.split())
    kubesim("scale deployment my-nginx --replicas=0")
    kubesim("scale deployment my-nginx --replicas=2")
    kubesim("tick 3")
    after = set(kubesim("get pods -o name").out.split())
    assert len(after) == 2 and not after & before


def test_a_deleted_pod_is_replaced_at_once(kubesim: Kubesim) -> None:
    kubesim("create deployment web --image=nginx --replicas=1")
    kubesim("tick 5")
    (old,) = kubesim("get pods -o name").out.split()
    kubesim(f"delete {old} --wait=false")
    rows = [line.split()[:3] for line in kubesim("get pods").out.splitlines()[1:]]
    assert [r[2] for r in rows if f"pod/{r[0]}" == old] == ["Terminating"]
    assert [r[2] for r in rows if f"pod/{r[0]}" != old] == ["Pending"]
