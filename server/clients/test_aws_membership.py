"""boto3 and the AWS CLI against org-handshake-server's membership operations (botocore's
Organizations model): create → invite → accept → the member is listed and describes its
organization → leave → invited again → accepted → removed → the emptied organization deleted;
ListAccounts pages; every modeled error as botocore's exception class; a kill -9 of a journaled
server after a leave and a create; and the README's quick start, run twice on one server."""

import datetime
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys

import boto3
import pytest
from botocore.config import Config

MANAGEMENT = "111111111111"
MEMBER = "333333333333"
JUAN = "222222222222"
STANDALONE = ["444444444444", "555555555555", "666666666666"]
ORG = "o-exampleorgid"
README = pathlib.Path(__file__).resolve().parents[2] / "README.md"


def client(server, key):
    return boto3.client(
        "organizations",
        endpoint_url=server.url,
        region_name="us-east-1",
        aws_access_key_id=key,
        aws_secret_access_key="not-checked",
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )


def invite(org, account):
    return org.invite_account_to_organization(Target={"Id": account, "Type": "ACCOUNT"})["Handshake"]


def server_time(server):
    return datetime.datetime.fromisoformat(server.now().replace("Z", "+00:00"))


def joined(org, account):
    """Accepts nothing: the account's (JoinedMethod, JoinedTimestamp) as ListAccounts and
    DescribeAccount give them, checked to agree."""
    listed = {a["Id"]: a for a in org.list_accounts()["Accounts"]}[account]
    described = org.describe_account(AccountId=account)["Account"]
    assert (listed["JoinedMethod"], listed["JoinedTimestamp"]) == (described["JoinedMethod"], described["JoinedTimestamp"])
    assert described["Arn"] == f"arn:aws:organizations::{MANAGEMENT}:account/{ORG}/{account}"
    assert described["Status"] == "ACTIVE"
    return described["JoinedMethod"], described["JoinedTimestamp"]


def accept_timed(server, who, handshake_id):
    """Accepts and answers the server's clock just before and just after (widened by a second
    each way: the clock control may answer whole seconds)."""
    before = server_time(server)
    who.accept_handshake(HandshakeId=handshake_id)
    second = datetime.timedelta(seconds=1)
    return before - second, server_time(server) + second


def journaled(server):
    """The operations of the server's journal, in order."""
    return [line["operation"] for line in server.journal_lines()] if server.journal.exists() else []


def test_the_membership_round_trip(server):
    org, juan = client(server, MANAGEMENT), client(server, JUAN)
    with pytest.raises(juan.exceptions.AWSOrganizationsNotInUseException):
        juan.describe_organization()
    organization = org.describe_organization()["Organization"]
    assert (organization["Id"], organization["MasterAccountId"]) == (ORG, MANAGEMENT)
    assert organization["Arn"] == f"arn:aws:organizations::{MANAGEMENT}:organization/{ORG}"
    assert organization["MasterAccountArn"] == f"arn:aws:organizations::{MANAGEMENT}:account/{ORG}/{MANAGEMENT}"
    assert [a["Id"] for a in org.list_accounts()["Accounts"]] == [MANAGEMENT, MEMBER]
    assert joined(org, MANAGEMENT)[0] == "CREATED"

    before, after = accept_timed(server, juan, invite(org, JUAN)["Id"])
    method, first_join = joined(org, JUAN)
    assert method == "INVITED" and before <= first_join <= after
    assert juan.describe_organization()["Organization"]["Id"] == ORG
    assert {a["Id"] for a in org.list_accounts()["Accounts"]} == {MANAGEMENT, MEMBER, JUAN}

    juan.leave_organization()
    with pytest.raises(juan.exceptions.AWSOrganizationsNotInUseException):
        juan.describe_organization()
    with pytest.raises(org.exceptions.AccountNotFoundException):
        org.describe_account(AccountId=JUAN)

    server.advance_days(1)
    before, after = accept_timed(server, juan, invite(org, JUAN)["Id"])
    method, second_join = joined(org, JUAN)
    assert method == "INVITED" and before <= second_join <= after
    assert second_join - first_join >= datetime.timedelta(days=1)

    org.remove_account_from_organization(AccountId=JUAN)
    org.remove_account_from_organization(AccountId=MEMBER)
    assert [a["Id"] for a in org.list_accounts()["Accounts"]] == [MANAGEMENT]
    with pytest.raises(juan.exceptions.AWSOrganizationsNotInUseException):
        juan.describe_organization()
    org.delete_organization()
    with pytest.raises(org.exceptions.AWSOrganizationsNotInUseException):
        org.describe_organization()

    # Standalone again, each may create an organization of its own.
    created = juan.create_organization(FeatureSet="CONSOLIDATED_BILLING")["Organization"]
    assert (created["MasterAccountId"], created["FeatureSet"]) == (JUAN, "CONSOLIDATED_BILLING")
    assert re.fullmatch(r"o-[a-z0-9]{10,32}", created["Id"])
    assert juan.describe_organization()["Organization"]["Id"] == created["Id"]
    (only,) = juan.list_accounts()["Accounts"]
    assert (only["Id"], only["JoinedMethod"]) == (JUAN, "CREATED")
    mine = org.create_organization()["Organization"]
    assert mine["FeatureSet"] == "ALL" and mine["Id"] not in (ORG, created["Id"])


def test_list_accounts_pages(server):
    org = client(server, MANAGEMENT)
    for account in [JUAN, *STANDALONE]:
        client(server, account).accept_handshake(HandshakeId=invite(org, account)["Id"])
    everyone = {MANAGEMENT, MEMBER, JUAN, *STANDALONE}
    pages = list(org.get_paginator("list_accounts").paginate(PaginationConfig={"PageSize": 2}))
    assert [len(p["Accounts"]) for p in pages] == [2, 2, 2]
    assert "NextToken" not in pages[-1] and all("NextToken" in p for p in pages[:-1])
    seen = [a["Id"] for p in pages for a in p["Accounts"]]
    assert len(seen) == len(everyone) and set(seen) == everyone
    one_page = org.list_accounts(MaxResults=20)
    assert [a["Id"] for a in one_page["Accounts"]] == seen and "NextToken" not in one_page
    with pytest.raises(org.exceptions.InvalidInputException) as err:
        org.list_accounts(NextToken="a-token-nobody-issued")
    assert err.value.response["Reason"] == "INVALID_NEXT_TOKEN"


def test_every_modeled_error(server):
    org, member, juan = client(server, MANAGEMENT), client(server, MEMBER), client(server, JUAN)
    calls_needing_an_organization = [
        lambda c: c.describe_organization(),
        lambda c: c.list_accounts(),
        lambda c: c.describe_account(AccountId=MANAGEMENT),
        lambda c: c.leave_organization(),
        lambda c: c.remove_account_from_organization(AccountId=MEMBER),
        lambda c: c.delete_organization(),
    ]
    for call in calls_needing_an_organization:
        with pytest.raises(juan.exceptions.AWSOrganizationsNotInUseException) as err:
            call(juan)
        assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    for account in (org, member):
        with pytest.raises(org.exceptions.AlreadyInOrganizationException) as err:
            account.create_organization()
        assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    with pytest.raises(org.exceptions.OrganizationNotEmptyException) as err:
        org.delete_organization()
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    with pytest.raises(org.exceptions.MasterCannotLeaveOrganizationException):
        org.leave_organization()
    with pytest.raises(org.exceptions.MasterCannotLeaveOrganizationException):
        org.remove_account_from_organization(AccountId=MANAGEMENT)
    for account in (JUAN, "999999999999"):
        with pytest.raises(org.exceptions.AccountNotFoundException) as err:
            org.describe_account(AccountId=account)
        assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
        with pytest.raises(org.exceptions.AccountNotFoundException):
            org.remove_account_from_organization(AccountId=account)
    for call in (
        lambda: member.list_accounts(),
        lambda: member.describe_account(AccountId=MANAGEMENT),
        lambda: member.remove_account_from_organization(AccountId=MANAGEMENT),
        lambda: member.delete_organization(),
    ):
        with pytest.raises(member.exceptions.AccessDeniedException) as err:
            call()
        assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    # botocore validates AccountId's pattern itself only when asked to; a bad one reaches the server.
    with pytest.raises(org.exceptions.InvalidInputException) as err:
        org.describe_account(AccountId="12345")
    assert err.value.response["Reason"] == "INVALID_PATTERN"
    # Every refusal changed nothing.
    assert [a["Id"] for a in org.list_accounts()["Accounts"]] == [MANAGEMENT, MEMBER]
    assert member.describe_organization()["Organization"]["Id"] == ORG
    assert journaled(server) == []


def test_a_leave_and_a_create_survive_kill_9(start_server):
    server = start_server(seed=7)  # a seeded id stream: the restart must go on past the ids drawn
    org, member = client(server, MANAGEMENT), client(server, MEMBER)
    member.leave_organization()
    created = member.create_organization()["Organization"]
    server.kill9()
    server.restart()
    org, member = client(server, MANAGEMENT), client(server, MEMBER)
    assert member.describe_organization()["Organization"]["Id"] == created["Id"]
    assert [a["Id"] for a in member.list_accounts()["Accounts"]] == [MEMBER]
    assert [a["Id"] for a in org.list_accounts()["Accounts"]] == [MANAGEMENT]
    assert journaled(server) == ["LeaveOrganization", "CreateOrganization"]
    # And the restarted server goes on from there, with ids it has not given before.
    other = client(server, STANDALONE[0]).create_organization()["Organization"]
    assert other["Id"] != created["Id"]
    handshake = invite(member, JUAN)
    client(server, JUAN).accept_handshake(HandshakeId=handshake["Id"])
    assert {a["Id"] for a in member.list_accounts()["Accounts"]} == {MEMBER, JUAN}


def aws_cli(server, key, *args):
    aws = shutil.which("aws", path=os.path.dirname(sys.executable))
    assert aws, "the AWS CLI (awscli, pinned in requirements.txt) is not installed beside this Python"
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": key,
        "AWS_SECRET_ACCESS_KEY": "not-checked",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_MAX_ATTEMPTS": "1",
        "AWS_PAGER": "",
    }
    return subprocess.run(
        [aws, "organizations", *args, "--endpoint-url", server.url, "--output", "json"],
        env=env, capture_output=True, text=True, timeout=120,
    )


def test_the_aws_cli(server):
    described = aws_cli(server, MANAGEMENT, "describe-organization")
    assert described.returncode == 0, described.stderr
    assert json.loads(described.stdout)["Organization"]["Id"] == ORG
    listed = aws_cli(server, MANAGEMENT, "list-accounts")
    assert listed.returncode == 0, listed.stderr
    assert [a["Id"] for a in json.loads(listed.stdout)["Accounts"]] == [MANAGEMENT, MEMBER]
    account = aws_cli(server, MANAGEMENT, "describe-account", "--account-id", MEMBER)
    assert json.loads(account.stdout)["Account"]["JoinedMethod"] == "INVITED"
    refused = aws_cli(server, JUAN, "describe-organization")
    assert refused.returncode != 0 and "AWSOrganizationsNotInUseException" in refused.stderr
    left = aws_cli(server, MEMBER, "leave-organization")
    assert left.returncode == 0, left.stderr
    created = aws_cli(server, MEMBER, "create-organization", "--feature-set", "ALL")
    assert created.returncode == 0, created.stderr
    org_id = json.loads(created.stdout)["Organization"]["Id"]
    deleted = aws_cli(server, MEMBER, "delete-organization")
    assert deleted.returncode == 0, deleted.stderr
    gone = aws_cli(server, MEMBER, "describe-organization")
    assert gone.returncode != 0 and "AWSOrganizationsNotInUseException" in gone.stderr
    handshake = json.loads(
        aws_cli(server, MANAGEMENT, "invite-account-to-organization", "--target", f"Id={MEMBER},Type=ACCOUNT").stdout
    )["Handshake"]
    assert aws_cli(server, MEMBER, "accept-handshake", "--handshake-id", handshake["Id"]).returncode == 0
    removed = aws_cli(server, MANAGEMENT, "remove-account-from-organization", "--account-id", MEMBER)
    assert removed.returncode == 0, removed.stderr
    assert org_id != ORG


def quick_start():
    """The README's quick start: the python block after the `quick-start` marker."""
    text = README.read_text()
    match = re.search(r"<!-- quick-start -->\s*```python\n(.*?)```", text, re.S)
    assert match, "README.md has no quick start block after <!-- quick-start -->"
    return match.group(1)


def test_the_readme_quick_start_runs_twice_on_one_server(server):
    code = quick_start()
    assert "http://127.0.0.1:4566" in code
    code = code.replace("http://127.0.0.1:4566", server.url)
    outputs = []
    for _ in range(2):
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        outputs.append(run.stdout)
    for output in outputs:
        assert f"{JUAN} INVITED" in output and f"{MANAGEMENT} CREATED" in output
        assert ORG in output
    # The snippet leaves at its end; after a reset it runs from the starting world too.
    server.reset()
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    org = client(server, MANAGEMENT)
    assert [a["Id"] for a in org.list_accounts()["Accounts"]] == [MANAGEMENT, MEMBER]
