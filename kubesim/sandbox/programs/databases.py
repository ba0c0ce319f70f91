"""The databases: redis, mysql, postgres (their docker-entrypoint.sh and servers) and etcd.

The entrypoint scripts are docker-library's (redis 7.4, mysql 8.4, postgres 17): their
checks, messages and exit codes, the first-run initialisation they log, and the data
directory they leave (on a persistent volume the next start skips initialisation, as the
scripts' DATABASE_ALREADY_EXISTS does). The servers' own start-up lines are those the images
print on a first start (redis server.c, mysqld, postgres), timed as a first start takes.
None of them speaks HTTP: an HTTP client gets what the server writes back.
UNVERIFIED: mysqld's and postgres's own lines between the entrypoint's are taken from the
images' logs of nearby versions; the pids in them are those such logs show.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from kubesim.sandbox import fs
from kubesim.sandbox.container import Container, Headers, HttpResponse
from kubesim.sandbox.proc import Proc
from kubesim.sandbox.programs import Program, not_http, serving
from kubesim.sandbox.programs.common import exec_next, has_program, now, sleep


def _millis(seconds: float, fmt: str) -> str:
    millis = int(round(seconds * 1000)) % 1000
    return time.strftime(fmt, time.gmtime(seconds)).replace("%f", f"{millis:03d}")


# --- redis ---------------------------------------------------------------------------------------


def redis_entrypoint(proc: Proc) -> int:
    """docker-entrypoint.sh: a flag or a .conf file means redis-server; then exec."""
    argv = list(proc.args)
    if argv and (argv[0].startswith("-") or argv[0].endswith(".conf")):
        argv = ["redis-server", *argv]
    return exec_next(proc, argv, "/usr/local/bin/docker-entrypoint.sh", 19)


def redis_server(proc: Proc) -> int:
    version = proc.image.version or "7.4.2"
    port = 6379
    if "--port" in proc.args:
        index = proc.args.index("--port")
        port = int(proc.args[index + 1]) if index + 1 < len(proc.args) else port
    if any(a in ("-v", "--version") for a in proc.args):
        proc.out(f"Redis server v={version} sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 "
                 "build=0000000000000000\n")  # fmt: skip
        return 0
    at = now(proc)

    def log(role: str, level: str, text: str) -> None:
        proc.out(f"1:{role} {_millis(at, '%d %b %Y %H:%M:%S.%f')} {level} {text}\n")

    log("C", "*", "oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo")
    log("C", "*", f"Redis version={version}, bits=64, commit=00000000, modified=0, pid=1, "
        "just started")  # fmt: skip
    if not any(a.endswith(".conf") for a in proc.args):
        log("C", "#", "Warning: no config file specified, using the default config. In order "
            "to specify a config file use redis-server /path/to/redis.conf")  # fmt: skip
    else:
        log("C", "*", "Configuration loaded")
    log("M", "*", "monotonic clock: POSIX clock_gettime")
    log("M", "*", f"Running mode=standalone, port={port}.")
    log("M", "*", "Server initialized")
    log("M", "*", "Ready to accept connections tcp")
    raise serving(proc, "redis-server", (port,))


def redis(
    container: Container, port: int, method: str, path: str, headers: Headers
) -> HttpResponse | None:
    """Redis reads an HTTP request line as an inline command."""
    if method == "GET":
        return not_http("-ERR wrong number of arguments for 'get' command")
    return not_http(f"-ERR unknown command '{method}', with args beginning with: '{path}' "
                    "'HTTP/1.1' ")  # fmt: skip


# --- mysql ---------------------------------------------------------------------------------------

DATADIR = "/var/lib/mysql"


def mysql_entrypoint(proc: Proc) -> int:
    """docker-entrypoint.sh of mysql 8.4: checks, first-run initialisation, exec mysqld."""
    argv = list(proc.args)
    if argv and argv[0].startswith("-"):
        argv = ["mysqld", *argv]
    wants_help = any(a in ("-?", "--help", "--print-defaults", "-V", "--version") for a in argv)
    if not argv or argv[0] != "mysqld" or wants_help:
        return exec_next(proc, argv, "/usr/local/bin/docker-entrypoint.sh", 433)
    env = proc.env
    package = f"{proc.image.version}-1.el9"

    def note(text: str) -> None:
        proc.out(f"{_rfc3339(now(proc))} [Note] [Entrypoint]: {text}\n")

    def error(text: str) -> int:
        proc.err(f"{_rfc3339(now(proc))} [ERROR] [Entrypoint]: {text}\n")
        return 1

    note(f"Entrypoint script for MySQL Server {package} started.")
    note("Switching to dedicated user 'mysql'")  # exec gosu mysql: the script starts again
    note(f"Entrypoint script for MySQL Server {package} started.")
    for name in ("MYSQL_ROOT_PASSWORD", "MYSQL_PASSWORD", "MYSQL_DATABASE"):
        if env.get(name) and env.get(f"{name}_FILE"):
            return error(f"Both {name} and {name}_FILE are set (but are exclusive)")
    if not fs.is_dir(proc.container, f"{DATADIR}/mysql"):
        if not any(env.get(v) for v in ("MYSQL_ROOT_PASSWORD", "MYSQL_ALLOW_EMPTY_PASSWORD",
                                         "MYSQL_RANDOM_ROOT_PASSWORD")):  # fmt: skip
            return error(
                "Database is uninitialized and password option is not specified\n"
                "    You need to specify one of the following as an environment variable:\n"
                "    - MYSQL_ROOT_PASSWORD\n    - MYSQL_ALLOW_EMPTY_PASSWORD\n"
                "    - MYSQL_RANDOM_ROOT_PASSWORD"
            )
        if env.get("MYSQL_USER") == "root":
            return error(
                'MYSQL_USER="root", MYSQL_USER and MYSQL_PASSWORD are for configuring a regular '
                'user and cannot be used for the root user\n    Remove MYSQL_USER="root" and '
                "use one of the following to control the root user password:\n"
                "    - MYSQL_ROOT_PASSWORD\n    - MYSQL_ALLOW_EMPTY_PASSWORD\n"
                "    - MYSQL_RANDOM_ROOT_PASSWORD"
            )
        if env.get("MYSQL_USER") and not env.get("MYSQL_PASSWORD"):
            proc.err(f"{_rfc3339(now(proc))} [Warn] [Entrypoint]: MYSQL_USER specified, but "
                     "missing MYSQL_PASSWORD; MYSQL_USER will not be created\n")  # fmt: skip
        elif env.get("MYSQL_PASSWORD") and not env.get("MYSQL_USER"):
            proc.err(f"{_rfc3339(now(proc))} [Warn] [Entrypoint]: MYSQL_PASSWORD specified, "
                     "but missing MYSQL_USER; MYSQL_PASSWORD will be ignored\n")  # fmt: skip
        _mysql_initialize(proc, note)
    else:
        proc.out(f"'{DATADIR}/mysql.sock' -> '/var/run/mysqld/mysqld.sock'\n")
    return exec_next(proc, argv, "/usr/local/bin/docker-entrypoint.sh", 433)


def _mysql_initialize(proc: Proc, say: Callable[[str], None]) -> None:
    """docker_init_database_dir, the temporary server, docker_setup_db: the first run."""
    env, version = proc.env, proc.image.version
    say("Initializing database files")
    server = _MysqlLog(proc)
    server.line(0, "System", "MY-015017", "Server", "MySQL Server Initialization - start.")
    server.line(0, "System", "MY-013169", "Server", f"/usr/sbin/mysqld (mysqld {version}) "
                "initializing of server in progress as process 80")  # fmt: skip
    server.line(1, "System", "MY-013576", "InnoDB", "InnoDB initialization has started.")
    sleep(proc, 2)
    server.line(1, "System", "MY-013577", "InnoDB", "InnoDB initialization has ended.")
    sleep(proc, 3)
    server.line(
        6,
        "Warning",
        "MY-010453",
        "Server",
        "root@localhost is created with an empty "
        "password ! Please consider switching off the --initialize-insecure option.",
    )
    sleep(proc, 2)
    server.line(0, "System", "MY-015018", "Server", "MySQL Server Initialization - end.")
    say("Database files initialized")
    say("Starting temporary server")
    proc.out(f"mysqld will log errors to {DATADIR}/{proc.container.hostname}.err\n"
             "mysqld is running as pid 127\n")  # fmt: skip
    sleep(proc, 1)
    say("Temporary server started.")
    proc.out(f"'{DATADIR}/mysql.sock' -> '/var/run/mysqld/mysqld.sock'\n")
    for name in ("iso3166.tab", "leap-seconds.list", "leapseconds", "tzdata.zi", "zone.tab",
                 "zone1970.tab"):  # fmt: skip
        proc.err(f"Warning: Unable to load '/usr/share/zoneinfo/{name}' as time zone. "
                 "Skipping it.\n")  # fmt: skip
    sleep(proc, 2)
    if env.get("MYSQL_RANDOM_ROOT_PASSWORD"):
        say("GENERATED ROOT PASSWORD: " + _random_password(proc))
    if env.get("MYSQL_DATABASE"):
        say(f"Creating database {env['MYSQL_DATABASE']}")
    if env.get("MYSQL_USER") and env.get("MYSQL_PASSWORD"):
        say(f"Creating user {env['MYSQL_USER']}")
        if env.get("MYSQL_DATABASE"):
            say(f"Giving user {env['MYSQL_USER']} access to schema {env['MYSQL_DATABASE']}")
    proc.out("\n")
    say("Stopping temporary server")
    sleep(proc, 2)
    say("Temporary server stopped")
    proc.out("\n")
    say("MySQL init process done. Ready for start up.")
    proc.out("\n")
    fs.make_dir(proc.container, f"{DATADIR}/mysql")
    fs.write(proc.container, f"{DATADIR}/auto.cnf", "[auto]\n")


def _random_password(proc: Proc) -> str:
    import hashlib

    digest = hashlib.sha256(f"{proc.container.hostname}/{now(proc)}".encode()).hexdigest()
    return digest[:32]


class _MysqlLog:
    """mysqld's error log lines: `2025-01-15T10:00:00.123456Z 0 [System] [MY-...] [Server] ...`."""

    def __init__(self, proc: Proc) -> None:
        self.proc = proc

    def line(self, thread: int, level: str, code: str, part: str, text: str) -> None:
        at = now(self.proc)
        micros = int(round(at * 1_000_000)) % 1_000_000
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(at)) + f".{micros:06d}Z"
        self.proc.out(f"{stamp} {thread} [{level}] [{code}] [{part}] {text}\n")


def mysqld(proc: Proc) -> int:
    version = proc.image.version or "8.4.3"
    if any(a in ("-V", "--version") for a in proc.args):
        proc.out(f"/usr/sbin/mysqld  Ver {version} for Linux on x86_64 (MySQL Community Server - "
                 "GPL)\n")  # fmt: skip
        return 0
    server = _MysqlLog(proc)
    server.line(0, "System", "MY-015015", "Server", "MySQL Server - start.")
    server.line(0, "System", "MY-010116", "Server", f"/usr/sbin/mysqld (mysqld {version}) "
                "starting as process 1")  # fmt: skip
    server.line(1, "System", "MY-013576", "InnoDB", "InnoDB initialization has started.")
    sleep(proc, 1)
    server.line(1, "System", "MY-013577", "InnoDB", "InnoDB initialization has ended.")
    server.line(0, "Warning", "MY-010068", "Server", "CA certificate ca.pem is self signed.")
    server.line(0, "System", "MY-013602", "Server", "Channel mysql_main configured to support "
                "TLS. Encrypted connections are now supported for this channel.")  # fmt: skip
    server.line(0, "Warning", "MY-011810", "Server", "Insecure configuration for --pid-file: "
                "Location '/var/run/mysqld' in the path is accessible to all OS users. Consider "
                "choosing a different directory.")  # fmt: skip
    server.line(
        0,
        "System",
        "MY-011323",
        "Server",
        "X Plugin ready for connections. "
        "Bind-address: '::' port: 33060, socket: /var/run/mysqld/mysqlx.sock",
    )
    server.line(0, "System", "MY-010931", "Server", f"/usr/sbin/mysqld: ready for connections. "
                f"Version: '{version}'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  "
                "MySQL Community Server - GPL.")  # fmt: skip
    raise serving(proc, "mysqld", (3306, 33060))


def _rfc3339(seconds: float) -> str:
    """`date --rfc-3339=seconds` in UTC."""
    return time.strftime("%Y-%m-%d %H:%M:%S+00:00", time.gmtime(seconds))


def mysql_wire(
    container: Container, port: int, method: str, path: str, headers: Headers
) -> HttpResponse | None:
    """The server's greeting: protocol 10 and its version, then binary (shown as curl and wget
    would see its first line)."""
    from kubesim.sandbox.images import personality

    return not_http(f"J\x00\x00\x00\n{personality(container.image).version}\x00")


# --- postgres ------------------------------------------------------------------------------------

PGDATA = "/var/lib/postgresql/data"


def postgres_entrypoint(proc: Proc) -> int:
    """docker-entrypoint.sh of postgres 17: the password check, initdb, exec postgres."""
    argv = list(proc.args)
    if argv and argv[0].startswith("-"):
        argv = ["postgres", *argv]
    helping = any(a in ("-?", "--help", "--describe-config", "-V", "--version") for a in argv)
    if not argv or argv[0] != "postgres" or helping:
        return exec_next(proc, argv, "/usr/local/bin/docker-entrypoint.sh", 351)
    env = proc.env
    data = env.get("PGDATA") or PGDATA
    if fs.read(proc.container, f"{data}/PG_VERSION") is None:
        if not env.get("POSTGRES_PASSWORD") and env.get("POSTGRES_HOST_AUTH_METHOD") != "trust":
            proc.err(
                "Error: Database is uninitialized and superuser password is not specified.\n"
                "       You must specify POSTGRES_PASSWORD to a non-empty value for the\n"
                '       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker '
                'run".\n\n'
                '       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all\n'
                "       connections without a password. This is *not* recommended.\n\n"
                '       See PostgreSQL documentation about "trust":\n'
                "       https://www.postgresql.org/docs/current/auth-trust.html\n"
            )
            return 1
        _postgres_initdb(proc, data)
    else:
        proc.out("\nPostgreSQL Database directory appears to contain a database; Skipping "
                 "initialization\n\n")  # fmt: skip
    return exec_next(proc, argv, "/usr/local/bin/docker-entrypoint.sh", 351)


def _pg_banner(proc: Proc) -> str:
    version = proc.image.version or "17.2"
    major = version.split(".")[0]
    return (f"starting PostgreSQL {version} (Debian {version}-1.pgdg120+1) on "
            f"x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit"
            if major else "")  # fmt: skip


def _pg_log(proc: Proc, pid: int, text: str) -> str:
    return f"{_millis(now(proc), '%Y-%m-%d %H:%M:%S.%f')} UTC [{pid}] LOG:  {text}\n"


def _postgres_initdb(proc: Proc, data: str) -> None:
    lines = [
        'The files belonging to this database system will be owned by user "postgres".',
        "This user must also own the server process.", "",
        'The database cluster will be initialized with locale "en_US.utf8".',
        'The default database encoding has accordingly been set to "UTF8".',
        'The default text search configuration will be set to "english".', "",
        "Data page checksums are disabled.", "",
        f"fixing permissions on existing directory {data} ... ok",
        "creating subdirectories ... ok",
        "selecting dynamic shared memory implementation ... posix",
        'selecting default "max_connections" ... 100',
        'selecting default "shared_buffers" ... 128MB',
        "selecting default time zone ... Etc/UTC", "creating configuration files ... ok",
        "running bootstrap script ... ok", "performing post-bootstrap initialization ... ok",
        "syncing data to disk ... ok", "", "",
        "Success. You can now start the database server using:", "",
        f"    pg_ctl -D {data} -l logfile start", "",
    ]  # fmt: skip
    proc.out("\n".join(lines) + "\n")
    proc.err('initdb: warning: enabling "trust" authentication for local connections\n'
             "initdb: hint: You can change this by editing pg_hba.conf or using the option -A, "
             "or --auth-local and --auth-host, the next time you run initdb.\n")  # fmt: skip
    sleep(proc, 1)
    proc.out("waiting for server to start...." + _pg_log(proc, 48, _pg_banner(proc)))
    proc.out(_pg_log(proc, 48, 'listening on Unix socket "/var/run/postgresql/.s.PGSQL.5432"'))
    stamp = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(now(proc)))
    proc.out(_pg_log(proc, 51, f"database system was shut down at {stamp}"))
    proc.out(_pg_log(proc, 48, "database system is ready to accept connections"))
    proc.out(" done\nserver started\n")
    if proc.env.get("POSTGRES_DB") and proc.env.get("POSTGRES_DB") != "postgres":
        proc.out("CREATE DATABASE\n")
    proc.out("\n/usr/local/bin/docker-entrypoint.sh: ignoring /docker-entrypoint-initdb.d/*\n\n")
    proc.out("waiting for server to shut down...." + _pg_log(proc, 48, "received fast shutdown "
             "request"))  # fmt: skip
    proc.out(_pg_log(proc, 48, "aborting any active transactions"))
    proc.out(_pg_log(proc, 48, 'background worker "logical replication launcher" (PID 54) '
                     "exited with exit code 1"))  # fmt: skip
    proc.out(_pg_log(proc, 49, "shutting down"))
    proc.out(_pg_log(proc, 49, "checkpoint starting: shutdown immediate"))
    proc.out(_pg_log(proc, 49, "checkpoint complete: wrote 3 buffers (0.0%); 0 WAL file(s) "
             "added, 0 removed, 0 recycled; write=0.002 s, sync=0.001 s, total=0.006 s; sync "
             "files=2, longest=0.001 s, average=0.001 s; distance=0 kB, estimate=0 kB; "
             "lsn=0/14E4FA0, redo lsn=0/14E4FA0"))  # fmt: skip
    proc.out(_pg_log(proc, 48, "database system is shut down"))
    proc.out(" done\nserver stopped\n\nPostgreSQL init process complete; ready for start up."
             "\n\n")  # fmt: skip
    version = proc.image.version or "17.2"
    fs.write(proc.container, f"{data}/PG_VERSION", version.split(".")[0] + "\n")


def postgres(proc: Proc) -> int:
    if any(a in ("-V", "--version") for a in proc.args):
        proc.out(f"postgres (PostgreSQL) {proc.image.version} (Debian "
                 f"{proc.image.version}-1.pgdg120+1)\n")  # fmt: skip
        return 0
    proc.out(_pg_log(proc, 1, _pg_banner(proc)))
    proc.out(_pg_log(proc, 1, 'listening on IPv4 address "0.0.0.0", port 5432'))
    proc.out(_pg_log(proc, 1, 'listening on IPv6 address "::", port 5432'))
    proc.out(_pg_log(proc, 1, 'listening on Unix socket "/var/run/postgresql/.s.PGSQL.5432"'))
    stamp = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(now(proc)))
    proc.out(_pg_log(proc, 62, f"database system was shut down at {stamp}"))
    proc.out(_pg_log(proc, 1, "database system is ready to accept connections"))
    raise serving(proc, "postgres", (5432,))


def postgres_wire(
    container: Container, port: int, method: str, path: str, headers: Headers
) -> HttpResponse | None:
    """postgres closes a connection whose startup packet is not one."""
    return not_http("")


# --- etcd ----------------------------------------------------------------------------------------


def etcd(proc: Proc) -> int:
    """etcd serving clients on 2379 (--listen-client-urls' port, when given)."""
    if "--version" in proc.args:
        version = proc.image.version or "3.5.16"
        proc.out(f"etcd Version: {version}\nGit SHA: 0\nGo Version: go1.22.9\nGo OS/Arch: "
                 "linux/amd64\n")  # fmt: skip
        return 0
    ports = [2379]
    for arg in proc.args:
        if arg.startswith("--listen-client-urls="):
            ports = [int(u.rsplit(":", 1)[1]) for u in arg.split("=", 1)[1].split(",")
                     if u.rsplit(":", 1)[-1].isdigit()] or ports  # fmt: skip
    raise serving(proc, "etcd", tuple(ports))


def etcd_http(
    container: Container, port: int, method: str, path: str, headers: Headers
) -> HttpResponse | None:
    """etcd's /version and /health on the client port."""
    from kubesim.sandbox.images import personality
    from kubesim.sandbox.programs.common import go_response

    version = personality(container.image).version or "3.5.16"
    route = path.split("?", 1)[0]
    if route == "/version":
        body = f'{{"etcdserver":"{version}","etcdcluster":"{".".join(version.split(".")[:2])}.0"}}'
        return go_response(container, 200, body, "OK", method, "application/json")
    if route == "/health":
        return go_response(container, 200, '{"health":"true","reason":""}', "OK", method,
                           "application/json")  # fmt: skip
    return go_response(container, 404, "404 page not found\n", "Not Found", method)


def _gosu(proc: Proc) -> int:
    """gosu USER COMMAND...: run COMMAND (the user change is not simulated)."""
    if len(proc.args) < 2:
        proc.err("Usage: gosu user-spec command [args]\n")
        return 1
    argv = proc.args[1:]
    if not has_program(proc, argv[0]):
        proc.err(f'error: exec: "{argv[0]}": executable file not found in $PATH\n')
        return 1
    return exec_next(proc, argv, "gosu", 0)


PROGRAMS = {
    "redis-entrypoint": Program(redis_entrypoint),
    "redis-server": Program(redis_server, redis),
    "mysql-entrypoint": Program(mysql_entrypoint),
    "mysqld": Program(mysqld, mysql_wire),
    "postgres-entrypoint": Program(postgres_entrypoint),
    "postgres": Program(postgres, postgres_wire),
    "etcd": Program(etcd, etcd_http),
    "gosu": Program(_gosu),
}
