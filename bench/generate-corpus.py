#!/usr/bin/env python3
"""Writes a synthetic seed folder (articles/*.md, red-flag-lists/*.json) of N documents for bench/feed.sh.

Generated, never committed: every tenth document is a red-flag list, the rest are articles of about
2.5 KB Markdown with ## sections, bullet lists and links, like the real seed.
usage: generate-corpus.py OUTPUT_DIR COUNT
"""
import json
import os
import random
import sys

out, count = sys.argv[1], int(sys.argv[2])
random.seed(42)
words = ("pain back lower muscle rest doctor treatment spine night sleep posture stretch heat ice "
         "physiotherapy exercise symptom fever weakness nerve disc joint stiffness movement advice").split()


def sentence(n=14):
    text = " ".join(random.choice(words) for _ in range(n))
    return text[0].upper() + text[1:] + "."


os.makedirs(os.path.join(out, "articles"), exist_ok=True)
os.makedirs(os.path.join(out, "red-flag-lists"), exist_ok=True)
for i in range(count):
    slug = f"bench-document-{i:05d}"
    if i % 10 == 9:
        flags = [{"symptom": sentence(6), "advice": sentence(16), "urgency": random.choice(["emergency", "urgent", "routine"])}
                 for _ in range(5)]
        with open(os.path.join(out, "red-flag-lists", slug + ".json"), "w") as f:
            json.dump({"slug": slug, "title": f"Red flags {i}", "summary": sentence(20), "flags": flags}, f)
        continue
    body = [sentence(30), sentence(30), ""]
    for heading in ("Causes", "Treatment", "When to see a doctor"):
        body += [f"## {heading}", "", sentence(40), ""]
        body += [f"- {sentence(6)}" for _ in range(4)] + [""]
        body += [f"See [another article](bench-document-{random.randrange(count):05d}) for more.", ""]
    with open(os.path.join(out, "articles", slug + ".md"), "w") as f:
        f.write(f"---\nslug: {slug}\ntitle: Bench article {i}\nsummary: {sentence(20)}\n---\n" + "\n".join(body))
