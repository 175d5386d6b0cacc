#!/usr/bin/env python3
"""Builds the seed corpora under fuzz/seeds/ from the documented examples.

Sources: the crate's insta snapshots, and, when a folder is given, the provider documentation
pages saved in it as text (`*.txt`, `*.md`: the API reference pages whose examples the seeds
were first made from) (tests/snapshots/*.snap). Every JSON object found anywhere in a source (nested ones too, so a
response body also gives its bare handshake) becomes one seed of the target its provider belongs
to. vector_replay's seeds are hand-written (fuzz/seeds/vector_replay/), and the conformance
corpus (tests/conformance/<provider>/) is passed to the fuzzer as read-only corpus directories
instead of being copied.

Usage: python3 fuzz/make_seeds.py [DOCS_DIR]   (without it, the snapshots alone; the seeds
already committed stay)
"""

import hashlib
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fuzz" / "seeds"
TARGETS = {"aws": "aws_parse", "huawei": "huawei_parse", "alibaba": "alibaba_parse"}


def docs_dir():
    """The folder of saved documentation pages named on the command line, if any."""
    return pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else None


def objects(text):
    """Every JSON object that starts at some `{` of `text`."""
    decoder = json.JSONDecoder()
    found = []
    for i, ch in enumerate(text):
        if ch != "{":
            continue
        try:
            value, _ = decoder.raw_decode(text, i)
        except ValueError:
            continue
        if isinstance(value, dict) and value:
            found.append(value)
    return found


def providers_of(name):
    name = name.lower()
    hits = [p for p in TARGETS if p in name]
    return hits or list(TARGETS)


def write(target, value):
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha1(text.encode()).hexdigest()[:16]
    folder = SEEDS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{digest}.json").write_text(text)


def main():
    docs = docs_dir()
    sources = []
    if docs is not None:
        sources += [(p.name, p.read_text()) for p in sorted(docs.rglob("*.txt"))]
        sources += [(p.name, p.read_text()) for p in sorted(docs.rglob("*.md"))]
    sources += [
        (p.name, p.read_text().split("\n---\n", 1)[-1])
        for p in sorted((ROOT / "tests" / "snapshots").glob("*.snap"))
        if not p.name.startswith("neutral_")
    ]
    for target in TARGETS.values():
        for old in (SEEDS / target).glob("*.json"):
            old.unlink()
    counts = dict.fromkeys(TARGETS.values(), 0)
    for name, text in sources:
        for value in objects(text):
            for provider in providers_of(name):
                write(TARGETS[provider], value)
                counts[TARGETS[provider]] += 1
    for target in sorted(counts):
        print(target, len(list((SEEDS / target).glob("*.json"))), "seeds")


main()
