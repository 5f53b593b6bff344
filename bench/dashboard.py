#!/usr/bin/env python3
"""Times the admin pages on a large history: logs in as the admin, then requests each page many
times and prints the median and 95th percentile of the server's answer time (as the client sees
it, full body read). Standard library only. Used by bench/dashboard.sh."""
import argparse
import csv
import io
import http.cookiejar
import re
import statistics
import time
import urllib.parse
import urllib.request


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://localhost:8080")
    parser.add_argument("--password", required=True)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login_page = opener.open(args.url + "/login").read().decode()
    token = re.search(r'name="_csrf" value="([^"]+)"', login_page).group(1)
    form = urllib.parse.urlencode({"username": "admin", "password": args.password, "_csrf": token}).encode()
    landing = opener.open(args.url + "/login", data=form)
    assert "/login" not in landing.geturl(), "login failed"

    pages = [
        ("dashboard, newest first", "/"),
        ("filter status=failed", "/?status=failed"),
        ("filter language=node", "/?language=node"),
        ("filter id contains", "/?q=seed_00500"),
        ("filter date range", "/?from=2000-01-01&to=2999-12-31"),
        ("sort by runtime", "/?sort=runtime&dir=desc"),
        ("page 1000 of 2000", "/?page=1000"),
        ("table only (htmx)", "/?status=completed"),
        ("charts JSON", "/dashboard/metrics.json"),
        ("header counters", "/ui/counters"),
        ("callbacks, 5 000 failed", "/callbacks"),
        ("callbacks, delivered, page 200", "/callbacks?status=delivered&page=200"),
    ]
    print(f"{'page':32} {'p50 ms':>8} {'p95 ms':>8}")
    for name, path in pages:
        headers = {"HX-Request": "true"} if "htmx" in name else {}
        times = []
        for i in range(args.runs + 3):
            request = urllib.request.Request(args.url + path, headers=headers)
            start = time.perf_counter()
            body = opener.open(request).read()
            elapsed = (time.perf_counter() - start) * 1000
            if i >= 3:  # warm-up
                times.append(elapsed)
        times.sort()
        p95 = times[min(len(times) - 1, int(round(0.95 * len(times) + 0.5)) - 1)]
        print(f"{name:32} {statistics.median(times):8.1f} {p95:8.1f}")

    start = time.perf_counter()
    response = opener.open(args.url + "/api/evaluations.csv")
    reader = csv.reader(io.TextIOWrapper(response, encoding="utf-8", newline=""))
    rows = sum(1 for _ in reader) - 1
    print(f"CSV export of the whole history: {rows} rows in {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
