"""Apache: httpd (httpd-foreground) and WordPress's apache2 with its docker-entrypoint.sh.

httpd: AH00558 twice (the server's name cannot be looked up), then its notices (mpm_event),
serving /usr/local/apache2/htdocs with its headers; the image's index.html is the one built
in (Last-Modified 11 Jun 2007, ETag "2d-432a5e4a73a80"). WordPress: docker-library's
entrypoint copies WordPress into /var/www/html and writes wp-config.php when WORDPRESS_*
variables are set; apache2 (mpm_prefork, PHP) then answers with WordPress's redirects: to the
setup page without a configuration, to the installer when the database answers, else
WordPress's "Error establishing a database connection" page.
UNVERIFIED: the body of that error page (wp_die's template) is abridged.
"""

from __future__ import annotations

import posixpath
import time

from kubesim.sandbox import fs
from kubesim.sandbox.container import Container, Headers, HttpResponse
from kubesim.sandbox.images import personality
from kubesim.sandbox.proc import Proc
from kubesim.sandbox.programs import Program, serving
from kubesim.sandbox.programs.common import exec_next, http_date, now

HTDOCS = "/usr/local/apache2/htdocs"
IT_WORKS = "<html><body><h1>It works!</h1></body></html>\n"


def _apache_time(seconds: float) -> str:
    micros = int(round(seconds * 1_000_000)) % 1_000_000
    return time.strftime("%a %b %d %H:%M:%S", time.gmtime(seconds)) + time.strftime(
        f".{micros:06d} %Y", time.gmtime(seconds)
    )


def _fqdn_warning(proc: Proc, name: str) -> str:
    ip = proc.container.pod_ip or "127.0.0.1"
    return (f"AH00558: {name}: Could not reliably determine the server's fully qualified domain "
            f"name, using {ip}. Set the 'ServerName' directive globally to suppress this "
            "message\n")  # fmt: skip


def httpd_foreground(proc: Proc) -> int:
    """httpd-foreground: `rm -f logs/httpd.pid; exec httpd -DFOREGROUND "$@"`."""
    version = proc.image.version or "2.4.62"
    stamp = _apache_time(now(proc))
    warning = _fqdn_warning(proc, "httpd")
    proc.err(warning + warning)
    proc.err(f"[{stamp}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/{version} (Unix) "
             "configured -- resuming normal operations\n"
             f"[{stamp}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D "
             "FOREGROUND'\n")  # fmt: skip
    raise serving(proc, "httpd", (80,))


def httpd(
    container: Container, port: int, method: str, path: str, headers: Headers
) -> HttpResponse | None:
    version = personality(container.image).version or "2.4.62"
    server = ("Server", f"Apache/{version} (Unix)")
    target = fs.absolute(HTDOCS, "." + path.split("?", 1)[0])
    if fs.is_dir(container, target):
        target = posixpath.join(target, "index.html")
    body = fs.read(container, target) if target.startswith(HTDOCS) else None
    date = ("Date", http_date(container.now))
    if body is None:
        page = (
            '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n'
            "<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n"
            "<p>The requested URL was not found on this server.</p>\n</body></html>\n"
        )
        answer: Headers = (date, server, ("Content-Length", str(len(page))),
                  ("Content-Type", "text/html; charset=iso-8859-1"))  # fmt: skip
        return HttpResponse(404, "" if method == "HEAD" else page, "Not Found", answer)
    size = len(body.encode())
    if target == f"{HTDOCS}/index.html" and body == IT_WORKS:
        modified, etag = "Mon, 11 Jun 2007 18:53:14 GMT", '"2d-432a5e4a73a80"'
    else:
        modified, etag = http_date(container.now), f'"{size:x}-{int(container.now * 1e6):x}"'
    found: Headers = (
        date, server, ("Last-Modified", modified), ("ETag", etag), ("Accept-Ranges", "bytes"),
        ("Content-Length", str(size)), ("Content-Type", "text/html"),
    )  # fmt: skip
    return HttpResponse(200, "" if method == "HEAD" else body, "OK", found)


# --- WordPress -----------------------------------------------------------------------------------

DOCROOT = "/var/www/html"


def wordpress_entrypoint(proc: Proc) -> int:
    argv = list(proc.args)
    if argv and (argv[0].startswith("apache2") or argv[0] == "php-fpm"):
        cwd = proc.state.cwd
        if not fs.exists(proc.container, f"{cwd}/index.php") and not fs.exists(
            proc.container, f"{cwd}/wp-includes/version.php"
        ):
            proc.err(f"WordPress not found in {cwd} - copying now...\n")
            if any(n != "wp-content" for n in fs.list_dir(proc.container, cwd)):
                proc.err(f"WARNING: {cwd} is not empty! (copying anyhow)\n")
            fs.write(proc.container, f"{cwd}/index.php", "<?php\n/** WordPress */\n")
            fs.write(proc.container, f"{cwd}/wp-includes/version.php",
                     f"<?php\n$wp_version = '{proc.image.version}';\n")  # fmt: skip
            fs.write(proc.container, f"{cwd}/wp-config-docker.php", "<?php\n")
            proc.err(f"Complete! WordPress has been successfully copied to {cwd}\n")
        names = sorted(k for k in proc.env if k.startswith("WORDPRESS_"))
        if names and not fs.read(proc.container, f"{cwd}/wp-config.php"):
            source = "wp-config-docker.php"
            if not fs.read(proc.container, f"{cwd}/{source}"):
                source = "/usr/src/wordpress/wp-config-docker.php"
            proc.err(f"No 'wp-config.php' found in {cwd}, but 'WORDPRESS_...' variables "
                     f"supplied; copying '{source}' ({' '.join(names)})\n")  # fmt: skip
            fs.write(proc.container, f"{cwd}/wp-config.php", "<?php\n/* from the environment */\n")
    return exec_next(proc, argv, "/usr/local/bin/docker-entrypoint.sh", 123)


def apache2_foreground(proc: Proc) -> int:
    stamp = _apache_time(now(proc))
    warning = _fqdn_warning(proc, "apache2")
    proc.err(warning + warning)
    proc.err(f"[{stamp}] [mpm_prefork:notice] [pid 1:tid 1] AH00163: Apache/2.4.62 (Debian) "
             f"PHP/{proc.env.get('PHP_VERSION', '8.2.27')} configured -- resuming normal "
             f"operations\n[{stamp}] [core:notice] [pid 1:tid 1] AH00094: Command line: "
             "'apache2 -D FOREGROUND'\n")  # fmt: skip
    raise serving(proc, "wordpress", (80,))


def wordpress(
    container: Container, port: int, method: str, path: str, headers: Headers
) -> HttpResponse | None:
    host = next((v for k, v in headers if k.lower() == "host"), container.pod_ip or "localhost")
    base = (("Date", http_date(container.now)), ("Server", "Apache/2.4.62 (Debian)"),
            ("X-Powered-By", f"PHP/{container.env.get('PHP_VERSION', '8.2.27')}"))  # fmt: skip
    page_path = path.split("?", 1)[0]
    if not fs.read(container, f"{DOCROOT}/wp-config.php"):
        if page_path == "/wp-admin/setup-config.php":
            return _page(base, "Setup Configuration File", method)
        return _redirect(base, f"http://{host}/wp-admin/setup-config.php", method)
    if _database_answers(container):
        if page_path == "/wp-admin/install.php":
            return _page(base, "Installation", method)
        return _redirect(base, f"http://{host}/wp-admin/install.php", method)
    page = ("<!DOCTYPE html>\n<html lang=\"en-US\">\n<head>\n\t<meta http-equiv=\"Content-Type\" "
            "content=\"text/html; charset=utf-8\" />\n\t<meta name=\"viewport\" "
            "content=\"width=device-width\">\n\t\t<meta name='robots' content='max-image-preview:"
            "large, noindex, follow' />\n\t<title>Database Error</title>\n\t</head>\n<body "
            "id=\"error-page\">\n\t<div class=\"wp-die-message\"><h1>Error establishing a "
            "database connection</h1></div></body>\n</html>\n")  # fmt: skip
    answer = (*base, ("Content-Length", str(len(page))),
              ("Content-Type", "text/html; charset=UTF-8"))  # fmt: skip
    return HttpResponse(500, "" if method == "HEAD" else page, "Internal Server Error", answer)


def _page(base: Headers, title: str, method: str) -> HttpResponse:
    """A first-run page of WordPress (its language chooser), abridged: the title and the form
    a browser shows, not WordPress's whole markup."""
    page = ("<!DOCTYPE html>\n<html lang=\"en-US\" xml:lang=\"en-US\">\n<head>\n"
            "\t<meta name=\"viewport\" content=\"width=device-width\" />\n"
            "\t<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\" />\n"
            "\t<meta name=\"robots\" content=\"noindex,nofollow\" />\n"
            f"\t<title>WordPress &rsaquo; {title}</title>\n</head>\n"
            "<body class=\"wp-core-ui language-chooser\">\n<p id=\"logo\">WordPress</p>\n"
            "<form id=\"setup\" method=\"post\" action=\"?step=1\">"
            "<label class='screen-reader-text' for='language'>Select a default language</label>\n"
            "<select size='14' name='language' id='language'>\n"
            "<option value=\"\" lang=\"en\" selected=\"selected\" data-continue=\"Continue\" "
            "data-installed=\"1\">English (United States)</option>\n</select>\n"
            "<p class=\"step\"><span class=\"spinner\"></span><input id=\"language-continue\" "
            "type=\"submit\" class=\"button button-primary button-large\" value=\"Continue\" "
            "/></p></form>\n</body>\n</html>\n")  # fmt: skip
    answer = (*base, ("Vary", "Accept-Encoding"), ("Content-Length", str(len(page))),
              ("Content-Type", "text/html; charset=utf-8"))  # fmt: skip
    return HttpResponse(200, "" if method == "HEAD" else page, "OK", answer)


def _redirect(base: Headers, location: str, method: str) -> HttpResponse:
    answer = (*base, ("Location", location), ("Content-Length", "0"),
              ("Content-Type", "text/html; charset=UTF-8"))  # fmt: skip
    return HttpResponse(302, "", "Found", answer)


def _database_answers(container: Container) -> bool:
    """Whether something listens at WORDPRESS_DB_HOST (default `mysql`, port 3306)."""
    from kubesim.sandbox import http, resolver

    name, _, port = (container.env.get("WORDPRESS_DB_HOST") or "mysql").partition(":")
    found = resolver.getaddrinfo(container, name)
    if found is None:
        return False
    return http.fetch(container, found[1][0], int(port or "3306"), "GET", "/") is not None


PROGRAMS = {
    "httpd-foreground": Program(httpd_foreground),
    "httpd": Program(httpd_foreground, httpd),
    "wordpress-entrypoint": Program(wordpress_entrypoint),
    "apache2-foreground": Program(apache2_foreground),
    "wordpress": Program(apache2_foreground, wordpress),
}
