#!/usr/bin/env python3
"""How fast a publish reaches every instance, for bench/instances.sh (not a test).

    bench/converge.py PUBLISH_URL INSTANCE_URL [INSTANCE_URL ...] --rounds N

Logs in as the demo publisher on PUBLISH_URL and publishes N times (retiring, then un-retiring, one
document, so each publish is a new snapshot). Around each publish one thread per instance sends
HEAD /api/v1/feed back to back (no body; the ETag names the snapshot) and notes when that instance first
serves the new snapshot. The first instance to serve it does so right after the commit (the publisher
shows it as soon as its transaction commits, and NOTIFY is delivered at the commit), so "spread" (last
instance minus first) is how long the others lagged behind the commit. Prints one JSON line.
"""
import argparse
import json
import re
import statistics
import threading
import time
import urllib.request

from editors import Editor, Stats

PUBLISHER = "publisher@contentportal.test"
SHOWN_PLAN = re.compile(r'name="ShownPlan"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="ShownPlan"')


class Publisher(Editor):
    """The demo publisher, with bench/editors.py's session (cookies, antiforgery tokens, no redirects)."""

    def __init__(self, base):
        super().__init__(base, Stats())

    def toggle_retired(self, document, retire):
        _, page, _ = self.request("GET", "/Publish")
        path = f"/Publish/Retire/{document}" + ("" if retire else "?handler=Unretire")
        status, _, _ = self.request("POST", path, {"__RequestVerificationToken": self.token(page)})
        if status != 302:
            raise RuntimeError(f"{'retire' if retire else 'un-retire'} answered {status}")

    def publish(self, note):
        _, page, _ = self.request("GET", "/Publish")
        match = SHOWN_PLAN.search(page)
        if not match:
            raise RuntimeError("the Publish page offers nothing to publish")
        status, _, _ = self.request("POST", "/Publish", {
            "Note": note, "ShownPlan": next(g for g in match.groups() if g), "__RequestVerificationToken": self.token(page)})
        if status != 302:
            raise RuntimeError(f"publish answered {status}")


def etag(base):
    req = urllib.request.Request(base.rstrip("/") + "/api/v1/feed", method="HEAD")
    with urllib.request.urlopen(req, timeout=30) as response:
        return response.headers.get("ETag")


def watch(base, old, stop, seen, index):
    while not stop.is_set():
        if etag(base) != old:
            seen[index] = time.perf_counter()
            return


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("publish_url")
    parser.add_argument("instances", nargs="+")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()

    with urllib.request.urlopen(args.publish_url.rstrip("/") + "/api/v1/snapshots/1/items?limit=1", timeout=60) as response:
        document = json.load(response)["items"][0]["id"]
    publisher = Publisher(args.publish_url)
    publisher.login(PUBLISHER)
    spreads, after_answer, publish_ms = [], [], []
    for round_number in range(args.rounds):
        old = etag(args.instances[0])
        if any(etag(url) != old for url in args.instances):
            raise RuntimeError("the instances do not serve the same snapshot before the publish")
        publisher.toggle_retired(document, retire=round_number % 2 == 0)
        stop, seen = threading.Event(), [None] * len(args.instances)
        threads = [threading.Thread(target=watch, args=(url, old, stop, seen, i)) for i, url in enumerate(args.instances)]
        for thread in threads:
            thread.start()
        started = time.perf_counter()
        publisher.publish(f"Convergence round {round_number + 1}")
        answered = time.perf_counter()
        for thread in threads:
            thread.join(timeout=30)
        stop.set()
        if None in seen:
            raise RuntimeError(f"round {round_number + 1}: an instance did not serve the new snapshot within 30 s")
        spreads.append((max(seen) - min(seen)) * 1000)
        after_answer.append((max(seen) - answered) * 1000)
        publish_ms.append((answered - started) * 1000)

    def summary(values):
        ordered = sorted(values)
        return {"median": round(statistics.median(ordered), 1), "max": round(ordered[-1], 1)}

    print(json.dumps({
        "rounds": args.rounds,
        "instances": len(args.instances),
        "allServingAfterFirstMs": summary(spreads),
        "allServingAfterPublishAnswerMs": summary(after_answer),
        "publishRequestMs": summary(publish_ms),
    }))


if __name__ == "__main__":
    main()
