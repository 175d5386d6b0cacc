"""boto3 inside mock_organizations, as a user's test suite drives it: the handshake lifecycle,
botocore's modeled exceptions and paginators, time control, and calls of other services left
alone."""

import datetime
import http.server
import socket
import threading

import boto3
import botocore.exceptions
import pytest
from botocore.config import Config

import org_handshake
from org_handshake import mock_organizations

MANAGEMENT = "111111111111"
MEMBER = "333333333333"
JUAN = "222222222222"
STANDALONE = ["444444444444", "555555555555", "666666666666"]
START = datetime.datetime(2026, 1, 5, 10, 0, tzinfo=datetime.timezone.utc)


def client(key=MANAGEMENT):
    """A client whose access key id is an account id: that account calls."""
    return boto3.client(
        "organizations",
        region_name="us-east-1",
        aws_access_key_id=key,
        aws_secret_access_key="not-checked",
        config=Config(retries={"max_attempts": 1}),
    )


def invite(org, account, notes=None):
    args = {"Target": {"Id": account, "Type": "ACCOUNT"}}
    if notes is not None:
        args["Notes"] = notes
    return org.invite_account_to_organization(**args)["Handshake"]


@pytest.fixture(autouse=True)
def connections(monkeypatch):
    """The addresses every test here connects to (checked to be none but a stub's)."""
    opened = []
    connect = socket.socket.connect

    def recording(self, address):
        opened.append(address)
        return connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", recording)
    yield opened


@pytest.fixture
def sts_stub():
    """A stand-in STS endpoint on a loopback port: answers GetCallerIdentity."""
    body = (
        b'<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
        b"<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/stub</Arn>"
        b"<UserId>STUB</UserId><Account>123456789012</Account></GetCallerIdentityResult>"
        b"<ResponseMetadata><RequestId>stub-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>"
    )

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", server.server_port
    server.shutdown()
    server.server_close()


def test_invite_accept_and_list():
    with mock_organizations(now=START):
        org, juan = client(), client(JUAN)
        handshake = invite(org, JUAN, "welcome")
        assert handshake["State"] == "OPEN"
        assert handshake["Parties"] == [
            {"Id": "o-exampleorgid", "Type": "ORGANIZATION"},
            {"Id": JUAN, "Type": "ACCOUNT"},
        ]
        # botocore parsed the timestamps: the request is at the mock's clock, 15 days to run.
        assert handshake["RequestedTimestamp"] == START
        assert handshake["ExpirationTimestamp"] - START == datetime.timedelta(days=15)
        seen = juan.describe_handshake(HandshakeId=handshake["Id"])["Handshake"]
        assert {"Type": "NOTES", "Value": "welcome"} in seen["Resources"]
        assert [h["Id"] for h in juan.list_handshakes_for_account()["Handshakes"]] == [handshake["Id"]]
        accepted = juan.accept_handshake(HandshakeId=handshake["Id"])["Handshake"]
        assert accepted["State"] == "ACCEPTED"
        sent = org.list_handshakes_for_organization()["Handshakes"]
        assert [(h["Id"], h["State"]) for h in sent] == [(handshake["Id"], "ACCEPTED")]
        with pytest.raises(org.exceptions.HandshakeConstraintViolationException) as err:
            invite(org, JUAN)
        assert err.value.response["Reason"] == "ALREADY_IN_AN_ORGANIZATION"


def test_decline_and_cancel_with_modeled_exceptions():
    with mock_organizations(now=START):
        org = client()
        declined = client(STANDALONE[0]).decline_handshake(HandshakeId=invite(org, STANDALONE[0])["Id"])
        assert declined["Handshake"]["State"] == "DECLINED"
        to_cancel = invite(org, STANDALONE[1])
        assert org.cancel_handshake(HandshakeId=to_cancel["Id"])["Handshake"]["State"] == "CANCELED"
        with pytest.raises(org.exceptions.HandshakeAlreadyInStateException):
            org.cancel_handshake(HandshakeId=to_cancel["Id"])
        with pytest.raises(org.exceptions.InvalidHandshakeTransitionException):
            client(STANDALONE[1]).accept_handshake(HandshakeId=to_cancel["Id"])
        with pytest.raises(org.exceptions.HandshakeNotFoundException) as err:
            org.describe_handshake(HandshakeId="h-0123456789abcdef")
        assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
        with pytest.raises(org.exceptions.InvalidInputException) as err:
            org.describe_handshake(HandshakeId="h-NOT-VALID")
        assert err.value.response["Reason"] == "INVALID_PATTERN"
        with pytest.raises(org.exceptions.AccessDeniedException):
            client(MEMBER).list_handshakes_for_organization()


def test_expiry_and_retention_by_advancing_the_clock():
    with mock_organizations(now=START) as mock:
        org, juan = client(), client(JUAN)
        expiring = invite(org, JUAN)
        accepted = invite(org, STANDALONE[0])
        client(STANDALONE[0]).accept_handshake(HandshakeId=accepted["Id"])
        mock.advance(days=14)
        assert juan.describe_handshake(HandshakeId=expiring["Id"])["Handshake"]["State"] == "OPEN"
        assert mock.advance(days=2) == START + datetime.timedelta(days=16)
        assert juan.describe_handshake(HandshakeId=expiring["Id"])["Handshake"]["State"] == "EXPIRED"
        with pytest.raises(juan.exceptions.InvalidHandshakeTransitionException):
            juan.accept_handshake(HandshakeId=expiring["Id"])
        mock.advance(days=31)  # past the 30 days a closed handshake stays visible
        for handshake in (expiring, accepted):
            with pytest.raises(org.exceptions.HandshakeNotFoundException):
                org.describe_handshake(HandshakeId=handshake["Id"])
        assert org.list_handshakes_for_organization()["Handshakes"] == []
        assert invite(org, JUAN)["State"] == "OPEN"


def test_paginators_walk_every_page():
    with mock_organizations(now=START):
        org = client()
        ids = {invite(org, account)["Id"] for account in [JUAN, *STANDALONE]}
        pages = list(org.get_paginator("list_handshakes_for_organization").paginate(PaginationConfig={"PageSize": 1}))
        assert len(pages) == 4
        assert {h["Id"] for page in pages for h in page["Handshakes"]} == ids
        assert "NextToken" not in pages[-1]


def test_a_key_that_is_no_account_calls_as_the_management_account():
    # The mock's own test credentials (no key set in the environment) or any non-account key.
    with mock_organizations(now=START):
        handshake = invite(client("AKIAIOSFODNN7EXAMPLE"), JUAN)
        assert handshake["Arn"].startswith(f"arn:aws:organizations::{MANAGEMENT}:")


def test_as_a_decorator_each_call_starts_from_the_world():
    @mock_organizations(now=START)
    def invite_juan():
        return invite(client(), JUAN)["State"]

    assert invite_juan() == "OPEN"
    assert invite_juan() == "OPEN"  # a second invitation would be a duplicate in one session


def test_a_given_world():
    world = {
        "organizations": [{"id": "o-abcdefghij", "management_account": {"id": "999999999999", "name": "boss"}}],
        "accounts": [{"id": "888888888888", "name": "new"}],
    }
    with mock_organizations(world=world, now=START):
        handshake = invite(client("999999999999"), "888888888888")
        assert handshake["Parties"][0] == {"Id": "o-abcdefghij", "Type": "ORGANIZATION"}
        # The default world's management account is no one's here.
        with pytest.raises(botocore.exceptions.ClientError) as err:
            client(MANAGEMENT).list_handshakes_for_organization()
        assert err.value.response["Error"]["Code"] == "AWSOrganizationsNotInUseException"


def test_the_session_as_a_vector():
    with mock_organizations(now=START, seed=7) as mock:
        org, juan = client(), client(JUAN)
        handshake = invite(org, JUAN)
        juan.describe_handshake(HandshakeId=handshake["Id"])  # reads change nothing: no step
        juan.accept_handshake(HandshakeId=handshake["Id"])
        vector = mock.vector()
    assert vector["format"] == org_handshake.VECTOR_FORMAT
    assert vector["world"] == org_handshake.default_world("aws")
    assert [(s["operation"], s["caller"]) for s in vector["steps"]] == [
        ("InviteAccountToOrganization", MANAGEMENT),
        ("AcceptHandshake", JUAN),
    ]
    assert vector["steps"][0]["new_ids"] == [handshake["Id"]]
    assert vector["steps"][1]["expect"]["body"]["Handshake"]["State"] == "ACCEPTED"
    # The same seed gives the same ids.
    with mock_organizations(now=START, seed=7):
        assert invite(client(), JUAN)["Id"] == handshake["Id"]


def test_other_services_are_not_intercepted(sts_stub, connections):
    """An sts call inside the block goes out through botocore's own sending, to a stub
    endpoint, while the organizations calls around it open no connection."""
    url, port = sts_stub
    with mock_organizations(now=START):
        invite(client(), JUAN)
        assert connections == []
        sts = boto3.client("sts", region_name="us-east-1", endpoint_url=url)
        assert sts.get_caller_identity()["Account"] == "123456789012"
        assert [address[1] for address in connections] == [port]
        client().list_handshakes_for_organization()
    assert len(connections) == 1


def test_after_the_block_organizations_calls_go_out_again(sts_stub, connections):
    url, port = sts_stub
    with mock_organizations(now=START):
        client().list_handshakes_for_organization()
    outside = boto3.client(
        "organizations", region_name="us-east-1", endpoint_url=url, aws_access_key_id="x", aws_secret_access_key="y"
    )
    try:
        outside.list_handshakes_for_organization()
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError):
        pass  # the stub answers every request as STS does: whatever botocore makes of it
    assert [address[1] for address in connections] == [port]


def test_the_environment_is_restored(monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)
    with mock_organizations(now=START):
        assert "AWS_ACCESS_KEY_ID" in __import__("os").environ
    assert "AWS_ACCESS_KEY_ID" not in __import__("os").environ


def test_beside_motos_mock_aws_with_organizations_passed_through():
    # botocore calls every before-send handler: moto must leave organizations alone, as its
    # passthrough setting does, or it answers (or refuses) them too.
    moto = pytest.importorskip("moto")
    passthrough = {"core": {"passthrough": {"services": ["organizations"]}}}
    with moto.mock_aws(config=passthrough), mock_organizations(now=START):
        handshake = invite(client(), JUAN)
        assert client(JUAN).describe_handshake(HandshakeId=handshake["Id"])["Handshake"]["State"] == "OPEN"
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="kept-by-moto")
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["kept-by-moto"]
