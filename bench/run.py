"""`make bench`: every benchmark in one run, as ratios against references measured beside
them; prints a table and writes bench/results.json.

Each part runs in a process of its own: the pages, webhooks and the donation end to end
against gunicorn on a PostgreSQL database made for the run (BENCH_DATABASE_URL), the PDFs
in-process on it, the exports on a throw-away SQLite database.
"""

import datetime
import functools
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results.json"
EXPORT_SIZES = [1_000, 10_000, 100_000]
PARTS = ("pages", "webhooks", "pdfs", "donation_flow")


def machine() -> dict:
    memory = Path("/proc/meminfo").read_text().split()[1]
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(int(memory) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def part(name: str) -> dict:
    """Run ``bench.<name>.run()`` in a fresh process on the benchmark's database."""
    code = (
        f"import json, sys; sys.path.insert(0, {str(ROOT)!r})\n"
        "from bench import common; common.setup_django()\n"
        f"from bench import {name}\n"
        f"print('RESULT ' + json.dumps({name}.run()))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"The {name} benchmark failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.split("RESULT ", 1)[1])


def exports() -> dict:
    output = subprocess.run(
        [
            sys.executable,
            "bench/export_memory.py",
            "--sizes",
            *map(str, EXPORT_SIZES),
            "--zip-sizes",
            *map(str, EXPORT_SIZES),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    sizes = json.loads(output.strip().splitlines()[-1])
    small, big = sizes[str(EXPORT_SIZES[0])], sizes[str(EXPORT_SIZES[-1])]
    growth = EXPORT_SIZES[-1] / EXPORT_SIZES[0]
    return {
        "sizes": sizes,
        "memory_ratio": {k: round(big[k]["peak_bytes"] / small[k]["peak_bytes"], 2) for k in big},
        # Time per row at the biggest size over time per row at the smallest: 1.0 is linear.
        "time_per_row_ratio": {
            k: round(big[k]["seconds"] / max(small[k]["seconds"], 0.01) / growth, 2) for k in big
        },
    }


def batch_memory() -> dict:
    """January's run with every PDF at 1 000 receipts, in a process of its own; beside it, the
    last 10 000 run recorded by `make bench-batch` (some 15 minutes alone: too long here)."""
    from bench.batch_memory import last_recorded

    output = subprocess.run(
        [sys.executable, "bench/batch_memory.py", "--receipts", "1000"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {"1000": json.loads(output.strip().splitlines()[-1]), "10000": last_recorded(10_000)}


def row(*cells) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def yes(holds: bool) -> str:
    return "yes" if holds else "**no**"


def table(results: dict) -> str:
    pages, hooks, pdfs, exp = (results[k] for k in ("pages", "webhooks", "pdfs", "exports"))
    rows = [
        row("measure", "figure", "reference, same run", "ratio", "bar", "holds"),
        row(*["---"] * 6),
    ]
    stock = pages["oscar_stock_catalogue"]["requests_per_s"]
    bare = pages["bare_view"]["requests_per_s"]
    for name in ("home", "catalogue", "product", "donation"):
        page = pages[name]
        latency = f"p50/p95/p99 {page['p50_ms']:.0f}/{page['p95_ms']:.0f}/{page['p99_ms']:.0f} ms"
        figure = f"{page['requests_per_s']} req/s, {latency}"
        ratio = page["vs_oscar_stock"]
        rows.append(
            row(f"page {name}", figure, f"Oscar stock catalogue {stock} req/s", f"x{ratio}",
                ">= 1.0", yes(ratio >= 1))
        )  # fmt: skip
        if name in ("home", "donation"):
            ratio = page["vs_bare_view"]
            rows.append(
                row(f"page {name}", f"{page['requests_per_s']} req/s",
                    f"bare Django view {bare} req/s", f"x{ratio}", ">= 0.5", yes(ratio >= 0.5))
            )  # fmt: skip
    for name, label in (
        ("oscar_stock_catalogue", "Oscar's stock catalogue"),
        ("bare_view", "bare Django view"),
    ):
        page = pages[name]
        latency = f"p50/p95/p99 {page['p50_ms']:.0f}/{page['p95_ms']:.0f}/{page['p99_ms']:.0f} ms"
        rows.append(
            row(
                f"reference: {label}",
                f"{page['requests_per_s']} req/s, {latency}",
                "-",
                "-",
                "-",
                "-",
            )
        )
    once = hooks["exactly_one_donation_per_event"]
    rows.append(
        row("webhooks payment_intent.succeeded",
            f"{hooks['events_per_s']} events/s ({hooks['events']}, one donation each: {once})",
            "-", "-", ">= 100/s", yes(hooks["events_per_s"] >= 100 and once))
    )  # fmt: skip
    single, batch = pdfs["single"], pdfs["batch"]
    rows.append(
        row("single receipt PDF", f"{single['receipts_per_s']} receipts/s",
            f"WeasyPrint alone {single['bare_receipts_per_s']}/s",
            f"time x{single['time_vs_bare']}", "<= 1.2", yes(single["time_vs_bare"] <= 1.2))
    )  # fmt: skip
    rows.append(
        row("batch of receipts (annual run)", f"{batch['receipts_per_s']} receipts/s",
            f"WeasyPrint alone, a document each, {batch['bare_receipts_per_s']}/s",
            f"speed x{batch['speed_vs_bare']}", ">= 5", yes(batch["speed_vs_bare"] >= 5))
    )  # fmt: skip
    rows.append(
        row("reference: the same receipts as one WeasyPrint document, not split",
            f"{batch['one_document_pages_per_s']} pages/s",
            f"WeasyPrint alone, a document each, {batch['bare_receipts_per_s']}/s",
            f"speed x{batch['one_document_speed_vs_bare']}", "-", "-")
    )  # fmt: skip
    small, big = results["batch_memory"]["1000"], results["batch_memory"]["10000"]
    rows.append(
        row("batch memory, annual run with every PDF, 1 000 receipts (this run)",
            f"peak RSS {small['peak_rss_mb']} MB ({small['rss_mb_at_start']} MB at the start), "
            f"{small['seconds']} s", "-", "-", "-", "-")
    )  # fmt: skip
    if big is None:
        rows.append(row("batch memory, 10 000 receipts", "not recorded: make bench-batch",
                        "-", "-", "memory <= 2", "**no**"))  # fmt: skip
    else:
        ratio = round(big["peak_rss_mb"] / small["peak_rss_mb"], 2)
        rows.append(
            row(f"batch memory, 10 000 receipts (make bench-batch, {big['date']}, "
                f"{big['commit']})",
                f"peak RSS {big['peak_rss_mb']} MB, {big['seconds']} s",
                "same at 1 000 (this run)", f"memory x{ratio}", "memory <= 2",
                yes(ratio <= 2))
        )  # fmt: skip
    flow = results["donation_flow"]
    mail_ms = flow["mail_server_seconds"] * 1000
    rows.append(
        row(f"donation end to end, donor's page ({flow['donations']} gifts)",
            f"median {flow['page_median_ms']} ms, p95 {flow['page_p95_ms']} ms",
            f"mail server accepting in {mail_ms:.0f} ms",
            f"p95 x{flow['page_p95_ms'] / mail_ms:.2f}",
            "the page does not wait for the mail", yes(flow["page_p95_ms"] < mail_ms))
    )  # fmt: skip
    rows.append(
        row("donation end to end, thank-you email delivered",
            f"median {flow['email_delivered_median_ms']} ms, "
            f"p95 {flow['email_delivered_p95_ms']} ms",
            "-", "-", "-", "-")
    )  # fmt: skip
    names = {"csv": "CSV register", "xlsx": "Excel register", "zip": "ZIP of the year's PDFs"}
    for kind in ("csv", "xlsx", "zip"):
        memory, per_row = exp["memory_ratio"][kind], exp["time_per_row_ratio"][kind]
        seconds = exp["sizes"][str(EXPORT_SIZES[-1])][kind]["seconds"]
        rows.append(
            row(f"{names[kind]}, 100 000 receipts", f"{seconds} s", "same at 1 000",
                f"memory x{memory}, time per row x{per_row}", "memory <= 2, time linear",
                yes(memory <= 2 and per_row <= 1.5))
        )  # fmt: skip
    return "\n".join(rows)


def main() -> None:
    from bench import common

    print("Database for the run:", common.DATABASE_URL, flush=True)
    common.recreate_database()
    results = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine(),
    }
    durations = results["seconds_per_part"] = {}
    for name, measure in (
        *((name, functools.partial(part, name)) for name in PARTS),
        ("exports", exports),
        ("batch_memory", batch_memory),
    ):
        print(f"Measuring {name}...", end=" ", flush=True)
        started = time.monotonic()
        results[name] = measure()
        durations[name] = round(time.monotonic() - started)
        print(f"{durations[name]} s", flush=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))
    print(f"\nWritten to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
