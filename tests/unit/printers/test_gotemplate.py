"""kubectl's go-templates (text/template, Go 1.23). Every expectation below is what kubectl
v1.32 prints for the same template over DEPLOYMENT:

    kubectl create deployment x --image=nginx --replicas=3 --dry-run=client -o go-template=...
"""

from __future__ import annotations

import pytest

from kubesim.printers.gotemplate import ExecError, ParseError, PrintError, Template, print_obj

DEPLOYMENT = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"creationTimestamp": None, "labels": {"app": "x"}, "name": "x"},
    "spec": {
        "replicas": 3,
        "selector": {"matchLabels": {"app": "x"}},
        "strategy": {},
        "template": {
            "metadata": {"creationTimestamp": None, "labels": {"app": "x"}},
            "spec": {"containers": [{"image": "nginx", "name": "nginx", "resources": {}}]},
        },
    },
    "status": {},
}


def render(template: str, data: object = DEPLOYMENT) -> str:
    return Template(template).execute(data)


def test_the_statefulset_tutorial_template() -> None:
    pod = {"spec": {"containers": [{"name": "nginx", "image": "registry.k8s.io/nginx-slim:0.24"}]}}
    template = "{{range $i, $c := .spec.containers}}{{$c.image}}{{end}}"
    assert render(template, pod) == "registry.k8s.io/nginx-slim:0.24"


def test_a_list_ranges_over_its_items() -> None:
    pods = {"kind": "List", "items": [{"metadata": {"name": f"web-{i}"}} for i in range(3)]}
    template = '{{range .items}}{{.metadata.name}}{{"\\n"}}{{end}}'
    assert render(template, pods) == "web-0\nweb-1\nweb-2\n"


def test_maps_range_in_key_order() -> None:
    labels = {"metadata": {"labels": {"zone": "b", "app": "web", "tier": "front"}}}
    template = "{{range $k, $v := .metadata.labels}}{{$k}}={{$v}} {{end}}"
    assert render(template, labels) == "app=web tier=front zone=b "


@pytest.mark.parametrize(
    ("template", "text"),
    [
        ("{{.metadata.name}}", "x"),
        ("{{.metadata.creationTimestamp}}", "<no value>"),
        ("{{.metadata.nope}}", "<no value>"),
        ("{{.metadata.nope.deeper}}", "<no value>"),
        (
            "{{.spec}}",
            "map[replicas:3 selector:map[matchLabels:map[app:x]] strategy:map[] template:map[metadata:map[creationTimestamp:<nil> labels:map[app:x]] spec:map[containers:[map[image:nginx name:nginx resources:map[]]]]]]",
        ),
        ("{{.spec.template.spec.containers}}", "[map[image:nginx name:nginx resources:map[]]]"),
        ("{{$.kind}}", "Deployment"),
        ("{{(.spec).replicas}}", "3"),
        ("{{range .spec.selector.matchLabels}}{{.}}{{end}}", "x"),
        (
            "{{range $k, $v := .metadata}}{{$k}}={{$v}};{{end}}",
            "creationTimestamp=<no value>;labels=map[app:x];name=x;",
        ),
        ("{{range $v := .metadata.labels}}{{$v}}{{end}}", "x"),
        ("{{range .nope}}a{{else}}empty{{end}}", "empty"),
        ("{{range .spec.strategy}}a{{else}}empty{{end}}", "empty"),
        (
            "{{range $i, $e := .spec.template.spec.containers}}{{$i}}:{{$e.name}}{{continue}}X{{end}}",
            "0:nginx",
        ),
        (
            "{{range $i, $c := .spec.template.spec.containers}}{{if eq $i 0}}{{break}}{{end}}x{{end}}after",
            "after",
        ),
        ("{{if .nope}}1{{else if .kind}}2{{else}}3{{end}}", "2"),
        ("{{with .nope}}a{{else with .kind}}b{{.}}{{end}}", "bDeployment"),
        ("{{with $x := .kind}}{{$x}}{{.}}{{end}}", "DeploymentDeployment"),
        ("{{$x := 1}}{{$x = 2}}{{$x}}", "2"),
        (
            "{{$x := .kind}}{{range .spec.template.spec.containers}}{{$x}}-{{.name}}{{end}}",
            "Deployment-nginx",
        ),
        ('{{.spec.replicas | printf "%03d"}}', "003"),
        ('{{ .kind | printf "%q" | printf "%s!" }}', '"Deployment"!'),
        ('{{.kind | printf "%s-%s" "a"}}', "a-Deployment"),
        ('{{ .nope | or "default" }}', "default"),
        ("a  {{- 3 -}}  b", "a3b"),
        ("a {{-3}} b", "a -3 b"),
        ("a {{- /* x */ -}} b", "ab"),
        ("{{/* comment\nover lines */}}x{{.kind}}", "xDeployment"),
        (
            "{{range .spec.template.spec.containers}}\nname: {{.name}}\n{{- end}}\ndone",
            "\nname: nginx\ndone",
        ),
        (
            "{{ 1.5 }} {{ 1e6 }} {{ 0x10 }} {{ 'a' }} {{ -0 }} {{ 1_000 }} {{ 1e21 }} {{ .5 }} {{ 0.000001 }} {{ 1+2i }} {{ 2i }} {{ 0o17 }} {{ 0b101 }}",
            "1.5 1e+06 16 97 0 1000 1e+21 0.5 1e-06 (1+2i) (0+2i) 15 5",
        ),
        (
            '{{len .spec.template.spec.containers}} {{len .kind}} {{len .spec}} {{"é" | len}}',
            "1 10 4 2",
        ),
        (
            '{{index .spec.template.spec.containers 0 "image"}} {{index .kind 0}} {{index .spec "nope"}}',
            "nginx 68 <no value>",
        ),
        (
            "{{slice .kind 1 3}} {{slice .spec.template.spec.containers 0}}",
            "ep [map[image:nginx name:nginx resources:map[]]]",
        ),
        ('{{not .nope}} {{and 1 0 2}} {{or 0 "" "x"}} {{and .kind .spec.replicas}}', "true 0 x 3"),
        ("{{if and .kind (eq .spec.replicas 3)}}ok{{end}}", "ok"),
        (
            '{{eq .spec.replicas 3}} {{eq .nope "x"}} {{eq .nope .nope2}} {{eq 1 2 3 1}} {{ne 1 2}} {{lt 1 2}} {{le 2 2}} {{gt "b" "a"}} {{ge 1.5 2.5}} {{eq (index .kind 0) 68}}',
            "true false true true true true true true false true",
        ),
        (
            '{{print 1 2 "a" "b" 3}}|{{println 1 "a" 2}}|{{print .nope}}|{{printf "%v" .nope}}',
            "1 2ab3|1 a 2\n|<nil>|<nil>",
        ),
        (
            '{{html "<a href=\\"x\\">&\'"}} {{html .nope}}',
            "&lt;a href=&#34;x&#34;&gt;&amp;&#39; &lt;no value&gt;",
        ),
        ('{{js "<a>\'x\\"é\\u0001="}}', "\\u003Ca\\u003E\\'x\\\"é\\u0001\\u003D"),
        ('{{urlquery "a b&c/d é"}}', "a+b%26c%2Fd+%C3%A9"),
        (
            '{{printf "%5.2f|%-5d|%05d|%x|%X|%o|%b|%c|%q|%e|%g|%t|%s|%8s|%-8s|%v|%+d|%%" 3.14159 42 42 255 255 8 5 65 "hi" 1234.5678 0.0001 true "s" "r" "l" .spec.selector 5}}',
            ' 3.14|42   |00042|ff|FF|10|101|A|"hi"|1.234568e+03|0.0001|true|s|       r|l       |map[matchLabels:map[app:x]]|+5|%',
        ),
        (
            '{{printf "%T %T %T %T %T %T" .spec.replicas 3 .kind .spec .nope (index .kind 0)}}',
            "int64 int string map[string]interface {} <nil> uint8",
        ),
        (
            '{{printf "%d %s|%s|%v %d|%d %d|%z" "x" 3 1 2 .nope .nope 1}}',
            "%!d(string=x) %!s(int=3)|%!s(int=1)|2 %!d(<nil>)|%!d(<nil>) 1|%!z(MISSING)",
        ),
        (
            '{{printf "%s|%d" .spec.selector .spec.template.spec.containers}}',
            "map[matchLabels:map[app:x]]|[map[%!d(string=image):%!d(string=nginx) %!d(string=name):%!d(string=nginx) %!d(string=resources):map[]]]",
        ),
        (
            '{{printf "%[2]d %[1]d|%*d|%.*f|%6.2v|%.3s" 1 2 5 3 2 3.14159 3.14159 "abcdef"}}',
            "2 1| 5|%!f(int=002)|   3.1|%!s(float64=3.14)",
        ),
        (
            '{{printf "%v %v %v %f %e" 1e20 1e-7 123456789.0 1e20 0.0}}',
            "1e+20 1e-07 1.23456789e+08 100000000000000000000.000000 0.000000e+00",
        ),
        (
            '{{printf "%08.3f|%+.1e|% d|%#x|%#o|%U|%#U" 3.14159 12345.678 5 255 8 233 233}}',
            "0003.142|+1.2e+04| 5|0xff|010|U+00E9|U+00E9 'é'",
        ),
        (
            '{{exists . "spec" "replicas"}} {{exists . "x"}} {{exists .spec.template.spec.containers 0 "image"}} {{exists . "metadata" "creationTimestamp"}} {{exists .nope}}',
            "true false true false true",
        ),
        (
            '{{base64decode "aGVsbG8="}} {{base64decode "aGVs\\nbG8="}} {{base64decode ""}}',
            "hello hello ",
        ),
        (
            '{{define "row"}}{{.name}}={{.image}}{{end}}{{range .spec.template.spec.containers}}{{template "row" .}}{{end}}',
            "nginx=nginx",
        ),
        ('{{block "b" .kind}}<{{.}}>{{end}}', "<Deployment>"),
    ],
)
def test_output_is_kubectls(template: str, text: str) -> None:
    assert render(template) == text


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{.foo,", 'template: output:1: unexpected "," in operand'),
        ("{{.foo", "template: output:1: unclosed action"),
        ("{{.foo}", "template: output:1: bad character U+007D '}'"),
        ("{{.foo\n", "template: output:2: unclosed action started at output:1"),
        ("a\n{{if .x}}\n{{.y", "template: output:3: unclosed action"),
        ("{{if .kind}}x", "template: output:1: unexpected EOF"),
        ("{{end}}", "template: output:1: unexpected {{end}}"),
        ("{{else}}", "template: output:1: unexpected {{else}}"),
        ("{{range .x}}{{else}}{{else}}{{end}}", "template: output:1: expected end; found {{else}}"),
        ("{{.kind | 3}}", "template: output:1: non executable command in pipeline stage 2"),
        ("{{$x}}", 'template: output:1: undefined variable "$x"'),
        ("{{if $x := .kind}}{{end}}{{$x}}", 'template: output:1: undefined variable "$x"'),
        ("{{nope}}", 'template: output:1: function "nope" not defined'),
        ('{{"abc}}', "template: output:1: unterminated quoted string"),
        ("{{`abc}}", "template: output:1: unterminated raw quoted string"),
        ("{{/* c", "template: output:1: unclosed comment"),
        ("{{/* c */ x}}", "template: output:1: comment ends before closing delimiter"),
        ("{{.kind)}}", "template: output:1: unexpected right paren"),
        ("{{(.kind}}", "template: output:1: unclosed left paren"),
        ('{{"a".foo}}', 'template: output:1: unexpected . after term "\\"a\\""'),
        ("{{break}}", "template: output:1: {{break}} outside {{range}}"),
        ("{{range .x}}{{break 3}}{{end}}", 'template: output:1: unexpected "3" in {{break}}'),
        ("{{$x := 1, 2}}", 'template: output:1: unexpected "," in operand'),
        ("{{range $a, $b, $c := .x}}{{end}}", "template: output:1: too many declarations in range"),
        ("{{range $x, 3}}{{end}}", "template: output:1: range can only initialize variables"),
        ("{{with $a, $b := .x}}{{end}}", "template: output:1: too many declarations in with"),
        ("{{1a}}", 'template: output:1: bad number syntax: "1a"'),
        ("{{0x}}", 'template: output:1: illegal number syntax: "0x"'),
        (
            "{{9999999999999999999999}}",
            'template: output:1: integer overflow: "9999999999999999999999"',
        ),
        ("{{ # }}", 'template: output:1: unexpected "#" in command'),
        ("{{ .a→ }}", "template: output:1: bad character U+2192 '→'"),
        ("{{→}}", "template: output:1: unrecognized character in action: U+2192 '→'"),
        ("{{'ab'}}", "template: output:1: malformed character constant: 'ab'"),
        ('{{"\\q"}}', "template: output:1: invalid syntax"),
        ("{{if}}{{end}}", "template: output:1: missing value for if"),
        ("{{.x :}}", "template: output:1: expected :="),
        (
            '{{define "x"}}a{{end}}{{define "x"}}b{{end}}',
            'template: output:1: template: multiple definition of template "x"',
        ),
    ],
)
def test_parse_errors_are_kubectls(template: str, message: str) -> None:
    with pytest.raises(ParseError) as raised:
        Template(template)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("template", "partial", "message"),
    [
        (
            "{{.metadata.creationTimestamp.foo}}",
            "",
            'template: output:1:11: executing "output" at <.metadata.creationTimestamp.foo>: nil pointer evaluating interface {}.foo',
        ),
        (
            "{{.kind.foo}}",
            "",
            'template: output:1:7: executing "output" at <.kind.foo>: can\'t evaluate field foo in type interface {}',
        ),
        (
            "{{$k := .kind}}{{$k.foo}}",
            "",
            'template: output:1:19: executing "output" at <$k.foo>: can\'t evaluate field foo in type string',
        ),
        (
            "{{(len .kind).foo}}",
            "",
            'template: output:1:7: executing "output" at <.kind>: can\'t evaluate field foo in type int',
        ),
        (
            "{{range .spec.template.spec.containers}}{{.image.x}}{{end}}",
            "",
            'template: output:1:48: executing "output" at <.image.x>: can\'t evaluate field x in type interface {}',
        ),
        (
            "{{.kind .x}}",
            "",
            'template: output:1:2: executing "output" at <.kind>: kind is not a method but has arguments',
        ),
        (
            "{{3 3}}",
            "",
            'template: output:1:2: executing "output" at <3>: can\'t give argument to non-function 3',
        ),
        ("{{nil}}", "", 'template: output:1:2: executing "output" at <nil>: nil is not a command'),
        (
            "A{{.x.y.z}}{{range 3}}{{end}}",
            "A<no value>",
            'template: output:1:19: executing "output" at <3>: range can\'t iterate over 3',
        ),
        (
            "{{range .kind}}{{end}}",
            "",
            'template: output:1:8: executing "output" at <.kind>: range can\'t iterate over Deployment',
        ),
        (
            "{{len .spec.replicas}}",
            "",
            'template: output:1:2: executing "output" at <len .spec.replicas>: error calling len: len of type int64',
        ),
        (
            "{{len .nope}}",
            "",
            'template: output:1:2: executing "output" at <len .nope>: error calling len: reflect: call of reflect.Value.Type on zero Value',
        ),
        (
            "{{len .metadata.creationTimestamp}}",
            "",
            'template: output:1:2: executing "output" at <len .metadata.creationTimestamp>: error calling len: len of nil pointer',
        ),
        (
            "{{len 1 2}}",
            "",
            'template: output:1:2: executing "output" at <len>: wrong number of args for len: want 1 got 2',
        ),
        (
            "{{printf}}",
            "",
            'template: output:1:2: executing "output" at <printf>: wrong number of args for printf: want at least 1 got 0',
        ),
        (
            "{{.kind | not 1}}",
            "",
            'template: output:1:10: executing "output" at <not>: wrong number of args for not: want 1 got 2',
        ),
        (
            "{{print len}}",
            "",
            'template: output:1:8: executing "output" at <len>: wrong number of args for len: want 1 got 0',
        ),
        (
            "{{index .spec.template.spec.containers 5}}",
            "",
            'template: output:1:2: executing "output" at <index .spec.template.spec.containers 5>: error calling index: index out of range: 5',
        ),
        (
            "{{index .spec.template.spec.containers 1}}",
            "",
            'template: output:1:2: executing "output" at <index .spec.template.spec.containers 1>: error calling index: reflect: slice index out of range',
        ),
        (
            "{{index .nope 1}}",
            "",
            'template: output:1:2: executing "output" at <index .nope 1>: error calling index: index of untyped nil',
        ),
        (
            '{{index .spec.template.spec.containers "a"}}',
            "",
            'template: output:1:2: executing "output" at <index .spec.template.spec.containers "a">: error calling index: cannot index slice/array with type string',
        ),
        (
            "{{index .spec 1}}",
            "",
            'template: output:1:2: executing "output" at <index .spec 1>: error calling index: value has type int; should be string',
        ),
        (
            "{{index .spec.replicas 1}}",
            "",
            'template: output:1:2: executing "output" at <index .spec.replicas 1>: error calling index: can\'t index item of type int64',
        ),
        (
            "{{slice .kind 3 1}}",
            "",
            'template: output:1:2: executing "output" at <slice .kind 3 1>: error calling slice: invalid slice index: 3 > 1',
        ),
        (
            "{{slice .kind 1 2 3}}",
            "",
            'template: output:1:2: executing "output" at <slice .kind 1 2 3>: error calling slice: cannot 3-index slice a string',
        ),
        (
            "{{slice .spec 1}}",
            "",
            'template: output:1:2: executing "output" at <slice .spec 1>: error calling slice: can\'t slice item of type map[string]interface {}',
        ),
        (
            "{{eq .spec.replicas 3.0}}",
            "",
            'template: output:1:2: executing "output" at <eq .spec.replicas 3.0>: error calling eq: incompatible types for comparison',
        ),
        (
            "{{lt .kind 3}}",
            "",
            'template: output:1:2: executing "output" at <lt .kind 3>: error calling lt: incompatible types for comparison',
        ),
        (
            "{{eq .spec .spec}}",
            "",
            'template: output:1:2: executing "output" at <eq .spec .spec>: error calling eq: non-comparable type map[replicas:%!s(int64=3) selector:map[matchLabels:map[app:x]] strategy:map[] template:map[metadata:map[creationTimestamp:<nil> labels:map[app:x]] spec:map[containers:[map[image:nginx name:nginx resources:map[]]]]]]: map[string]interface {}',
        ),
        (
            "{{eq .spec.template.spec.containers .kind}}",
            "",
            'template: output:1:2: executing "output" at <eq .spec.template.spec.containers .kind>: error calling eq: incompatible types for comparison',
        ),
        (
            "{{lt .nope 1}}",
            "",
            'template: output:1:2: executing "output" at <lt .nope 1>: error calling lt: invalid type for comparison',
        ),
        (
            "{{eq 1}}",
            "",
            'template: output:1:2: executing "output" at <eq 1>: error calling eq: missing argument for comparison',
        ),
        (
            "{{printf .spec.replicas}}",
            "",
            'template: output:1:14: executing "output" at <.spec.replicas>: wrong type for value; expected string; got int64',
        ),
        (
            "{{printf .nope}}",
            "",
            'template: output:1:9: executing "output" at <.nope>: invalid value; expected string',
        ),
        (
            "{{base64decode 3}}",
            "",
            'template: output:1:15: executing "output" at <3>: expected string; found 3',
        ),
        (
            "{{base64decode nil}}",
            "",
            'template: output:1:15: executing "output" at <nil>: cannot assign nil to string',
        ),
        (
            '{{base64decode "!!"}}',
            "",
            'template: output:1:2: executing "output" at <base64decode "!!">: error calling base64decode: base64 decode failed: illegal base64 data at input byte 0',
        ),
        (
            '{{base64decode "aGVsbA="}}',
            "",
            'template: output:1:2: executing "output" at <base64decode "aGVsbA=">: error calling base64decode: base64 decode failed: illegal base64 data at input byte 7',
        ),
        (
            "{{call .kind}}",
            "",
            'template: output:1:2: executing "output" at <call .kind>: error calling call: non-function .kind of type string',
        ),
        (
            '{{template "x"}}',
            "",
            'template: output:1:11: executing "output" at <{{template "x"}}>: template "x" not defined',
        ),
        (
            "{{$x = 3}}",
            "",
            'template: output:1:7: executing "output" at <3>: undefined variable: $x',
        ),
        (
            '{{define "x"}}{{.foo.bar}}{{end}}{{template "x" .kind}}',
            "",
            'template: output:1:20: executing "x" at <.foo.bar>: can\'t evaluate field foo in type string',
        ),
    ],
)
def test_execution_errors_are_kubectls(template: str, partial: str, message: str) -> None:
    with pytest.raises(ExecError) as raised:
        render(template)
    assert (raised.value.output, str(raised.value)) == (partial, message)


def test_a_template_calling_itself_stops_at_go_depth() -> None:
    template = '{{define "x"}}{{template "x" .}}{{end}}{{template "x" .}}'
    with pytest.raises(ExecError) as raised:
        render(template)
    assert str(raised.value) == (
        'template: output:1:25: executing "x" at <{{template "x" .}}>: '
        "exceeded maximum template depth (100000)"
    )


def test_error_columns_count_bytes() -> None:
    with pytest.raises(ExecError) as raised:
        render("é{{.kind.foo}}")
    assert str(raised.value).startswith("template: output:1:9: ")  # é is two bytes


def test_print_obj_adds_kubectls_debugging_text() -> None:
    with pytest.raises(PrintError) as raised:
        print_obj(Template("A{{.kind.x}}"), {"kind": "Pod", "a": None})
    assert str(raised.value) == (
        'error executing template "A{{.kind.x}}": template: output:1:8: executing "output" at '
        "<.kind.x>: can't evaluate field x in type interface {}"
    )
    assert raised.value.output == (
        'AError executing template: template: output:1:8: executing "output" at <.kind.x>: '
        "can't evaluate field x in type interface {}. Printing more information for debugging "
        "the template:\n"
        "\ttemplate was:\n\t\tA{{.kind.x}}\n"
        '\traw data was:\n\t\t{"a":null,"kind":"Pod"}\n'
        "\tobject given to template engine was:\n\t\tmap[a:<nil> kind:Pod]\n\n"
    )
