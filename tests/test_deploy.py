"""The container and the multi-server setup hold their essentials (Docker does not run here, so
they are read, not built): a slim Python 3.11 image run by a non-root user with a health check; in
compose, several app servers behind nginx; in nginx, session affinity, websockets, gzip and the
static cache, and the security headers in every location."""

from __future__ import annotations

import re
import tomllib

import yaml

from tests.support.paths import REPO

DOCKERFILE = (REPO / "Dockerfile").read_text(encoding="utf-8")
COMPOSE = yaml.safe_load((REPO / "deploy" / "compose.yaml").read_text(encoding="utf-8"))
NGINX = (REPO / "deploy" / "nginx.conf").read_text(encoding="utf-8")


def nginx_block(start: str) -> str:
    """The text of the `{ ... }` block that follows `start` in nginx.conf."""
    i = NGINX.index(start)
    depth, j = 0, NGINX.index("{", i)
    for k in range(j, len(NGINX)):
        depth += {"{": 1, "}": -1}.get(NGINX[k], 0)
        if depth == 0:
            return NGINX[j:k + 1]
    raise AssertionError(f"unclosed block after {start!r}")


def test_dockerfile_is_slim_non_root_with_the_readme_install_and_a_health_check() -> None:
    assert re.search(r"^FROM python:3\.11-slim\b", DOCKERFILE, re.M)
    users = re.findall(r"^USER (\S+)", DOCKERFILE, re.M)
    assert users and users[-1] not in ("root", "0")
    assert "pip install -r requirements.txt" in DOCKERFILE and "pip install --no-deps -e ." in DOCKERFILE
    assert re.search(r"^HEALTHCHECK .*\n?.*/_stcore/health", DOCKERFILE, re.M)
    assert "streamlit" in DOCKERFILE.split("CMD", 2)[-1] and "app.py" in DOCKERFILE
    for folder in ("src", "ui", "data", ".streamlit"):
        assert re.search(rf"^COPY {re.escape(folder)} ", DOCKERFILE, re.M), folder


def test_compose_runs_several_app_servers_behind_nginx() -> None:
    services = COMPOSE["services"]
    apps = sorted(name for name, s in services.items() if s.get("image") == "acumap:latest")
    assert len(apps) >= 2
    for name in apps:
        s = services[name]
        assert s["build"]["dockerfile"] == "Dockerfile"
        assert "/_stcore/health" in " ".join(s["healthcheck"]["test"])
        assert "STREAMLIT_SERVER_COOKIE_SECRET" in s["environment"]  # the same secret on every server
    proxy = services["proxy"]
    assert proxy["image"].startswith("nginx:")
    assert "./nginx.conf:/etc/nginx/nginx.conf:ro" in proxy["volumes"]
    assert set(proxy["depends_on"]) == set(apps)
    # nginx sends to exactly the app servers compose starts.
    upstream = nginx_block("upstream acumap")
    assert sorted(re.findall(r"server (\w+):8501", upstream)) == apps


def test_nginx_keeps_a_browser_on_one_server() -> None:
    upstream = nginx_block("upstream acumap")
    assert re.search(r"^\s*(ip_hash|hash \$acumap_route consistent);", upstream, re.M)
    assert "$cookie_acumap_route" in NGINX and "add_header Set-Cookie $acumap_set_route" in NGINX


def test_nginx_proxies_websockets_gzips_text_and_caches_static() -> None:
    stream = nginx_block("location /_stcore/stream")
    assert "proxy_set_header Upgrade $http_upgrade;" in stream
    assert "proxy_set_header Connection $connection_upgrade;" in stream
    assert "proxy_http_version 1.1;" in stream and "proxy_read_timeout" in stream
    assert re.search(r"^\s*gzip on;", NGINX, re.M)
    types = re.search(r"gzip_types([^;]+);", NGINX).group(1).split()
    assert {"text/css", "application/javascript", "application/json", "text/plain"} <= set(types)
    static = nginx_block("location /static/")
    assert "proxy_cache acumap_static;" in static and "proxy_cache_valid 200" in static
    assert "keys_zone=acumap_static" in NGINX
    for block in (stream, static, nginx_block("location / ")):
        assert "proxy_set_header Host $http_host;" in block  # Streamlit checks the websocket's Origin


def test_nginx_sends_security_headers_from_every_location_and_hides_metrics() -> None:
    # A location with an add_header of its own inherits none of the server's: each must carry all three.
    locations = re.findall(r"^\s*location (\S+(?: \S+)?) \{", NGINX, re.M)
    assert {"/_stcore/stream", "/static/", "/", "^~ /_stcore/metrics"} <= set(locations)
    for name in locations:
        block = nginx_block(f"location {name} {{")
        assert "add_header Content-Security-Policy $acumap_csp always;" in block, name
        assert "add_header X-Content-Type-Options nosniff always;" in block, name
        assert "add_header Referrer-Policy $acumap_referrer always;" in block, name
    csp = re.search(r"map \$host \$acumap_csp \{\s*default \"([^\"]+)\";", NGINX).group(1)
    assert "frame-ancestors 'self'" in csp and "default-src 'self'" in csp
    # One Cache-Control on /static/: Streamlit's own is hidden, nginx's added.
    static = nginx_block("location /static/")
    assert "proxy_hide_header Cache-Control;" in static and static.count("add_header Cache-Control") == 1
    assert "return 404;" in nginx_block("location ^~ /_stcore/metrics")


def test_the_served_config_skips_the_forced_collection_after_every_run() -> None:
    # A class polls every second from every phone; a forced full collection after each of those small
    # runs cost more than the run itself (bench: `make load`, the live phase). The Dockerfile serves this file.
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["postScriptGC"] is False
    assert config["server"]["fileWatcherType"] == "none"
    assert "COPY .streamlit ./.streamlit" in (REPO / "Dockerfile").read_text(encoding="utf-8")
