"""Benchmark: each Twilio webhook's throughput against a bare Flask route, measured side by side with wrk.

Serves the app and, from a temporary file, a bare Flask route returning constant TwiML, each
under the same gunicorn settings as the Procfile (2 workers x 4 threads), and loads each with wrk
(Debian's package, installed when missing and we may) at 32 connections, signed requests, in
alternating rounds. Prints, per webhook, requests/s, its ratio to the bare route (median of the
rounds), p50/p99, and the SQL statements per request measured in-process; then boot time and
worker memory. Then the supporters' form: POST /c/<slug> with a distinct valid number each and a
ZIP the seeded data resolves, served as production serves it (a Twilio account, so the calls are
real ones with their outbox rows; DIALER_MODE=rq on --redis-url, whose database is emptied before
each round; no RQ worker runs, so nobody is dialed), with the per-address and per-number limits
lifted so it measures planned calls, not refusals: it counts the calls each round stored and says
so when any request was not a 303. Loopback only; bounded.

    .venv/bin/python bench/webhooks.py [--calls 3000] [--seconds 4] [--rounds 3] [--database-url …]
        [--redis-url redis://127.0.0.1:6379/11]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import requests
from redis import Redis
from sqlalchemy import event, func, select, update

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from bench.http_load import free_port  # noqa: E402
from bench.scenario import FORM_ZIP, app_settings, seed_calls, seed_form, served_env  # noqa: E402
from callflow.vocabulary import Step  # noqa: E402
from extensions import db  # noqa: E402
from models import Call, CallStatus, Campaign  # noqa: E402
from tests.support.served_app import start_gunicorn, wait_until_up  # noqa: E402
from tests.support.settings import TWILIO_SID, TWILIO_TOKEN  # noqa: E402
from tests.support.signing import sign_webhook  # noqa: E402

CONNECTIONS = 32
ACCOUNT = "AC" + "0" * 32
BARE_APP = """
from flask import Flask

app = Flask(__name__)
TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hello</Say></Response>'


@app.get("/healthz")
def health():
    return "ok"


@app.post("/twilio/bare")
def bare():
    return TWIML, 200, {"Content-Type": "text/xml"}
"""
WRK_SCRIPT = """
local requests = {}
for line in io.lines(os.getenv("WRK_REQUESTS")) do
  local path, body, header = line:match("([^\\t]*)\\t([^\\t]*)\\t([^\\t]*)")
  requests[#requests + 1] = wrk.format("POST", path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    [os.getenv("WRK_HEADER")] = header,
  }, body)
end
local i = 0
request = function()
  i = i % #requests + 1
  return requests[i]
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "JSON {\\"requests\\": %d, \\"seconds\\": %f, \\"p50\\": %f, \\"p99\\": %f, "
    .. "\\"errors\\": %d, \\"statuses\\": %d}\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.status + e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def ensure_wrk() -> str:
    """wrk from Debian's packages, installed when missing and we are root."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        sys.exit("wrk is missing: sudo apt-get install wrk")
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "wrk"], check=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    )
    return shutil.which("wrk") or sys.exit("wrk did not install")


def signed_lines(base: str, requests_: list[tuple[str, dict[str, str]]]) -> str:
    """One line per request for the wrk script: path, form body, Twilio's signature."""
    return "".join(
        f"{path}\t{urlencode(form)}\t{sign_webhook(TWILIO_TOKEN, base + path, form)}\n" for path, form in requests_
    )


def webhook_requests(public_ids: list[str]) -> dict[str, list[tuple[str, dict[str, str]]]]:
    """Per webhook, one request per call, as Twilio would send them."""
    sids = {p: "CA" + f"{n:032x}" for n, p in enumerate(public_ids)}

    def common(p: str) -> dict[str, str]:
        return {"AccountSid": ACCOUNT, "CallSid": sids[p], "CallStatus": "in-progress", "Direction": "outbound-api"}

    return {
        "answered": [(f"/twilio/calls/{p}/answered", common(p)) for p in public_ids],
        "gather": [(f"/twilio/calls/{p}/gather", {**common(p), "Digits": "2"}) for p in public_ids],
        "dial": [
            (
                f"/twilio/calls/{p}/dial",
                {
                    **common(p),
                    "DialCallStatus": "completed",
                    "DialCallDuration": "42",
                    "DialCallSid": "CA" + f"{n + 10**6:032x}",
                    "DialBridged": "true",
                },
            )
            for n, p in enumerate(public_ids)
        ],
        "status": [(f"/twilio/calls/{p}/status", {**common(p), "SequenceNumber": "2"}) for p in public_ids],
    }


# Where the calls must stand for each webhook to do its real work (the first request per call).
STATES = {"answered": Step.START, "gather": Step.SCRIPT, "dial": Step.DIALING, "status": Step.SCRIPT}


def put_back(name: str) -> None:
    """Every call where webhook ``name`` does its real work again (its status too: a status callback applies once)."""
    start = {"step": STATES[name], "position": 0, "attempts": 0, "status": CallStatus.initiated, "status_sequence": 0}
    db.session.execute(update(Call).values(start))
    db.session.commit()


def run_wrk(
    wrk: str, base: str, path: str, lines_file: Path, script: Path, seconds: int, header: str = "X-Twilio-Signature"
) -> dict:
    """One wrk run replaying `lines_file` (path, body, and the value of `header` per line)."""
    env = {**os.environ, "WRK_REQUESTS": str(lines_file), "WRK_HEADER": header}
    done = subprocess.run(
        [wrk, "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "-s", str(script), base + path],
        env=env,
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    match = re.search(r"^JSON (.*)$", done.stdout, re.MULTILINE)
    if match is None:
        sys.exit(f"wrk failed:\n{done.stdout}\n{done.stderr}")
    result = json.loads(match.group(1))
    result["rps"] = result["requests"] / result["seconds"]
    return result


def serve(
    port: int, env: dict[str, str], threads: int, target: str = "app:app", cwd: Path = ROOT
) -> tuple[subprocess.Popen, float]:
    started = time.perf_counter()
    process = start_gunicorn(port, env, None, target=target, cwd=cwd, threads=threads)
    wait_until_up(f"http://127.0.0.1:{port}", process)
    return process, time.perf_counter() - started


def worker_memory_mb(master: int) -> list[tuple[float, float, float]]:
    """Each of the gunicorn master's workers' memory in MB: resident (RSS), its share of pages it shares (PSS),
    and what it alone holds (USS: private pages, the cost of one more worker)."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            if not re.search(rf"^PPid:\s+{master}$", status.read_text(), re.MULTILINE):
                continue
            rollup = (status.parent / "smaps_rollup").read_text()
        except OSError:
            continue
        kb = {name: int(value) for name, value in re.findall(r"^(\w+):\s+(\d+) kB", rollup, re.MULTILINE)}
        private = kb.get("Private_Clean", 0) + kb.get("Private_Dirty", 0)
        sizes.append((kb.get("Rss", 0) / 1024, kb.get("Pss", 0) / 1024, private / 1024))
    return sizes


def statements_per_request(settings: dict, public_ids: list[str], hooks: dict) -> dict[str, float]:
    """SQL statements each webhook runs, in-process on the same database (from each call's first request)."""
    app = create_app(settings)
    counts: dict[str, list[int]] = {}
    client = app.test_client()
    seen: list[str] = []

    def listener(conn, cursor, statement, *rest) -> None:
        seen.append(statement)

    with app.app_context():
        for name, reqs in hooks.items():
            put_back(name)
            event.listen(db.engine, "before_cursor_execute", listener)
            try:
                for path, form in reqs[:50]:
                    seen.clear()
                    base = settings["PUBLIC_BASE_URL"]
                    client.post(
                        path, data=form, headers={"X-Twilio-Signature": sign_webhook(TWILIO_TOKEN, base + path, form)}
                    )
                    counts.setdefault(name, []).append(len(seen))
            finally:
                event.remove(db.engine, "before_cursor_execute", listener)
    return {name: statistics.mean(c) for name, c in counts.items()}


def cpu_per_request(settings: dict, hooks: dict, rounds: int = 3, count: int = 300) -> dict[str, float]:
    """CPU milliseconds per request in-process (Flask's test client, no HTTP), fastest of ``rounds`` rounds of
    each call's first request, and the bare route's the same way: a figure the box's other load barely moves."""
    app = create_app(settings)
    client = app.test_client()
    namespace: dict = {"__name__": "bare"}
    exec(BARE_APP.replace("Flask(__name__)", "Flask(__name__, root_path='.')"), namespace)  # the HTTP rounds' route
    bare_client = namespace["app"].test_client()
    base = settings["PUBLIC_BASE_URL"]
    costs: dict[str, float] = {}
    with app.app_context():
        for name, reqs in [("bare", [("/twilio/bare", {"CallSid": "CA" + "0" * 32})] * count), *hooks.items()]:
            signed = [(p, f, {"X-Twilio-Signature": sign_webhook(TWILIO_TOKEN, base + p, f)}) for p, f in reqs[:count]]
            best = float("inf")
            for _ in range(rounds):
                if name != "bare":
                    put_back(name)
                started = time.process_time()
                for path, form, headers in signed:
                    (bare_client if name == "bare" else client).post(path, data=form, headers=headers)
                best = min(best, (time.process_time() - started) / len(signed) * 1000)
            costs[name] = best
    return costs


# The form's served app: production's path (a Twilio account, the RQ dialer) with the abuse limits lifted, so
# every request is a planned call; no RQ worker runs and the REST origin is a closed port, so nobody is dialed.
LIFTED_LIMITS = {
    "RATE_LIMIT_PER_IP": "1000000 per hour",
    "RATE_LIMIT_FORMS_PER_IP": "1000000 per hour",
    "RATE_LIMIT_PER_NUMBER": "1000000 per day",
    "RATE_LIMIT_PER_NUMBER_ALL": "1000000 per day",
}


def form_settings(redis_url: str) -> dict[str, str]:
    """What the form's served app (and its in-process count) adds to the webhooks' settings."""
    return {
        **LIFTED_LIMITS,
        "TWILIO_ACCOUNT_SID": TWILIO_SID,
        "TWILIO_API_BASE_URL": "http://127.0.0.1:9",
        "DIALER_MODE": "rq",
        "REDIS_URL": redis_url,
    }


def form_phone(n: int) -> str:
    """The n-th supporter's number: distinct, valid, in Massachusetts."""
    return f"+1617{n // 10000 + 220:03d}{n % 10000:04d}"


def form_body(n: int, token: str) -> dict[str, str]:
    return {"csrf_token": token, "phone": form_phone(n), "location": FORM_ZIP, "name": "", "town": ""}


def form_session(base: str, slug: str) -> tuple[str, str]:
    """The page's session cookie and CSRF token, as a browser holds them (one pair serves every submission)."""
    page = requests.get(f"{base}/c/{slug}", timeout=30)
    page.raise_for_status()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
    if token is None:
        sys.exit("the campaign page has no CSRF token")
    cookie = "; ".join(f"{c.name}={c.value}" for c in page.cookies)
    return cookie, token.group(1)


def form_statements(settings: dict, slug: str) -> tuple[float, list[int]]:
    """SQL statements per form submission in-process (same database and settings); and the HTTP statuses seen."""
    app = create_app({**settings, "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    counts, statuses = [], []
    seen: list[str] = []

    def listener(conn, cursor, statement, *rest) -> None:
        seen.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            for n in range(10**6, 10**6 + 20):  # numbers the wrk rounds never use
                seen.clear()
                response = client.post(f"/c/{slug}", data=form_body(n, ""))
                counts.append(len(seen))
                statuses.append(response.status_code)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
    return statistics.mean(counts), statuses


def calls_stored(app) -> int:
    with app.app_context():
        count = db.session.scalar(
            select(func.count()).select_from(Call).join(Campaign).where(Campaign.slug == "bench-form")
        )
        db.session.rollback()
        return count or 0


def bench_form(args, wrk: str, work: Path, url: str, script: Path, app, slug: str) -> None:
    """The supporters' form over HTTP: submissions per second, p50/p99, and what each request became."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    settings = {**app_settings(url, base), **form_settings(args.redis_url)}
    sql, statuses = form_statements(settings, slug)
    redis = Redis.from_url(args.redis_url)
    redis.flushdb()
    server, _ = serve(port, {**served_env(url, base), **form_settings(args.redis_url)}, args.threads)
    rounds = []
    try:
        cookie, token = form_session(base, slug)
        lines = work / "form.tsv"
        lines.write_text(
            "".join(f"/c/{slug}\t{urlencode(form_body(n, token))}\t{cookie}\n" for n in range(args.submissions))
        )
        for _ in range(args.rounds):
            redis.flushdb()  # the limits' counters and the queued dial jobs of the round before
            before = calls_stored(app)
            result = run_wrk(wrk, base, f"/c/{slug}", lines, script, args.seconds, header="Cookie")
            result["stored"] = calls_stored(app) - before
            rounds.append(result)
    finally:
        server.terminate()
        server.wait(timeout=10)
        redis.flushdb()
    rps = statistics.median(r["rps"] for r in rounds)
    p50 = statistics.median(r["p50"] for r in rounds)
    p99 = statistics.median(r["p99"] for r in rounds)
    sent, stored = sum(r["requests"] for r in rounds), sum(r["stored"] for r in rounds)
    errors = sum(r["errors"] for r in rounds)
    refused = sum(r["statuses"] for r in rounds)  # answered 4xx or 5xx (wrk's other errors are its own timeouts)
    print()
    print(
        "form (POST /c/<slug>): a distinct valid number each, a ZIP the seeded data resolves; a Twilio account "
        "(real calls, outbox rows), DIALER_MODE=rq, no RQ worker;"
    )
    print(
        "  per-address and per-number limits lifted for the bench: "
        + ", ".join(f"{k}={v}" for k, v in LIFTED_LIMITS.items())
    )
    print(f"{'endpoint':10} {'subm/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'SQL/req':>8} {'errors':>7}")
    print(f"{'form':10} {rps:8.0f} {p50:7.1f} {p99:7.1f} {sql:8.1f} {errors:7d}")
    # wrk stops with requests in flight: a few answered after it stopped counting are stored too.
    print(
        f"  {sent} answered, {refused} of them 4xx/5xx; {stored} calls stored; "
        f"in-process statuses: {sorted(set(statuses))}"
    )
    if refused or set(statuses) != {303} or stored < sent:
        print("  WARNING: not every submission became a call (303): the figure includes refusals or errors")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/11", help="emptied before each form round")
    parser.add_argument("--submissions", type=int, default=20000, help="distinct numbers the form rounds cycle through")
    parser.add_argument("--skip-webhooks", action="store_true", help="only the form")
    # The Procfile's web process has 4 threads per worker; 1 is gunicorn's sync worker.
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    wrk = ensure_wrk()
    work = Path(tempfile.mkdtemp())
    url = args.database_url or f"sqlite:///{work}/bench.sqlite3"
    port, bare_port = free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    settings = app_settings(url, base)
    app = create_app(settings)
    with app.app_context():
        public_ids = seed_calls(app, args.calls)
        slug = seed_form(app)
    script = work / "signed.lua"
    script.write_text(WRK_SCRIPT)
    if not args.skip_webhooks:
        bench_webhooks(args, wrk, work, url, port, bare_port, settings, app, public_ids, script)
    bench_form(args, wrk, work, url, script, app, slug)
    with app.app_context():
        db.drop_all()


def bench_webhooks(args, wrk, work, url, port, bare_port, settings, app, public_ids, script) -> None:
    """Each webhook against the bare route, in alternating rounds."""
    base = f"http://127.0.0.1:{port}"
    hooks = webhook_requests(public_ids)
    statements = statements_per_request(settings, public_ids, hooks)
    cpu = cpu_per_request(settings, hooks)
    files = {}
    for name, reqs in hooks.items():
        files[name] = work / f"{name}.tsv"
        files[name].write_text(signed_lines(base, reqs))
    (work / "bare.py").write_text(BARE_APP)
    files["bare"] = work / "bare.tsv"
    files["bare"].write_text(
        signed_lines(f"http://127.0.0.1:{bare_port}", [("/twilio/bare", {"CallSid": "CA" + "0" * 32})])
    )
    server, app_boot = serve(port, served_env(url, base), args.threads)
    bare, bare_boot = serve(bare_port, {**os.environ}, args.threads, target="bare:app", cwd=work)
    results: dict[str, list[dict]] = {name: [] for name in ["bare", *hooks]}
    served = 0
    try:
        for _ in range(args.rounds):
            for name in hooks:
                results["bare"].append(
                    run_wrk(wrk, f"http://127.0.0.1:{bare_port}", "/twilio/bare", files["bare"], script, args.seconds)
                )
                with app.app_context():
                    put_back(name)
                results[name].append(run_wrk(wrk, base, hooks[name][0][0], files[name], script, args.seconds))
                served += results[name][-1]["requests"]
        memory = worker_memory_mb(server.pid)
    finally:
        for process in (server, bare):
            process.terminate()
            process.wait(timeout=10)
    bare_rps = statistics.median(r["rps"] for r in results["bare"])
    print(
        f"database: {url.split(':')[0]}; gunicorn 2 workers x {args.threads} threads; "
        f"wrk 1 thread, {CONNECTIONS} connections;"
    )
    print(
        f"{args.rounds} alternating rounds of {args.seconds} s; {args.calls} calls, "
        "each call's first request does the real work"
    )
    print(
        f"{'endpoint':10} {'req/s':>8} {'x bare':>7} {'p50 ms':>7} {'p99 ms':>7} {'SQL/req':>8} {'errors':>7}"
        f" {'CPU ms':>7} {'x bare':>7}"
    )
    for name, rounds in results.items():
        rps = statistics.median(r["rps"] for r in rounds)
        p50 = statistics.median(r["p50"] for r in rounds)
        p99 = statistics.median(r["p99"] for r in rounds)
        errors = sum(r["errors"] for r in rounds)
        sql = f"{statements[name]:.1f}" if name in statements else "-"
        print(
            f"{name:10} {rps:8.0f} {rps / bare_rps:7.2f} {p50:7.1f} {p99:7.1f} {sql:>8} {errors:7d}"
            f" {cpu[name]:7.2f} {cpu['bare'] / cpu[name]:7.2f}"
        )
    print("CPU ms: in-process, without HTTP (the test client), fastest of 3 rounds; its x bare is the CPU ratio")
    print(f"boot to first answer: app {app_boot:.2f} s, bare route {bare_boot:.2f} s")
    print(
        f"worker memory after {served} webhooks (RSS / PSS / USS): "
        + ", ".join(f"{rss:.0f} / {pss:.0f} / {uss:.0f} MB" for rss, pss, uss in memory)
    )


if __name__ == "__main__":
    main()
