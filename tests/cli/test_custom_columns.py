"""kubesim get -o custom-columns and -o custom-columns-file."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Kubesim


def test_custom_columns(article: Kubesim) -> None:
    result = article("get pods -o custom-columns=NAME:.metadata.name,IP:.status.podIP,X:.nope")
    lines = result.out.splitlines()
    assert lines[0] == "NAME    IP           X"
    assert [line.split()[0] for line in lines[1:]] == ["web-0", "web-1"]
    assert all(line.split()[2] == "<none>" for line in lines[1:])
    assert all(line.split()[1].startswith("10.244.") for line in lines[1:])


def test_headers_print_as_given(article: Kubesim) -> None:
    assert article(
        "get sts web -o custom-columns=name:metadata.name,Replicas:{.spec.replicas}"
    ).out == ("name   Replicas\nweb    2\n")


def test_values_print_as_go_prints_them(article: Kubesim) -> None:
    columns = "C:.spec.template.spec.containers[*].name,M:.spec.selector.matchLabels"
    assert article(f"get sts web -o custom-columns={columns}").out == (
        "C       M\nnginx   map[app:nginx]\n"
    )


def test_no_headers_and_empty_results(article: Kubesim) -> None:
    assert (
        article("get pods -o custom-columns=N:.metadata.name --no-headers").out == "web-0\nweb-1\n"
    )
    result = article("get pods -n kube-public -o custom-columns=NAME:.metadata.name")
    assert (result.out, result.err) == ("NAME\n", "")


def test_columns_file(article: Kubesim, tmp_path: Path) -> None:
    template = tmp_path / "cols.txt"
    template.write_text("NAME   REPLICAS\n.metadata.name   spec.replicas\n")
    assert article(f"get sts web -o custom-columns-file={template}").out == (
        "NAME   REPLICAS\nweb    2\n"
    )


def test_spec_errors(article: Kubesim) -> None:
    assert article("get pods -o custom-columns").err == (
        "error: custom-columns format specified but no custom columns given\n"
    )
    assert article("get pods -o custom-columns=NAME").err == (
        "error: unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>\n"
    )
    assert article("get pods -o custom-columns=A:{.a}b").err == (
        "error: unexpected path string, expected a 'name1.name2' or '.name1.name2' or "
        "'{name1.name2}' or '{.name1.name2}'\n"
    )
    assert article("get pods -o custom-columns-file=nope.txt").err == (
        "error: error reading template nope.txt, open nope.txt: no such file or directory\n"
    )
