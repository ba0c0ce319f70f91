from __future__ import annotations

from kubesim.sandbox import Result, run
from tests.unit.sandbox.containers import container, sh

BUSYBOX = container()


def out(script: str) -> str:
    result = sh(container(), script)
    assert result.stderr == ""
    return result.stdout


def test_single_double_and_backslash_quoting() -> None:
    assert out("echo 'a  b' \"c  $HOSTNAME\" d\\ \\$e") == "a  b c  web-0 d $e\n"


def test_unquoted_expansion_is_split_into_fields() -> None:
    assert out('x="a   b"; echo [$x] ["$x"]') == "[a b] [a   b]\n"


def test_command_substitution_and_backquotes() -> None:
    assert out('echo "$(hostname)" `echo x`') == "web-0 x\n"


def test_parameter_defaults_lengths_and_trims() -> None:
    assert out("echo ${unset:-def} ${#HOSTNAME} ${HOSTNAME%-*} ${HOSTNAME#web-}") == "def 5 web 0\n"


def test_arithmetic_expansion() -> None:
    assert out("i=4; echo $((i * 2 + 1)) $((7 / 2)) $((i > 3))") == "9 3 1\n"


def test_and_or_lists_follow_exit_statuses() -> None:
    assert out("false && echo no || echo yes; true && echo and") == "yes\nand\n"


def test_status_of_the_last_command() -> None:
    assert out("false; echo $?; true; echo $?") == "1\n0\n"


def test_pipeline_feeds_stdout_to_the_next_command() -> None:
    assert out("cat /etc/hosts | grep web | wc -l") == "1\n"


def test_redirection_creates_appends_and_reads_files() -> None:
    assert out("echo a > /tmp/f; echo b >> /tmp/f; cat < /tmp/f") == "a\nb\n"


def test_redirection_writes_the_container_overlay() -> None:
    target = container("nginx:1.9.1")
    sh(target, 'echo "$(hostname)" > /usr/share/nginx/html/index.html')
    assert target.files["/usr/share/nginx/html/index.html"] == "web-0\n"


def test_stderr_joins_stdout_with_2_to_1() -> None:
    assert out("cat /nope 2>&1 | wc -l") == "1\n"


def test_stderr_to_dev_null_is_discarded() -> None:
    assert sh(BUSYBOX, "cat /nope 2>/dev/null; echo $?") == Result("1\n", "", 0)


def test_for_loop() -> None:
    assert out("for i in 0 1; do echo web-$i; done") == "web-0\nweb-1\n"


def test_if_else() -> None:
    assert out("if [ -f /etc/hosts ]; then echo file; else echo none; fi") == "file\n"


def test_while_read_loop() -> None:
    assert out("printf 'a\\nb\\n' | while read line; do echo got $line; done") == "got a\ngot b\n"


def test_case_patterns() -> None:
    assert out("case web-1 in web-0) echo zero;; web-*) echo other;; esac") == "other\n"


def test_functions_take_arguments_and_return_status() -> None:
    assert out("greet() { echo hi $1; return 3; }; greet you; echo $?") == "hi you\n3\n"


def test_here_document_expands_variables() -> None:
    assert out("cat <<EOF\nname=$HOSTNAME\nEOF") == "name=web-0\n"


def test_quoted_here_document_is_literal() -> None:
    assert out("cat <<'EOF'\n$HOSTNAME\nEOF") == "$HOSTNAME\n"


def test_exported_variables_reach_child_shells() -> None:
    assert out("export A=1; B=2; sh -c 'echo $A-$B'") == "1-\n"


def test_exit_ends_the_script_with_its_status() -> None:
    assert sh(BUSYBOX, "echo before; exit 3; echo after") == Result("before\n", "", 3)


def test_set_e_stops_at_the_first_failure() -> None:
    assert sh(BUSYBOX, "set -e; false; echo after") == Result("", "", 1)


def test_cd_changes_the_directory_for_later_commands() -> None:
    assert out("cd /etc && pwd && cat hostname") == "/etc\nweb-0\n"


def test_glob_expands_against_the_container_files() -> None:
    assert out("echo /etc/host*") == "/etc/hostname /etc/hosts\n"


def test_positional_parameters_of_sh_c() -> None:
    assert out("sh -c 'echo $0 $1 $#' zero one") == "zero one 1\n"


# --- errors, per shell -------------------------------------------------------------------------


def test_ash_command_not_found() -> None:
    assert sh(BUSYBOX, "foo") == Result("", "sh: foo: not found\n", 127)


def test_dash_command_not_found_has_a_line_number() -> None:
    assert sh(container("nginx:1.9.1"), "true\nfoo") == Result("", "sh: 2: foo: not found\n", 127)


def test_bash_command_not_found() -> None:
    result = run(container("nginx:1.25"), ["bash", "-c", "foo"])
    assert result == Result("", "bash: line 1: foo: command not found\n", 127)


def test_shell_error_names_the_shell_as_invoked() -> None:
    assert run(BUSYBOX, ["/bin/sh", "-c", "foo"]).stderr == "/bin/sh: foo: not found\n"


def test_ash_syntax_error() -> None:
    assert sh(BUSYBOX, "if true; fi") == Result("", 'sh: syntax error: unexpected "fi"\n', 2)


def test_dash_syntax_error() -> None:
    result = sh(container("nginx:1.9.1"), "if true; fi")
    assert result == Result("", 'sh: 1: Syntax error: "fi" unexpected\n', 2)


def test_ash_missing_fi() -> None:
    assert sh(BUSYBOX, "if true; then echo x").stderr == (
        'sh: syntax error: unexpected end of file (expecting "fi")\n'
    )


def test_unterminated_quote() -> None:
    result = sh(BUSYBOX, "echo 'oops")
    assert result == Result("", "sh: syntax error: unterminated quoted string\n", 2)


def test_commands_before_a_syntax_error_on_a_later_line_run() -> None:
    assert sh(BUSYBOX, "echo a\nfi") == Result("a\n", 'sh: syntax error: unexpected "fi"\n', 2)


def test_ash_cd_error() -> None:
    assert sh(BUSYBOX, "cd /nope") == Result(
        "", "sh: cd: line 1: can't cd to /nope: No such file or directory\n", 2
    )


def test_dash_cd_error() -> None:
    result = sh(container("nginx:1.9.1"), "cd /nope")
    assert result == Result("", "sh: 1: cd: can't cd to /nope\n", 2)


def test_ash_cannot_create_in_missing_directory() -> None:
    assert sh(BUSYBOX, "echo x > /nope/f").stderr == (
        "sh: can't create /nope/f: nonexistent directory\n"
    )


def test_dash_cannot_create_in_missing_directory() -> None:
    assert sh(container("nginx:1.9.1"), "echo x > /nope/f").stderr == (
        "sh: 1: cannot create /nope/f: Directory nonexistent\n"
    )


# --- the runtime (no shell) --------------------------------------------------------------------


def test_unknown_program_fails_in_the_runtime() -> None:
    assert run(BUSYBOX, ["foo"]) == Result(
        "",
        "OCI runtime exec failed: exec failed: unable to start container process: "
        'exec: "foo": executable file not found in $PATH: unknown\n',
        126,
    )


def test_missing_absolute_path_fails_with_stat() -> None:
    assert run(BUSYBOX, ["/bin/bash"]).stderr == (
        "OCI runtime exec failed: exec failed: unable to start container process: "
        'exec: "/bin/bash": stat /bin/bash: no such file or directory: unknown\n'
    )


def test_paths_to_programs_resolve() -> None:
    assert run(BUSYBOX, ["/usr/bin/env"]).stdout.startswith("PATH=/usr/local/sbin:")


def test_shell_builtins_are_not_programs() -> None:
    assert run(BUSYBOX, ["cd", "/tmp"]).exit_code == 126


def test_sh_reads_its_script_from_stdin() -> None:
    result = run(BUSYBOX, ["sh"], stdin="read x\nhello there\necho got $x\n")
    assert result == Result("got hello there\n", "", 0)
