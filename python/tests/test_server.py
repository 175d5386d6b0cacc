"""org-handshake-server from the installed package: the console script, the pytest plugin's
session-scoped ``org_handshake_server`` fixture driven by the Huawei and Alibaba SDKs, and the
in-process mock answering a boto3 session exactly as the server does."""

import datetime
import os
import shutil
import subprocess
import sys

import boto3
import botocore
import pytest
from botocore.config import Config

import org_handshake
import org_handshake.server
from org_handshake import mock_organizations

pytest_plugins = ["pytester"]

DAY = 86_400


@pytest.fixture(autouse=True)
def fresh(org_handshake_server):
    """Every test starts from the worlds the session's server started with."""
    org_handshake_server.reset()
    yield org_handshake_server


def test_the_console_script_is_on_path_after_install():
    script = shutil.which("org-handshake-server") or os.path.join(os.path.dirname(sys.executable), "org-handshake-server")
    assert os.access(script, os.X_OK), script
    shown = subprocess.run([script, "--help"], capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert "--listen" in shown.stdout
    wrong = subprocess.run([script, "--no-such-flag"], capture_output=True, text=True, timeout=60)
    assert wrong.returncode != 0
    assert "--no-such-flag" in wrong.stderr


@pytest.mark.parametrize("stop_signal", ["SIGTERM", "SIGINT"])
def test_a_server_stops_cleanly_on_sigterm_and_ctrl_c(stop_signal):
    import signal

    server = org_handshake.Server(seed=1).start()
    try:
        assert server.health() is not None
    finally:
        server.stop(getattr(signal, stop_signal))
    assert server.exit_status == 0, server.log()


def test_a_server_that_cannot_start_says_why():
    with pytest.raises(org_handshake.server.ServerError, match="world"):
        org_handshake.Server(worlds={"aws": {"acounts": []}}).start()


def test_the_fixture_serves_the_default_worlds_and_the_controls(org_handshake_server):
    server = org_handshake_server
    assert server.url.startswith("http://127.0.0.1:")
    for provider in ("aws", "huawei", "alibaba"):
        vector = server.vector(provider)
        assert vector["world"] == org_handshake.default_world(provider)
        assert vector["steps"] == []
    operations = server.operations()
    assert "DescribeHandshake" in operations["aws"]
    assert "show_handshake" in operations["huawei"]
    assert "GetHandshake" in operations["alibaba"]


# Huawei Cloud SDK (huaweicloudsdkorganizations).

HUAWEI_MANAGEMENT = "0a6d25d23900d45c0faac010e0fb4de0"
HUAWEI_INVITEE = "05c734152f00d4200f2bc0179ac6c5e0"
HUAWEI_OTHER = "1b2c3d4e5f60718293a4b5c6d7e8f901"


def huawei(server, domain_id):
    from huaweicloudsdkcore.auth.credentials import GlobalCredentials
    from huaweicloudsdkorganizations.v1 import OrganizationsClient

    return (
        OrganizationsClient.new_builder()
        .with_credentials(GlobalCredentials("ak-not-checked", "sk-not-checked", domain_id))
        .with_endpoints([server.url])
        .build()
    )


def huawei_invite(org, entity):
    from huaweicloudsdkorganizations.v1 import InviteAccountReqBody, InviteAccountRequest, TargetDto

    body = InviteAccountReqBody(target=TargetDto(type="account", entity=entity), notes="welcome")
    return org.invite_account(InviteAccountRequest(body=body)).handshake


def test_huawei_invite_accept_cancel_and_expiry(org_handshake_server):
    from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
    from huaweicloudsdkorganizations.v1 import (
        AcceptHandshakeRequest,
        CancelHandshakeRequest,
        ListHandshakesRequest,
        ShowHandshakeRequest,
    )

    server = org_handshake_server
    org, invitee = huawei(server, HUAWEI_MANAGEMENT), huawei(server, HUAWEI_INVITEE)
    handshake = huawei_invite(org, HUAWEI_INVITEE)
    assert handshake.status == "pending"
    assert invitee.accept_handshake(AcceptHandshakeRequest(handshake_id=handshake.id)).handshake.status == "accepted"
    to_cancel = huawei_invite(org, HUAWEI_OTHER)
    assert org.cancel_handshake(CancelHandshakeRequest(handshake_id=to_cancel.id)).handshake.status == "cancelled"
    with pytest.raises(ClientRequestException) as err:
        org.cancel_handshake(CancelHandshakeRequest(handshake_id=to_cancel.id))
    assert err.value.error_code == "Organizations.1401"
    expiring = huawei_invite(org, "2c3d4e5f60718293a4b5c6d7e8f90a1b")
    server.advance(15 * DAY)  # past the 14-day validity
    shown = org.show_handshake(ShowHandshakeRequest(handshake_id=expiring.id)).handshake
    assert shown.status == "expired"
    listed = org.list_handshakes(ListHandshakesRequest()).handshakes
    assert {h.id for h in listed} == {handshake.id, to_cancel.id, expiring.id}
    assert [s["operation"] for s in server.vector("huawei")["steps"]] == [
        "invite_account",
        "accept_handshake",
        "invite_account",
        "cancel_handshake",
        "invite_account",
    ]


# Alibaba Cloud SDK (alibabacloud_resourcemanager20200331).

ALIBABA_MANAGEMENT = "1512666876910000"
ALIBABA_INVITEE = "1772422852740000"
ALIBABA_OTHER = "1772422852740001"


def alibaba(server, key):
    from alibabacloud_resourcemanager20200331.client import Client
    from alibabacloud_tea_openapi.models import Config as AlibabaConfig

    return Client(AlibabaConfig(access_key_id=key, access_key_secret="not-checked", endpoint=server.host_port, protocol="http"))


def test_alibaba_invite_accept_decline_and_expiry(org_handshake_server):
    from alibabacloud_resourcemanager20200331 import models as rm
    from Tea.exceptions import TeaException

    server = org_handshake_server
    rd = alibaba(server, ALIBABA_MANAGEMENT)

    def invite(entity):
        request = rm.InviteAccountToResourceDirectoryRequest(target_entity=entity, target_type="Account", note="Welcome")
        return rd.invite_account_to_resource_directory(request).body.handshake

    handshake = invite(ALIBABA_INVITEE)
    assert handshake.status == "Pending"
    accepted = alibaba(server, ALIBABA_INVITEE).accept_handshake(rm.AcceptHandshakeRequest(handshake_id=handshake.handshake_id))
    assert accepted.body.handshake.status == "Accepted"
    declined_id = invite(ALIBABA_OTHER).handshake_id
    declined = alibaba(server, ALIBABA_OTHER).decline_handshake(rm.DeclineHandshakeRequest(handshake_id=declined_id))
    assert declined.body.handshake.status == "Declined"
    with pytest.raises(TeaException) as err:
        rd.get_handshake(rm.GetHandshakeRequest(handshake_id="h-0123456789abcdef"))
    assert err.value.code == "EntityNotExists.Handshake"
    expiring = invite("1772422852740002")
    server.advance(15 * DAY)
    got = rd.get_handshake(rm.GetHandshakeRequest(handshake_id=expiring.handshake_id)).body.handshake
    assert got.status == "Expired"
    assert len(server.vector("alibaba")["steps"]) == 5


# The mock and the server answer one boto3 session alike.

MANAGEMENT, JUAN, MEMBER = "111111111111", "222222222222", "333333333333"
STANDALONE = ["444444444444", "555555555555", "666666666666"]
ADVANCE = object()

# (caller, method, params); ("$", k) in params stands for the id of step k's handshake.
SESSION = [
    (MANAGEMENT, "invite_account_to_organization", {"Target": {"Id": JUAN, "Type": "ACCOUNT"}, "Notes": "welcome"}),
    (JUAN, "list_handshakes_for_account", {}),
    (JUAN, "describe_handshake", {"HandshakeId": ("$", 0)}),
    (JUAN, "accept_handshake", {"HandshakeId": ("$", 0)}),
    (MANAGEMENT, "invite_account_to_organization", {"Target": {"Id": JUAN, "Type": "ACCOUNT"}}),
    (MANAGEMENT, "invite_account_to_organization", {"Target": {"Id": STANDALONE[0], "Type": "ACCOUNT"}}),
    (STANDALONE[0], "decline_handshake", {"HandshakeId": ("$", 5)}),
    (MANAGEMENT, "invite_account_to_organization", {"Target": {"Id": "li@example.com", "Type": "EMAIL"}}),
    (MANAGEMENT, "cancel_handshake", {"HandshakeId": ("$", 7)}),
    (MANAGEMENT, "cancel_handshake", {"HandshakeId": ("$", 7)}),
    (MANAGEMENT, "invite_account_to_organization", {"Target": {"Id": STANDALONE[2], "Type": "ACCOUNT"}}),
    (MEMBER, "list_handshakes_for_organization", {}),
    (MANAGEMENT, "describe_handshake", {"HandshakeId": "h-0123456789abcdef"}),
    (MANAGEMENT, "list_handshakes_for_organization", {"MaxResults": 2}),
    ADVANCE,
    ADVANCE,  # 16 days: step 10's invitation has expired
    (STANDALONE[2], "accept_handshake", {"HandshakeId": ("$", 10)}),
    (MANAGEMENT, "list_handshakes_for_organization", {}),
    ADVANCE,
    ADVANCE,
    ADVANCE,
    ADVANCE,  # 48 days: every handshake is past its 30 days of retention
    (MANAGEMENT, "describe_handshake", {"HandshakeId": ("$", 0)}),
    (MANAGEMENT, "invite_account_to_organization", {"Target": {"Id": STANDALONE[2], "Type": "ACCOUNT"}}),
]


def resolve(params, outcomes):
    if isinstance(params, tuple) and params[:1] == ("$",):
        return outcomes[params[1]]["Handshake"]["Id"]
    if isinstance(params, dict):
        return {key: resolve(value, outcomes) for key, value in params.items()}
    return params


def play(client_for, advance, before_call=lambda index: None):
    """Runs SESSION; answers each call's outcome (the parsed reply without its metadata)."""
    outcomes = []
    for index, step in enumerate(SESSION):
        if step is ADVANCE:
            advance()
            outcomes.append(None)
            continue
        caller, method, params = step
        before_call(index)
        try:
            outcome = getattr(client_for(caller), method)(**resolve(params, outcomes))
        except botocore.exceptions.ClientError as err:
            outcome = dict(err.response)
        outcome.pop("ResponseMetadata", None)
        outcomes.append(outcome)
    return outcomes


def test_the_mock_and_the_server_answer_a_session_identically(org_handshake_server):
    server = org_handshake_server
    start = datetime.datetime(2026, 1, 5, 10, 0, tzinfo=datetime.timezone.utc)
    times = {}
    with mock_organizations(now=start, seed=11) as mock:
        clients = {}

        def mock_client(caller):
            if caller not in clients:
                clients[caller] = boto3.client("organizations", aws_access_key_id=caller, aws_secret_access_key="x")
            return clients[caller]

        def remember(index):
            times[index] = mock.now

        in_mock = play(mock_client, lambda: mock.advance(days=8), remember)
        mock_vector = mock.vector()

    new_ids = {
        index: [outcome["Handshake"]["Id"]]
        for index, outcome in enumerate(in_mock)
        if outcome and SESSION[index][1] == "invite_account_to_organization" and "Handshake" in outcome
    }
    current = {}

    def control_headers(request, **_kwargs):
        index = current["index"]
        request.headers["x-org-handshake-now"] = times[index].isoformat().replace("+00:00", "Z")
        if index in new_ids:
            request.headers["x-org-handshake-new-ids"] = ",".join(new_ids[index])

    server.set_world("aws", org_handshake.default_world("aws"))
    server_clients = {}

    def server_client(caller):
        if caller not in server_clients:
            client = boto3.client(
                "organizations",
                endpoint_url=server.url,
                region_name="us-east-1",
                aws_access_key_id=caller,
                aws_secret_access_key="x",
                config=Config(retries={"max_attempts": 1}),
            )
            client.meta.events.register("before-sign.organizations", control_headers)
            server_clients[caller] = client
        return server_clients[caller]

    on_server = play(server_client, lambda: None, lambda index: current.update(index=index))

    # The session means something: successes, refusals, expiry and retention all happened.
    errors = [o["Error"]["Code"] for o in in_mock if o and "Error" in o]
    assert "HandshakeAlreadyInStateException" in errors and "HandshakeNotFoundException" in errors
    assert "DuplicateHandshakeException" in errors or "HandshakeConstraintViolationException" in errors
    assert in_mock[16]["Error"]["Code"] == "InvalidHandshakeTransitionException"  # expired
    assert {h["State"] for h in in_mock[17]["Handshakes"]} >= {"ACCEPTED", "DECLINED", "CANCELED", "EXPIRED"}
    assert in_mock[22]["Error"]["Code"] == "HandshakeNotFoundException"  # past retention
    assert in_mock[23]["Handshake"]["State"] == "OPEN"
    for index, (mine, theirs) in enumerate(zip(in_mock, on_server)):
        assert mine == theirs, f"step {index} {SESSION[index]}"
    served = server.vector("aws")
    assert served["world"] == mock_vector["world"]
    assert served["steps"] == mock_vector["steps"]
    assert len(served["steps"]) == 8
    assert all(step["new_ids"] for step in served["steps"] if step["operation"] == "InviteAccountToOrganization")


def test_the_world_fixture_is_overridable_and_the_plugin_loads_by_entry_point(pytester):
    pytester.makeconftest(
        """
import pytest

@pytest.fixture(scope="session")
def org_handshake_world():
    return {"aws": {"accounts": [{"id": "123456789012", "name": "solo"}]}}
"""
    )
    pytester.makepyfile(
        """
import org_handshake

def test_world(org_handshake_server):
    assert org_handshake_server.vector("aws")["world"] == {"organizations": [], "accounts": [{"id": "123456789012", "name": "solo"}]}
    assert org_handshake_server.vector("huawei")["world"] == org_handshake.default_world("huawei")
"""
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
