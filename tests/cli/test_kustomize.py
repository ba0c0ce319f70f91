"""kubesim kustomize DIR, and -k on apply, create and delete.

The kustomizations under kustomize_cases/ and kustomize_errors/ carry what kubectl v1.32
(kustomize v5.5.0) prints for them: expected.yaml (stdout), expected.err (stderr: deprecation
warnings, or the error's klog line with its header cut to `E run.go:72]` and the directory as
$DIR). kubesim must print the same; where the real kubectl is on PATH, the goldens are checked
against it too.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import Kubesim

HERE = Path(__file__).resolve().parent
CASES = sorted(p.parent for p in (HERE / "kustomize_cases").rglob("expected.yaml"))
ERRORS = sorted(p.parent for p in (HERE / "kustomize_errors").glob("*/expected.err"))


def _name(case: Path) -> str:
    return str(case.relative_to(HERE))


def _kubectl() -> str | None:
    """The real kubectl, when it is there and embeds the kustomize kubesim follows."""
    path = shutil.which("kubectl")
    if path is None:
        return None
    version = subprocess.run([path, "version", "--client"], capture_output=True, text=True)
    return path if "Kustomize Version: v5.5.0" in version.stdout else None


KUBECTL = _kubectl()
needs_kubectl = pytest.mark.skipif(
    KUBECTL is None,
    reason="kubectl v1.32 (kustomize v5.5.0) is not on PATH: the goldens are checked against "
    "kubesim only",
)


def _normalized(err: str, directory: Path) -> str:
    """A klog header without its time and process id, the directory as $DIR, and a Go pointer
    (which kustomize prints in some errors) fixed."""
    err = re.sub(r"^E\d{4} [\d:.]+ +\d+ ", "E ", err, flags=re.M)
    err = re.sub(r"&\{0xc[0-9a-f]+ ", "&{0xc000564680 ", err)
    return err.replace(str(directory), "$DIR")


def _expected_err(case: Path) -> str:
    path = case / "expected.err"
    return path.read_text() if path.exists() else ""


@pytest.mark.parametrize("case", CASES, ids=_name)
def test_kustomize_prints_what_kubectl_prints(kubesim: Kubesim, case: Path) -> None:
    result = kubesim(f"kustomize {case}")
    assert (result.code, result.err) == (0, _expected_err(case))
    assert result.out == (case / "expected.yaml").read_text()


@pytest.mark.parametrize("case", ERRORS, ids=_name)
def test_kustomize_errors_are_kustomizes(
    kubesim: Kubesim, case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(case)
    result = kubesim("kustomize .")
    assert (result.code, result.out) == (1, "")
    assert _normalized(result.err, case) == _expected_err(case)


@needs_kubectl
@pytest.mark.parametrize("case", CASES + ERRORS, ids=_name)
def test_goldens_are_what_kubectl_prints(case: Path) -> None:
    assert KUBECTL is not None
    done = subprocess.run([KUBECTL, "kustomize", "."], cwd=case, capture_output=True, text=True)
    if (case / "expected.yaml").exists():
        assert done.stdout == (case / "expected.yaml").read_text()
    else:
        assert done.returncode == 1
    assert _normalized(done.stderr, case) == _expected_err(case)


def test_kustomize_of_a_directory_without_kustomization(kubesim: Kubesim, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = kubesim(f"kustomize {tmp_path / 'empty'}")
    assert result.code == 1
    assert _normalized(result.err, tmp_path) == (
        'E run.go:72] "command failed" err="unable to find one of \'kustomization.yaml\', '
        "'kustomization.yml' or 'Kustomization' in directory '$DIR/empty'\"\n"
    )


def test_kustomize_takes_one_directory(kubesim: Kubesim) -> None:
    result = kubesim("kustomize a b")
    assert result.code == 1
    assert _normalized(result.err, HERE) == (
        'E run.go:72] "command failed" err="specify one path to kustomization.yaml"\n'
    )


def test_kustomize_refuses_what_kubesim_does_not_simulate(kubesim: Kubesim, tmp_path: Path) -> None:
    (tmp_path / "kustomization.yaml").write_text("replacements:\n- path: r.yaml\n")
    result = kubesim(f"kustomize {tmp_path}")
    assert result.code == 1
    assert "kubesim does not simulate the kustomization field 'replacements'" in result.err


# --- -k -------------------------------------------------------------------------------------

APP = {
    "kustomization.yaml": """\
namePrefix: dev-
labels:
- pairs:
    env: dev
configMapGenerator:
- name: settings
  literals:
  - GREETING=hello
resources:
- web.yaml
""",
    "web.yaml": """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.14.2
        envFrom:
        - configMapRef:
            name: settings
""",
}


def app(tmp_path: Path, greeting: str = "hello") -> Path:
    directory = tmp_path / "app"
    directory.mkdir(exist_ok=True)
    for name, text in APP.items():
        (directory / name).write_text(text.replace("hello", greeting))
    return directory


def test_apply_k_applies_the_built_objects_in_kustomize_order(
    kubesim: Kubesim, tmp_path: Path
) -> None:
    directory = app(tmp_path)
    result = kubesim(f"apply -k {directory}")
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        "configmap/dev-settings-f655md8fbd created\n"
        "service/dev-web created\n"
        "deployment.apps/dev-web created\n"
    )
    # the Deployment reads the ConfigMap by its generated name
    ref = "{.spec.template.spec.containers[0].envFrom[0].configMapRef.name}"
    assert kubesim(f"get deploy dev-web -o jsonpath={ref}").out == "dev-settings-f655md8fbd"
    assert kubesim("get deploy dev-web -o jsonpath={.metadata.labels.env}").out == "dev"
    again = kubesim(f"apply -k {directory}")
    assert again.out == (
        "configmap/dev-settings-f655md8fbd unchanged\n"
        "service/dev-web unchanged\n"
        "deployment.apps/dev-web unchanged\n"
    )


def test_apply_k_after_a_change_makes_a_new_configmap_and_rolls_the_deployment(
    kubesim: Kubesim, tmp_path: Path
) -> None:
    kubesim(f"apply -k {app(tmp_path)}")
    result = kubesim(f"apply -k {app(tmp_path, greeting='bonjour')}")
    assert result.out == (
        "configmap/dev-settings-c949294kh8 created\n"
        "service/dev-web unchanged\n"
        "deployment.apps/dev-web configured\n"
    )
    names = kubesim("get configmaps -o name").out.split()
    assert "configmap/dev-settings-f655md8fbd" in names  # the old one stays, as with kubectl
    assert "configmap/dev-settings-c949294kh8" in names


def test_create_k_and_delete_k(kubesim: Kubesim, tmp_path: Path) -> None:
    directory = app(tmp_path)
    created = kubesim(f"create -k {directory}")
    assert (created.code, created.out) == (
        0,
        "configmap/dev-settings-f655md8fbd created\n"
        "service/dev-web created\n"
        "deployment.apps/dev-web created\n",
    )
    again = kubesim(f"create -k {directory}")
    assert again.code == 1
    assert again.err.startswith(
        f'Error from server (AlreadyExists): error when creating "{directory}": configmaps '
        '"dev-settings-f655md8fbd" already exists\n'
    )
    deleted = kubesim(f"delete -k {directory}")
    assert (deleted.code, deleted.out) == (
        0,
        'configmap "dev-settings-f655md8fbd" deleted\n'
        'service "dev-web" deleted\n'
        'deployment.apps "dev-web" deleted\n',
    )
    assert kubesim("get deploy").err == "No resources found in default namespace.\n"


def test_k_with_a_relative_directory_names_it_as_given(
    kubesim: Kubesim, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(app(tmp_path))
    kubesim("create -k ./")
    result = kubesim("create -k ./")
    assert 'error when creating "./": configmaps "dev-settings-f655md8fbd" already exists' in (
        result.err
    )


def test_k_and_f_together_are_refused(kubesim: Kubesim, tmp_path: Path) -> None:
    for verb in ("apply", "create", "delete"):
        result = kubesim(f"{verb} -f x.yaml -k {app(tmp_path)}")
        assert (result.code, result.err) == (1, "error: only one of -f or -k can be specified\n")


def test_k_of_a_broken_kustomization_prints_kustomizes_error(
    kubesim: Kubesim, tmp_path: Path
) -> None:
    result = kubesim(f"apply -k {tmp_path / 'nowhere'}")
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        "error: must build at directory: not a valid directory: evalsymlink failure on "
        f"'{tmp_path / 'nowhere'}' : lstat {tmp_path / 'nowhere'}: no such file or directory\n"
    )
    assert kubesim("get configmaps -o name").out == "configmap/kube-root-ca.crt\n"


def test_k_of_the_wordpress_tutorial_creates_its_generated_secret(kubesim: Kubesim) -> None:
    """The tutorial's secretGenerator makes a Secret with its hashed name, which the
    Deployments' secretKeyRef now names."""
    result = kubesim(f"apply -k {HERE / 'kustomize_cases' / 'wordpress'}")
    assert (result.code, result.err) == (0, "")
    assert result.out.startswith("secret/mysql-pass-5m26tmdb5k created\n")
    assert kubesim("get secrets").out.splitlines()[1].split()[:3] == [
        "mysql-pass-5m26tmdb5k",
        "Opaque",
        "1",
    ]
    assert kubesim("get deploy -o name").out == (
        "deployment.apps/wordpress\ndeployment.apps/wordpress-mysql\n"
    )


def test_other_verbs_take_k(kubesim: Kubesim, tmp_path: Path) -> None:
    directory = app(tmp_path)
    kubesim(f"apply -k {directory}")
    labelled = kubesim(f"label -k {directory} reviewed=yes")
    assert labelled.out == (
        "configmap/dev-settings-f655md8fbd labeled\n"
        "service/dev-web labeled\n"
        "deployment.apps/dev-web labeled\n"
    )
    described = kubesim(f"describe -k {directory}")
    assert "Name:         dev-settings-f655md8fbd" in described.out


def test_kustomize_output_to_a_file_and_to_a_directory(kubesim: Kubesim, tmp_path: Path) -> None:
    directory = app(tmp_path)
    assert kubesim(f"kustomize {directory} -o {tmp_path / 'all.yaml'}").out == ""
    assert (tmp_path / "all.yaml").read_text() == kubesim(f"kustomize {directory}").out
    (tmp_path / "out").mkdir()
    kubesim(f"kustomize {directory} -o {tmp_path / 'out'}")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "apps_v1_deployment_dev-web.yaml",
        "v1_configmap_dev-settings-f655md8fbd.yaml",
        "v1_service_dev-web.yaml",
    ]
    assert (
        (tmp_path / "out" / "v1_service_dev-web.yaml")
        .read_text()
        .startswith(
            "apiVersion: v1\nkind: Service\nmetadata:\n  labels:\n    env: dev\n  name: dev-web\n"
        )
    )
    missing = kubesim(f"kustomize {directory} -o {tmp_path / 'no' / 'x.yaml'}")
    assert _normalized(missing.err, tmp_path) == (
        'E run.go:72] "command failed" err="open $DIR/no/x.yaml: no such file or directory"\n'
    )
