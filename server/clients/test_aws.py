"""boto3 (botocore's Organizations model) against org-handshake-server: every handshake
operation, errors as botocore's modeled exception classes, the paginators, expiry and
retention through the time control, and enable-all-features end to end."""

import boto3
import pytest
from botocore.config import Config

MANAGEMENT = "111111111111"
MEMBER = "333333333333"
JUAN = "222222222222"
STANDALONE = ["444444444444", "555555555555", "666666666666"]


def client(server, key):
    return boto3.client(
        "organizations",
        endpoint_url=server.url,
        region_name="us-east-1",
        aws_access_key_id=key,
        aws_secret_access_key="not-checked",
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )


def invite(org, account, notes=None):
    args = {"Target": {"Id": account, "Type": "ACCOUNT"}}
    if notes is not None:
        args["Notes"] = notes
    return org.invite_account_to_organization(**args)["Handshake"]


def test_invite_describe_accept_and_list(server):
    org, juan = client(server, MANAGEMENT), client(server, JUAN)
    handshake = invite(org, JUAN, "welcome")
    assert handshake["State"] == "OPEN"
    assert handshake["Action"] == "INVITE"
    assert handshake["Parties"] == [
        {"Id": "o-exampleorgid", "Type": "ORGANIZATION"},
        {"Id": JUAN, "Type": "ACCOUNT"},
    ]
    assert handshake["ExpirationTimestamp"] > handshake["RequestedTimestamp"]
    seen = juan.describe_handshake(HandshakeId=handshake["Id"])["Handshake"]
    assert seen["Id"] == handshake["Id"] and seen["State"] == "OPEN"
    assert {"Type": "NOTES", "Value": "welcome"} in seen["Resources"]
    received = juan.list_handshakes_for_account()["Handshakes"]
    assert [h["Id"] for h in received] == [handshake["Id"]]
    accepted = juan.accept_handshake(HandshakeId=handshake["Id"])
    assert accepted["Handshake"]["State"] == "ACCEPTED"
    assert accepted["ResponseMetadata"]["RequestId"]
    sent = org.list_handshakes_for_organization()["Handshakes"]
    assert [(h["Id"], h["State"]) for h in sent] == [(handshake["Id"], "ACCEPTED")]
    # Juan is a member now: inviting him again is a constraint violation.
    with pytest.raises(org.exceptions.HandshakeConstraintViolationException) as err:
        invite(org, JUAN)
    assert err.value.response["Reason"] == "ALREADY_IN_AN_ORGANIZATION"


def test_decline_and_cancel(server):
    org = client(server, MANAGEMENT)
    first, second = STANDALONE[0], STANDALONE[1]
    declined = client(server, first).decline_handshake(HandshakeId=invite(org, first)["Id"])
    assert declined["Handshake"]["State"] == "DECLINED"
    to_cancel = invite(org, second)
    canceled = org.cancel_handshake(HandshakeId=to_cancel["Id"])
    assert canceled["Handshake"]["State"] == "CANCELED"
    with pytest.raises(org.exceptions.HandshakeAlreadyInStateException):
        org.cancel_handshake(HandshakeId=to_cancel["Id"])
    with pytest.raises(org.exceptions.InvalidHandshakeTransitionException):
        client(server, second).accept_handshake(HandshakeId=to_cancel["Id"])


def test_errors_are_botocores_modeled_exceptions_with_the_error_type_header(server):
    org, juan = client(server, MANAGEMENT), client(server, JUAN)
    with pytest.raises(org.exceptions.HandshakeNotFoundException) as err:
        org.describe_handshake(HandshakeId="h-0123456789abcdef")
    response = err.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert response["ResponseMetadata"]["HTTPHeaders"]["x-amzn-errortype"] == "HandshakeNotFoundException"
    assert response["ResponseMetadata"]["RequestId"]
    with pytest.raises(org.exceptions.InvalidInputException) as err:
        org.describe_handshake(HandshakeId="h-NOT-VALID")
    assert err.value.response["Reason"] == "INVALID_PATTERN"
    handshake = invite(org, JUAN)
    with pytest.raises(org.exceptions.DuplicateHandshakeException):
        invite(org, JUAN)
    # The sender cannot accept its own invitation; a stranger cannot see it.
    with pytest.raises(org.exceptions.AccessDeniedException):
        org.accept_handshake(HandshakeId=handshake["Id"])
    with pytest.raises(org.exceptions.HandshakeNotFoundException):
        client(server, STANDALONE[0]).describe_handshake(HandshakeId=handshake["Id"])
    # Management-only operations.
    with pytest.raises(juan.exceptions.AWSOrganizationsNotInUseException):
        juan.list_handshakes_for_organization()
    with pytest.raises(org.exceptions.AccessDeniedException):
        client(server, MEMBER).list_handshakes_for_organization()
    with pytest.raises(org.exceptions.AccessDeniedException):
        client(server, MEMBER).invite_account_to_organization(Target={"Id": JUAN, "Type": "ACCOUNT"})


def test_a_key_that_is_not_an_account_acts_as_the_management_account(server):
    anyone = client(server, "AKIAIOSFODNN7EXAMPLE")
    handshake = invite(anyone, JUAN)
    assert handshake["Arn"].startswith(f"arn:aws:organizations::{MANAGEMENT}:")


def test_paginators_walk_every_page(server):
    org = client(server, MANAGEMENT)
    ids = {invite(org, account)["Id"] for account in [JUAN, *STANDALONE]}
    pages = list(
        org.get_paginator("list_handshakes_for_organization").paginate(PaginationConfig={"PageSize": 1})
    )
    assert len(pages) == 4
    assert {h["Id"] for page in pages for h in page["Handshakes"]} == ids
    assert all(len(page["Handshakes"]) == 1 for page in pages)
    assert "NextToken" not in pages[-1]
    juan_pages = list(client(server, JUAN).get_paginator("list_handshakes_for_account").paginate())
    assert sum(len(p["Handshakes"]) for p in juan_pages) == 1
    filtered = org.list_handshakes_for_organization(Filter={"ActionType": "ENABLE_ALL_FEATURES"})
    assert filtered["Handshakes"] == []


def test_expiry_and_retention_through_the_time_control(server):
    org, juan = client(server, MANAGEMENT), client(server, JUAN)
    expiring = invite(org, JUAN)
    accepted_elsewhere = invite(org, STANDALONE[0])
    client(server, STANDALONE[0]).accept_handshake(HandshakeId=accepted_elsewhere["Id"])
    server.advance_days(16)  # past the 15-day validity
    assert juan.describe_handshake(HandshakeId=expiring["Id"])["Handshake"]["State"] == "EXPIRED"
    with pytest.raises(juan.exceptions.InvalidHandshakeTransitionException):
        juan.accept_handshake(HandshakeId=expiring["Id"])
    server.advance_days(31)  # past 30 days of retention for both
    for handshake in (expiring, accepted_elsewhere):
        with pytest.raises(org.exceptions.HandshakeNotFoundException):
            org.describe_handshake(HandshakeId=handshake["Id"])
    assert org.list_handshakes_for_organization()["Handshakes"] == []
    # Juan may be invited anew.
    assert invite(org, JUAN)["State"] == "OPEN"


CONSOLIDATED = {
    "aws": {
        "organizations": [
            {
                "id": "o-exampleorgid",
                "management_account": {"id": MANAGEMENT, "name": "Org Master Account", "email": "bill@amazon.com"},
                "feature_set": "CONSOLIDATED_BILLING",
                "members": [MEMBER, "777777777777"],
            }
        ],
        "accounts": [
            {"id": MEMBER, "name": "anika", "email": "anika@example.com"},
            {"id": "777777777777", "name": "ravi", "email": "ravi@example.com"},
            {"id": JUAN, "name": "juan", "email": "juan@example.com"},
        ],
    }
}


def test_enable_all_features_end_to_end(start_server):
    server = start_server(world=CONSOLIDATED)
    org = client(server, MANAGEMENT)
    pending_invite = invite(org, JUAN)
    parent = org.enable_all_features()["Handshake"]
    assert parent["Action"] == "ENABLE_ALL_FEATURES"
    assert parent["State"] == "REQUESTED"
    # Starting the flow cancels pending invitations and refuses new ones.
    assert org.describe_handshake(HandshakeId=pending_invite["Id"])["Handshake"]["State"] == "CANCELED"
    with pytest.raises(org.exceptions.HandshakeConstraintViolationException) as err:
        invite(org, JUAN)
    assert err.value.response["Reason"] == "INVITE_DISABLED_DURING_ENABLE_ALL_FEATURES"
    with pytest.raises(org.exceptions.HandshakeConstraintViolationException) as err:
        org.enable_all_features()
    assert err.value.response["Reason"] == "ORGANIZATION_IS_ALREADY_PENDING_ALL_FEATURES_MIGRATION"
    children = org.list_handshakes_for_organization(Filter={"ParentHandshakeId": parent["Id"]})["Handshakes"]
    assert len(children) == 2
    assert {c["Action"] for c in children} == {"APPROVE_ALL_FEATURES"}
    for member in (MEMBER, "777777777777"):
        mine = client(server, member).list_handshakes_for_account(Filter={"ActionType": "APPROVE_ALL_FEATURES"})
        (child,) = mine["Handshakes"]
        assert child["State"] == "OPEN"
        accepted = client(server, member).accept_handshake(HandshakeId=child["Id"])
        assert accepted["Handshake"]["State"] == "ACCEPTED"
    assert org.describe_handshake(HandshakeId=parent["Id"])["Handshake"]["State"] == "OPEN"
    done = org.accept_handshake(HandshakeId=parent["Id"])["Handshake"]
    assert done["State"] == "ACCEPTED"
    with pytest.raises(org.exceptions.HandshakeConstraintViolationException) as err:
        org.enable_all_features()
    assert err.value.response["Reason"] == "ORGANIZATION_ALREADY_HAS_ALL_FEATURES"
    assert invite(org, JUAN)["State"] == "OPEN"


def test_the_journal_is_the_session(server):
    org, juan = client(server, MANAGEMENT), client(server, JUAN)
    handshake = invite(org, JUAN)
    juan.describe_handshake(HandshakeId=handshake["Id"])  # reads are not journaled
    juan.accept_handshake(HandshakeId=handshake["Id"])
    lines = server.journal_lines()
    assert [(l["provider"], l["operation"], l["caller"]) for l in lines] == [
        ("aws", "InviteAccountToOrganization", MANAGEMENT),
        ("aws", "AcceptHandshake", JUAN),
    ]
    assert lines[0]["new_ids"] == [handshake["Id"]]
    vector = server.vector("aws")
    assert vector["format"] == "org-handshake-vectors/1"
    assert [s["expect"]["body"]["Handshake"]["State"] for s in vector["steps"]] == ["OPEN", "ACCEPTED"]
