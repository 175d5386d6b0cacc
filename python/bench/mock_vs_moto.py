"""1 000 boto3 calls through org_handshake.mock_organizations (DescribeHandshake) beside 1 000
calls through moto's @mock_aws (DescribeOrganization, an Organizations read moto serves), in
one process, one after the other, each after 100 warm-up calls. Prints the median and the total
of each, and the size of the installed native module.

    python bench/mock_vs_moto.py [--calls N] [--wheel PATH]

Needs boto3 and moto installed beside org-handshake.
"""

import argparse
import os
import statistics
import time

import boto3
from moto import mock_aws

import org_handshake
from org_handshake import mock_organizations


def measure(call, calls: int, warmup: int = 100):
    for _ in range(warmup):
        call()
    times = []
    clock = time.perf_counter_ns
    for _ in range(calls):
        start = clock()
        call()
        times.append(clock() - start)
    return times


def org_handshake_run(calls: int):
    with mock_organizations(now="2026-01-05T10:00:00Z"):
        client = boto3.client("organizations", region_name="us-east-1")
        handshake = client.invite_account_to_organization(Target={"Id": "222222222222", "Type": "ACCOUNT"})
        handshake_id = handshake["Handshake"]["Id"]
        return measure(lambda: client.describe_handshake(HandshakeId=handshake_id), calls)


def moto_run(calls: int):
    with mock_aws():
        client = boto3.client("organizations", region_name="us-east-1")
        client.create_organization(FeatureSet="ALL")
        return measure(client.describe_organization, calls)


def report(name, times):
    median = statistics.median(times) / 1000
    total = sum(times) / 1e6
    print(f"{name:<46} median {median:8.1f} µs   total {total:8.1f} ms   ({len(times)} calls)")
    return median


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--wheel", help="a built wheel whose size to report")
    args = parser.parse_args()
    moto_times = moto_run(args.calls)
    ours_times = org_handshake_run(args.calls)
    ours = report("org_handshake.mock_organizations DescribeHandshake", ours_times)
    moto = report("moto @mock_aws DescribeOrganization", moto_times)
    print(f"org_handshake / moto median: {ours / moto:.2f}")
    native = org_handshake._native.__file__
    print(f"native module {os.path.basename(native)}: {os.path.getsize(native) / 1e6:.2f} MB")
    if args.wheel:
        print(f"wheel {os.path.basename(args.wheel)}: {os.path.getsize(args.wheel) / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
