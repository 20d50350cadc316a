#!/usr/bin/env python3
"""Simulated editors for bench/instances.sh (not a test).

    bench/editors.py BASE_URL [BASE_URL ...] --editors N --seconds S

Each simulated editor logs in once, then repeats a whole editing task as fast as the portal answers:
create an article, open its editor, autosave three times (as htmx does, with the revision each save
returns), and submit it for review. Editors are spread over the given base URLs in turn (pass one URL
per instance, or one load balancer URL). Prints one JSON line: tasks completed, tasks/s, requests,
failures, and request latency percentiles in ms.
"""
import argparse
import http.cookiejar
import json
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

EMAIL = "editor@contentportal.test"
PASSWORD = "Portal-demo-2026!"
TOKEN = re.compile(r'name="__RequestVerificationToken"[^>]*value="([^"]+)"')
REVISION = re.compile(r'name="Input\.Revision"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="Input\.Revision"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Editor:
    def __init__(self, base, stats):
        self.base = base.rstrip("/")
        self.stats = stats
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())

    def request(self, method, path, fields=None, headers=None):
        data = urllib.parse.urlencode(fields).encode() if fields is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers or {})
        started = time.perf_counter()
        try:
            with self.opener.open(req, timeout=60) as response:
                status, body, location = response.status, response.read().decode("utf-8", "replace"), response.headers.get("Location")
        except urllib.error.HTTPError as error:
            status, body, location = error.code, error.read().decode("utf-8", "replace"), error.headers.get("Location")
        self.stats.record((time.perf_counter() - started) * 1000, status)
        return status, body, location

    def token(self, html):
        match = TOKEN.search(html)
        if not match:
            raise RuntimeError("no antiforgery token on the page")
        return match.group(1)

    def login(self, email=EMAIL):
        _, page, _ = self.request("GET", "/Account/Login")
        status, _, _ = self.request("POST", "/Account/Login", {
            "Input.Email": email, "Input.Password": PASSWORD, "__RequestVerificationToken": self.token(page)})
        if status != 302:
            raise RuntimeError(f"login answered {status}")

    def task(self):
        _, page, _ = self.request("GET", "/Content/Create")
        slug = "bench-" + uuid.uuid4().hex[:20]
        status, _, location = self.request("POST", "/Content/Create", {
            "Input.Kind": "Article", "Input.Title": "Bench " + slug, "Input.Slug": slug,
            "__RequestVerificationToken": self.token(page)})
        if status != 302 or not location or "/Content/Edit/" not in location:
            raise RuntimeError(f"create answered {status}")
        edit_path = urllib.parse.urlparse(location).path
        doc_id = edit_path.rsplit("/", 1)[-1]
        _, page, _ = self.request("GET", edit_path)
        token = self.token(page)
        match = REVISION.search(page)
        revision = next(g for g in match.groups() if g) if match else "0"
        for i in range(3):
            fields = {"Input.Revision": revision, "Input.Title": "Bench " + slug, "Input.Summary": "A summary.",
                      "Input.Body": f"Paragraph {i}. Lower back pain that wakes you at night.\n", "Input.References": "",
                      "Input.ChangeNote": "Bench"}
            status, body, _ = self.request("POST", f"/Content/Edit/{doc_id}?handler=Autosave", fields,
                                           {"HX-Request": "true", "RequestVerificationToken": token})
            if status != 200:
                raise RuntimeError(f"autosave answered {status}")
            match = REVISION.search(body)
            revision = next(g for g in match.groups() if g) if match else revision
        fields["Input.Revision"] = revision
        fields["__RequestVerificationToken"] = token
        status, _, _ = self.request("POST", f"/Content/Edit/{doc_id}?handler=Submit", fields)
        if status != 302:
            raise RuntimeError(f"submit answered {status}")


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies, self.failures, self.tasks, self.errors = [], 0, 0, []

    def record(self, ms, status):
        with self.lock:
            self.latencies.append(ms)
            if status >= 500:
                self.failures += 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bases", nargs="+")
    parser.add_argument("--editors", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    stats = Stats()
    deadline = time.time() + args.seconds

    def run(index):
        editor = Editor(args.bases[index % len(args.bases)], stats)
        try:
            editor.login()
            while time.time() < deadline:
                editor.task()
                with stats.lock:
                    stats.tasks += 1
        except Exception as error:  # a failed task ends this editor; it is reported, not hidden
            with stats.lock:
                stats.errors.append(str(error))

    started = time.time()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(args.editors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.time() - started
    latencies = sorted(stats.latencies) or [0]
    pct = lambda p: round(latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))], 1)
    print(json.dumps({"editors": args.editors, "seconds": round(elapsed, 1), "tasks": stats.tasks,
                      "tasksPerSecond": round(stats.tasks / elapsed, 2), "requests": len(stats.latencies),
                      "serverErrors": stats.failures, "editorErrors": stats.errors[:3],
                      "p50ms": pct(50), "p95ms": pct(95), "p99ms": pct(99)}))


if __name__ == "__main__":
    main()
