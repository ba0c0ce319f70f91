"""Reading -f as kubectl's resource builder does (cli-runtime resource/builder.go, visitor.go):
files, directories, stdin and the website's example URLs, each a stream of YAML or JSON
documents, which kubesim.kubectl.builder turns into objects and errors.

The builder refuses bad paths before anything is read (`the path "x" does not exist`). Then
each source is read a document at a time, split as YAMLOrJSONDecoder splits it: a stream that
starts with `{` is JSON values (kubesim.api.gojson), anything else YAML documents cut at lines
starting with `---` (YAMLReader), each decoded as go-yaml does (kubesim.api.goyaml). A document
that cannot be parsed ends its stream (`error parsing x.yaml: ...`); the ones before it are
used. Commands act on every object that was read and report the errors at the end, after their
own (see kubesim.cli.report).

Beyond kubectl: devices and FIFOs are refused instead of read (kubectl reads /dev/zero until
memory runs out, and waits forever on a FIFO nobody writes), and a document larger than
32 MiB is not parsed (the apiserver would refuse a body a tenth of that size). Comment lines
before a document are counted, not kept, so a huge file of comments costs no memory.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from typing import IO, Any

from kubesim.api.errors import KubesimError, UsageError, aggregate
from kubesim.kubectl.builder import (
    BuilderError,
    Loaded,
    Manifest,
    check_mapping,
    namespace_error,
    visit_document,
)

__all__ = [
    "Loaded",
    "Manifest",
    "check_mapping",
    "load_manifests",
    "namespace_error",
    "parse",
    "read_manifests",
]

FILE_EXTENSIONS = (".json", ".yaml", ".yml")  # resource.FileExtensions
MAX_DOCUMENT = 32 << 20  # kubesim's own bound on one document's text


def read_manifests(paths: list[str], *, validate: bool = True) -> Loaded:
    """Every object in the files, directories, stdin or URLs given with -f. Bad paths raise
    (nothing is read then); everything else is collected in `errors`. `validate` is false for
    --validate=false, which skips the client-side check of apiVersion and kind."""
    sources: list[Source] = []
    problems: list[KubesimError] = []
    for path in paths:
        try:
            sources += _sources(path)
        except UsageError as err:
            problems.append(err)
    if problems:
        raise problems[0] if len(problems) == 1 else aggregate(problems)
    loaded = Loaded()
    for source in sources:
        try:
            for name, raw, value in source.documents():
                visit_document(name, raw, value, validate, loaded)
        except BuilderError as err:
            loaded.errors.append(err)
    return loaded


def load_manifests(
    paths: list[str], namespace: str | None = None, *, verb: str | None = None
) -> list[Manifest]:
    """Every object in -f, for commands that act only once all of them were read: any error
    is raised. Commands that refuse to act on nothing (create, apply) name themselves in
    `verb`."""
    from kubesim.cli.report import finish

    loaded = read_manifests(paths)
    errors = [e for m in loaded.manifests if (e := namespace_error(m, namespace)) is not None]
    finish(errors, loaded.errors)
    if not loaded.manifests and verb:
        raise UsageError(f"no objects passed to {verb}")
    return loaded.manifests


def parse(source: str, text: str) -> list[Manifest]:
    """The objects in one text (kubectl edit's "edited-file"), lists flattened; the first
    error is raised. Their kinds are checked by `check_mapping`."""
    import io

    from kubesim.api.gofmt import json_kind

    manifests = []
    for _, _, value in _documents(source, io.BytesIO(text.encode("utf-8", "surrogateescape"))):
        values = value.get("items") if isinstance(value, dict) and "items" in value else [value]
        for item in values if isinstance(values, list) else [values]:
            if not isinstance(item, dict):
                raise BuilderError(
                    f"error parsing {source}: error unmarshaling JSON: json: cannot unmarshal "
                    f"{json_kind(item)} into Go value of type map[string]interface {{}}"
                )
            manifests.append(Manifest(source, item))
    return manifests


# --- sources ------------------------------------------------------------------------------


class Source:
    """One stream of documents: a file, stdin or a URL."""

    def __init__(self, name: str, opener: Any) -> None:
        self.name = name
        self.opener = opener

    def documents(self) -> Iterator[tuple[str, _Raw, Any]]:
        """(source, raw JSON text, value) for each document; BuilderError ends the stream."""
        stream = self.opener()
        try:
            yield from _documents(self.name, stream)
        finally:
            stream.close()


class _Built(Source):
    """The objects a kustomization directory builds (-k), each from that directory."""

    def __init__(self, name: str, objects: list[Any]) -> None:
        super().__init__(name, None)
        self.objects = objects

    def documents(self) -> Iterator[tuple[str, _Raw, Any]]:
        for obj in self.objects:
            yield self.name, _Raw(None, obj), obj


def _kustomized(directory: str) -> Source:
    from kubesim.cli.kustomize import build_objects
    from kubesim.kubectl.kustomize_resource import KustomizeError

    try:
        return _Built(directory, build_objects(directory))
    except KustomizeError as err:
        raise UsageError(str(err)) from None


def _sources(path: str) -> list[Source]:
    """FilenameParam: stdin, a URL, or a path (a glob, a file or a directory's files), or the
    directory of a kustomization (-k)."""
    from kubesim.cli.options import KustomizeDir

    if isinstance(path, KustomizeDir):
        return [_kustomized(path)]
    if path == "-":
        return [Source("STDIN", _stdin)]
    if path.startswith(("http://", "https://")):
        return [Source(path, lambda: _open_url(path))]
    return [source for match in _expand(path) for source in _path_sources(match)]


def _expand(pattern: str) -> list[str]:
    """expandIfFilePattern: a path that does not exist may be a glob."""
    import glob

    if os.path.lexists(pattern):
        return [pattern]
    matches = sorted(glob.glob(pattern))
    if not matches:
        raise BuilderError(f'the path "{pattern}" does not exist')
    return matches


def _path_sources(path: str) -> list[Source]:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise BuilderError(f'the path "{path}" does not exist') from None
    except OSError as err:
        raise BuilderError(f'the path "{path}" cannot be accessed: {_go_os_error(err)}') from None
    if stat.S_ISDIR(info.st_mode):
        try:
            names = sorted(os.listdir(path))
        except OSError as err:
            raise BuilderError(f'error reading "{path}": {_go_os_error(err)}') from None
        files = [os.path.join(path, n) for n in names if os.path.splitext(n)[1] in FILE_EXTENSIONS]
        return [Source(f, _file_opener(f)) for f in files if not os.path.isdir(f)]
    problem = _unreadable(path, info)
    if problem:
        raise BuilderError(problem)
    return [Source(path, _file_opener(path))]


def _unreadable(path: str, info: os.stat_result) -> str:
    """Why kubesim will not read a path that is not a regular file, or ""."""
    if stat.S_ISREG(info.st_mode) or path == os.devnull or _is_stdin(info):
        return ""
    what = (
        "a named pipe (FIFO)"
        if stat.S_ISFIFO(info.st_mode)
        else "a character device"
        if stat.S_ISCHR(info.st_mode)
        else "a block device"
        if stat.S_ISBLK(info.st_mode)
        else "a socket"
        if stat.S_ISSOCK(info.st_mode)
        else "not a regular file"
    )
    return (
        f'the path "{path}" cannot be read: it is {what}; kubesim reads manifests from '
        "regular files, directories, stdin (-) and URLs"
    )


def _is_stdin(info: os.stat_result) -> bool:
    """/dev/stdin and its kin, when they are this process's stdin (a pipe, say)."""
    try:
        own = os.fstat(sys.stdin.fileno())
    except (OSError, ValueError, AttributeError):
        return False
    return (own.st_dev, own.st_ino) == (info.st_dev, info.st_ino)


def _file_opener(path: str) -> Any:
    def open_file() -> Any:
        try:
            info = os.stat(path)
            problem = _unreadable(path, info)
            if problem:
                raise BuilderError(problem)
            if _is_stdin(info) and not stat.S_ISREG(info.st_mode):
                return _stdin()
            return open(path, "rb")  # noqa: SIM115 - closed by Source.documents
        except OSError as err:
            raise BuilderError(f"open {path}: {_go_os_error(err)}") from None

    return open_file


def _stdin() -> Any:
    import io

    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is not None:
        return _Unclosed(buffer)
    return io.BytesIO(sys.stdin.read().encode("utf-8", "surrogateescape"))


class _Unclosed:
    """stdin, which reading -f - must not close."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def read(self, size: int = -1) -> bytes:
        return bytes(self.stream.read(size))

    def close(self) -> None:
        pass


def _go_os_error(err: OSError) -> str:
    """An os error's text as Go's syscall.Errno prints it (lower case)."""
    text = err.strerror or str(err)
    return text[:1].lower() + text[1:]


def _open_url(url: str) -> IO[bytes]:
    """An http(s) manifest, fetched as kubectl fetches it (kubesim.cli.urls), or kubesim's
    offline copy of a Kubernetes website example."""
    import io

    from kubesim.cli.urls import read_url

    return io.BytesIO(read_url(url).encode("utf-8", "surrogateescape"))


# --- a stream of documents (YAMLOrJSONDecoder) ----------------------------------------------


def _documents(source: str, stream: IO[bytes]) -> Iterator[tuple[str, _Raw, Any]]:
    """(source, raw JSON, value) for each document of the stream; the first 4 KiB decide
    between a JSON stream (they start with `{`) and YAML documents."""
    reader = _Reader(stream)
    head = reader.peek(4096)
    if head.lstrip().startswith("{"):
        from kubesim.api import gojson

        text = reader.read_all(MAX_DOCUMENT)
        if text is None:
            raise BuilderError(f"error parsing {source}: {_too_large('the JSON stream')}")
        try:
            for raw, value in gojson.decode_stream(text):
                yield source, _Raw(raw.strip()), value
        except gojson.JSONError as err:
            raise BuilderError(f"error parsing {source}: {err}") from None
        return
    from kubesim.api import goyaml

    for chunk in _yaml_chunks(source, reader):
        if chunk.text is None:
            continue  # only comments: a null document
        try:
            value = goyaml.yaml_to_json(chunk.text, first_line=chunk.skipped)
        except goyaml.YAMLError as err:
            raise BuilderError(f"error parsing {source}: {err}") from None
        if value is not None:
            yield source, _Raw(None, value), value


class _Raw:
    """A document's JSON text, as kubectl holds it (a YAML document's converted by
    json.Marshal), made only when an error quotes it."""

    def __init__(self, text: str | None, value: Any = None) -> None:
        self.text = text
        self.value = value

    def __str__(self) -> str:
        if self.text is None:
            from kubesim.api import recursion
            from kubesim.api.gofmt import go_json

            with recursion.at_most(recursion.nesting(self.value) + 10):
                self.text = go_json(self.value)
        return self.text


class _Chunk:
    __slots__ = ("text", "skipped")

    def __init__(self, text: str | None, skipped: int) -> None:
        self.text = text
        self.skipped = skipped


def _yaml_chunks(source: str, reader: _Reader) -> Iterator[_Chunk]:
    """YAMLReader.Read: documents split at lines starting with `---`. Leading blank and
    comment lines are counted, not kept, so a file of comments costs no memory."""
    lines: list[str] = []
    skipped = 0
    size = 0
    for line in reader.lines():
        if line.startswith(b"---"):
            rest = line[3:].strip()
            if rest and not rest.startswith(b"#"):
                raise BuilderError(
                    f"error parsing {source}: invalid Yaml document separator: "
                    f"{rest.decode('utf-8', 'replace')}"
                )
            if lines or skipped:
                yield _Chunk("".join(lines) if lines else None, skipped)
                lines, skipped, size = [], 0, 0
                continue
            skipped += 1  # it starts the next document: a line go-yaml skips
            continue
        if isinstance(line, _TooLong):
            where = f"the document at line {_line_of(reader, lines, skipped)}"
            raise BuilderError(f"error parsing {source}: {_too_large(where)}")
        if not lines and _is_blank_or_comment(line):
            skipped += 1
            continue
        size += len(line) + 1
        if size > MAX_DOCUMENT:
            where = f"the document at line {_line_of(reader, lines, skipped)}"
            raise BuilderError(f"error parsing {source}: {_too_large(where)}")
        lines.append(line.decode("utf-8", "replace") + "\n")
    if lines or skipped:
        yield _Chunk("".join(lines) if lines else None, skipped)


def _is_blank_or_comment(line: bytes) -> bool:
    stripped = line.lstrip(b" ")
    return not stripped or stripped.startswith(b"#")


def _line_of(reader: _Reader, lines: list[str], skipped: int) -> int:
    return reader.line_number - len(lines) - skipped


def _too_large(what: str) -> str:
    return (
        f"{what} is larger than {MAX_DOCUMENT >> 20} MiB, more than kubesim parses "
        "(the apiserver refuses request bodies over 3 MiB)"
    )


class _TooLong(bytes):
    """Stands for a line longer than a document may be (see _Reader.lines)."""


TOO_LONG = _TooLong()


class _Reader:
    """A byte stream read in blocks, decoded as FileVisitor does (a UTF-16 byte order mark
    is honoured, a UTF-8 one dropped, invalid UTF-8 becomes U+FFFD), split into lines."""

    BLOCK = 1 << 16

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.buffer = bytearray()
        self.eof = False
        self.line_number = 0
        self.started = False

    def _fill(self, size: int) -> None:
        while len(self.buffer) < size and not self.eof:
            block = self.stream.read(self.BLOCK)
            if not block:
                self.eof = True
            self.buffer += block
            if not self.started and (len(self.buffer) >= 3 or self.eof):
                self._start()

    def _start(self) -> None:
        """A byte order mark: UTF-8's is dropped, UTF-16 is read whole and converted."""
        self.started = True
        if self.buffer.startswith(b"\xef\xbb\xbf"):
            del self.buffer[:3]
        elif bytes(self.buffer[:2]) in (b"\xff\xfe", b"\xfe\xff"):
            while not self.eof and len(self.buffer) <= 2 * MAX_DOCUMENT:
                block = self.stream.read(self.BLOCK)
                self.eof = not block
                self.buffer += block
            encoding = "utf-16-le" if self.buffer[:2] == b"\xff\xfe" else "utf-16-be"
            text = bytes(self.buffer[2:]).decode(encoding, "replace")
            self.buffer = bytearray(text.encode("utf-8"))
            self.eof = True

    def peek(self, size: int) -> str:
        self._fill(size)
        return bytes(self.buffer[:size]).decode("utf-8", "replace")

    def read_all(self, limit: int) -> str | None:
        self._fill(limit + 1)
        if len(self.buffer) > limit:
            return None
        return bytes(self.buffer).decode("utf-8", "replace")

    def lines(self) -> Iterator[bytes]:
        """Each line without its end (`\\n` or `\\r\\n`), as bufio.Reader.ReadLine; a
        line longer than a document may be is cut there."""
        start = 0
        while True:
            end = self.buffer.find(b"\n", start)
            if end >= 0:
                line = bytes(self.buffer[start:end])
                start = end + 1
                self.line_number += 1
                yield line[:-1] if line.endswith(b"\r") else line
                continue
            del self.buffer[:start]
            start = 0
            if len(self.buffer) > MAX_DOCUMENT:  # a line that does not end: no use reading on
                self.line_number += 1
                self.buffer.clear()
                yield TOO_LONG
                return
            if self.eof:
                if self.buffer:
                    self.line_number += 1
                    yield bytes(self.buffer)
                    self.buffer.clear()
                return
            self._fill(len(self.buffer) + self.BLOCK)
