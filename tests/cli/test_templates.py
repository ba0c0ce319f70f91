"""kubesim get with templates: --template, -o go-template[-file], -o template[file],
-o jsonpath-file and -o jsonpath-as-json, as kubectl v1.32 prints them (messages checked
against kubectl's; kubectl prints a template's output as it is, with no newline added)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubesim.cli import watch
from tests.conftest import Kubesim

IMAGES = "{{range $i, $c := .spec.containers}}{{$c.image}}{{end}}"


def test_the_tutorials_loop_prints_each_pods_image(article: Kubesim) -> None:
    # for p in 0 1; do kubectl get pod "web-$p" --template '...'; echo; done
    for p in (0, 1):
        result = article(f"get pod web-{p} --template '{IMAGES}'")
        assert (result.code, result.out, result.err) == (0, "nginx:1.9.1", "")


@pytest.mark.parametrize(
    "output",
    [
        "-o go-template='{{.metadata.name}}'",
        "-o=go-template='{{.metadata.name}}'",
        "-o template='{{.metadata.name}}'",
        "-o go-template --template '{{.metadata.name}}'",
        "--template='{{.metadata.name}}'",
        "-o go-template-file=name.tmpl",
        "-o templatefile=name.tmpl",
        "-o go-template-file --template name.tmpl",
        "-o jsonpath-file=name.jsonpath",
        "-o jsonpath --template '{.metadata.name}'",
    ],
)
def test_every_template_form_prints_the_same(article: Kubesim, output: str) -> None:
    Path("name.tmpl").write_text("{{.metadata.name}}")
    Path("name.jsonpath").write_text("{.metadata.name}")
    result = article(f"get pod web-0 {output}")
    assert (result.code, result.out, result.err) == (0, "web-0", "")


def test_several_objects_are_a_list(article: Kubesim) -> None:
    template = '{{.kind}}:{{range .items}} {{.metadata.name}}{{end}}{{"\\n"}}'
    assert article(f"get pods -o go-template='{template}'").out == "List: web-0 web-1\n"
    assert article(f"get pod web-0 web-1 -o go-template='{template}'").out == (
        "List: web-0 web-1\n"
    )
    assert article("get pod web-0 -o go-template='{{.kind}}'").out == "Pod"


def test_jsonpath_as_json_prints_each_result_as_a_json_array(article: Kubesim) -> None:
    result = article("get pods -o jsonpath-as-json='{.items[*].metadata.name}'")
    assert result.out == '[\n    "web-0",\n    "web-1"\n]\n'
    result = article("get pod web-0 -o jsonpath-as-json='name: {.metadata.name}{.nope}'")
    assert result.out == '[\n    "name: "\n]\n[\n    "web-0"\n]\n[]\n'


@pytest.mark.parametrize(
    "output",
    ["go-template='{{range .items}}x{{end}}'", "jsonpath='{.items[*].kind}'", "name"],
)
def test_no_objects_print_nothing_but_the_template(kubesim: Kubesim, output: str) -> None:
    # printGeneric prints the empty List through the printer; only tables say "No resources"
    result = kubesim(f"get pods -o {output}")
    assert (result.code, result.out, result.err) == (0, "", "")
    assert kubesim("get pods -o go-template='{{len .items}}'").out == "0"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            "-o go-template='{{.metadata.name'",
            "error: error parsing template {{.metadata.name, template: output:1: unclosed action",
        ),
        (
            "--template '{{.foo,}}'",
            'error: error parsing template {{.foo,}}, template: output:1: unexpected "," in '
            "operand",
        ),
        (
            "-o go-template-file=nope.tmpl",
            "error: error reading --template nope.tmpl, open nope.tmpl: no such file or directory",
        ),
        (
            "-o jsonpath-file=nope.jsonpath",
            "error: error reading --template nope.jsonpath, open nope.jsonpath: no such file or "
            "directory",
        ),
        ("-o go-template", "error: template format specified but no template given"),
        ("-o go-template=", "error: template format specified but no template given"),
        ("-o templatefile", "error: template format specified but no template given"),
        (
            "-o go-template='{{.kind}}' --template '{{.kind}}'",
            'error: unable to match a printer suitable for the output format "go-template={{.kind}}", '
            "allowed formats are: custom-columns,custom-columns-file,go-template,"
            "go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,"
            "templatefile,wide,yaml",
        ),
    ],
)
def test_refusals_are_kubectls(article: Kubesim, args: str, message: str) -> None:
    result = article(f"get pod web-0 {args}")
    assert (result.code, result.out, result.err) == (1, "", message + "\n")


def test_a_template_that_fails_prints_what_it_could_and_kubectls_debugging_text(
    article: Kubesim,
) -> None:
    result = article("get pod web-0 --template '{{.metadata.name}} {{.kind.x}}'")
    error = (
        'template: output:1:26: executing "output" at <.kind.x>: can\'t evaluate field x in '
        "type interface {}"
    )
    assert result.code == 1
    assert result.err == (
        f'error: error executing template "{{{{.metadata.name}}}} {{{{.kind.x}}}}": {error}\n'
    )
    lines = result.out.split("\n")
    assert lines[0] == (
        f"web-0 Error executing template: {error}. Printing more information for debugging the "
        "template:"
    )
    assert lines[1:3] == ["\ttemplate was:", "\t\t{{.metadata.name}} {{.kind.x}}"]
    assert lines[3] == "\traw data was:"
    assert lines[4].startswith('\t\t{"apiVersion":"v1","kind":"Pod","metadata":{')
    assert lines[5] == "\tobject given to template engine was:"
    assert lines[6].startswith("\t\tmap[apiVersion:v1 kind:Pod metadata:map[")
    assert lines[7:] == ["", ""]


def test_a_missing_object_is_reported_before_the_template(article: Kubesim) -> None:
    result = article("get pod web-9 -o go-template='{{.x'")
    assert (result.code, result.out, result.err) == (
        1,
        "",
        'Error from server (NotFound): pods "web-9" not found\n',
    )


def test_output_formats_other_than_templates_take_no_value(article: Kubesim) -> None:
    result = article("get pod web-0 -o json=x")
    assert result.code == 1
    assert result.err.startswith(
        'error: unable to match a printer suitable for the output format "json=x"'
    )


def interrupt_after_listing(monkeypatch: pytest.MonkeyPatch) -> None:
    """End a watch at its first wait, as Ctrl-C would, once it has printed the list."""

    def sleep(_: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(watch.time, "sleep", sleep)


def test_watch_prints_each_object_through_the_template(
    article: Kubesim, monkeypatch: pytest.MonkeyPatch
) -> None:
    interrupt_after_listing(monkeypatch)
    result = article("get pods -w -o go-template='{{.metadata.name}}{{\"\\n\"}}'")
    assert (result.code, result.out) == (1, "web-0\nweb-1\n")
    result = article("get pods -w --output-watch-events --template '{{.type}} {{.object.kind}} '")
    assert (result.code, result.out) == (1, "ADDED Pod ADDED Pod ")


def test_watch_refuses_a_bad_template_before_watching(
    article: Kubesim, monkeypatch: pytest.MonkeyPatch
) -> None:
    interrupt_after_listing(monkeypatch)
    result = article("get pods -w --template '{{.x'")
    assert (result.code, result.out) == (1, "")
    assert result.err == "error: error parsing template {{.x, template: output:1: unclosed action\n"
    result = article("get pods -w --template '{{.kind.x}}'")
    assert result.code == 1
    assert result.err.startswith(
        'error: unable to output the provided object: error executing template "{{.kind.x}}": '
    )
