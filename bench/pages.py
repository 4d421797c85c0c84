"""Pages under load: gunicorn (2 workers, PostgreSQL) hit by wrk from another process, each
of Kiosque's pages beside two references of the same run: Oscar's stock catalogue page and a
bare Django view returning a constant."""

import json
import shutil
import subprocess
import urllib.request

from bench.common import ROOT, gunicorn

LUA = ROOT / "bench" / "latency.lua"


def load(url: str, seconds: int, connections: int) -> dict:
    # A warm-up first: templates compiled, connections opened, caches filled.
    subprocess.run(["wrk", "-t2", "-c4", "-d2s", url], check=True, capture_output=True)
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(LUA), url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    [line] = [line for line in output.splitlines() if line.startswith("WRK ")]
    figures = json.loads(line[4:])
    seconds_run = figures["duration_us"] / 1e6
    return {
        "requests_per_s": round(figures["requests"] / seconds_run, 1),
        "p50_ms": figures["p50_us"] / 1000,
        "p95_ms": figures["p95_us"] / 1000,
        "p99_ms": figures["p99_us"] / 1000,
        "errors": figures["errors"] + figures["non_2xx"],
    }


def run(seconds: int = 10, connections: int = 8) -> dict:
    if not shutil.which("wrk"):
        raise RuntimeError("wrk is missing (make bench installs Debian's package)")
    from oscar.core.loading import get_model  # Django is set up by the caller

    product = get_model("catalogue", "Product").objects.filter(parent=None).first()
    pages = {
        "home": "/",
        "catalogue": "/catalogue/",
        "product": product.get_absolute_url(),
        "donation": "/don/",
        "oscar_stock_catalogue": "/bench/oscar-catalogue/",
        "bare_view": "/bench/constant/",
    }
    results = {}
    with gunicorn(workers=2) as base:
        for name, path in pages.items():
            with urllib.request.urlopen(base + path) as response:
                assert response.status == 200 and response.url == base + path, (name, response.url)
            results[name] = {"path": path, **load(base + path, seconds, connections)}
    stock = results["oscar_stock_catalogue"]["requests_per_s"]
    bare = results["bare_view"]["requests_per_s"]
    for name in ("home", "catalogue", "product", "donation"):
        figures = results[name]
        figures["vs_oscar_stock"] = round(figures["requests_per_s"] / stock, 2)
        figures["vs_bare_view"] = round(figures["requests_per_s"] / bare, 2)
    return results
