"""The Huawei Cloud Python SDK (huaweicloudsdkorganizations, OrganizationsClient with
with_endpoints and GlobalCredentials(ak, sk, domain_id)) against org-handshake-server: every
handshake operation, errors as ClientRequestException.error_code, marker pagination, expiry and
retention through the time control."""

import pytest
from huaweicloudsdkcore.auth.credentials import GlobalCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkorganizations.v1 import (
    AcceptHandshakeRequest,
    CancelHandshakeRequest,
    DeclineHandshakeRequest,
    InviteAccountReqBody,
    InviteAccountRequest,
    ListHandshakesRequest,
    ListReceivedHandshakesRequest,
    OrganizationsClient,
    ShowHandshakeRequest,
    TargetDto,
)

MANAGEMENT = "0a6d25d23900d45c0faac010e0fb4de0"
INVITEE = "05c734152f00d4200f2bc0179ac6c5e0"
STANDALONE = [
    "1b2c3d4e5f60718293a4b5c6d7e8f901",
    "2c3d4e5f60718293a4b5c6d7e8f90a1b",
    "3d4e5f60718293a4b5c6d7e8f90a1b2c",
]


def client(server, domain_id):
    return (
        OrganizationsClient.new_builder()
        .with_credentials(GlobalCredentials("ak-not-checked", "sk-not-checked", domain_id))
        .with_endpoints([server.url])
        .build()
    )


def invite(org, entity, notes="welcome", kind="account"):
    body = InviteAccountReqBody(target=TargetDto(type=kind, entity=entity), notes=notes)
    return org.invite_account(InviteAccountRequest(body=body)).handshake


def error_of(call):
    with pytest.raises(ClientRequestException) as err:
        call()
    return err.value


def test_invite_show_accept_and_list(server):
    org, invitee = client(server, MANAGEMENT), client(server, INVITEE)
    handshake = invite(org, INVITEE)
    assert handshake.status == "pending"
    assert handshake.organization_id == "o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv"
    assert handshake.management_account_name == "paas_iam_573331"
    assert handshake.target.entity == INVITEE
    assert handshake.urn.endswith("/" + handshake.id)
    shown = invitee.show_handshake(ShowHandshakeRequest(handshake_id=handshake.id)).handshake
    assert (shown.id, shown.notes) == (handshake.id, "welcome")
    received = invitee.list_received_handshakes(ListReceivedHandshakesRequest()).handshakes
    assert [h.id for h in received] == [handshake.id]
    accepted = invitee.accept_handshake(AcceptHandshakeRequest(handshake_id=handshake.id)).handshake
    assert accepted.status == "accepted"
    listed = org.list_handshakes(ListHandshakesRequest()).handshakes
    assert [(h.id, h.status) for h in listed] == [(handshake.id, "accepted")]


def test_decline_cancel_and_their_errors(server):
    org = client(server, MANAGEMENT)
    declined = client(server, STANDALONE[0]).decline_handshake(
        DeclineHandshakeRequest(handshake_id=invite(org, STANDALONE[0]).id)
    )
    assert declined.handshake.status == "declined"
    to_cancel = invite(org, STANDALONE[1])
    canceled = org.cancel_handshake(CancelHandshakeRequest(handshake_id=to_cancel.id)).handshake
    assert canceled.status == "cancelled"
    again = error_of(lambda: org.cancel_handshake(CancelHandshakeRequest(handshake_id=to_cancel.id)))
    assert again.error_code == "Organizations.1401"
    assert again.request_id
    late = error_of(
        lambda: client(server, STANDALONE[1]).accept_handshake(AcceptHandshakeRequest(handshake_id=to_cancel.id))
    )
    assert late.status_code == 400 and late.error_code.startswith("Organizations.")


def test_errors(server):
    org = client(server, MANAGEMENT)
    missing = error_of(lambda: org.show_handshake(ShowHandshakeRequest(handshake_id="h-0123456789abcdef")))
    assert missing.status_code == 404
    assert missing.error_code == "Organizations.Unverified.HandshakeNotFound"
    handshake = invite(org, INVITEE)
    duplicate = error_of(lambda: invite(org, INVITEE))
    assert duplicate.error_code == "Organizations.Unverified.DuplicateHandshake"
    # A standalone account has no organization to list or invite into.
    stranger = client(server, STANDALONE[2])
    assert error_of(lambda: stranger.list_handshakes(ListHandshakesRequest())).error_code == "Organizations.1015"
    # Only the invitee may accept; a stranger does not see the invitation.
    sender = error_of(lambda: org.accept_handshake(AcceptHandshakeRequest(handshake_id=handshake.id)))
    assert (sender.status_code, sender.error_code) == (401, "Organizations.1001")
    hidden = error_of(lambda: stranger.show_handshake(ShowHandshakeRequest(handshake_id=handshake.id)))
    assert hidden.status_code == 404
    bad = error_of(lambda: org.list_handshakes(ListHandshakesRequest(limit=1, marker="not-a-marker-we-issued")))
    assert bad.status_code == 400


def test_name_targets(server):
    org = client(server, MANAGEMENT)
    handshake = invite(org, "paas_iam_1b2c3d", kind="name")
    assert handshake.target.type == "name"
    accepted = client(server, STANDALONE[0]).accept_handshake(AcceptHandshakeRequest(handshake_id=handshake.id))
    assert accepted.handshake.status == "accepted"


def test_marker_pagination(server):
    org = client(server, MANAGEMENT)
    ids = {invite(org, account).id for account in [INVITEE, *STANDALONE]}
    seen, marker, pages = [], None, 0
    while True:
        response = org.list_handshakes(ListHandshakesRequest(limit=1, marker=marker))
        pages += 1
        seen += [h.id for h in response.handshakes]
        assert response.page_info.current_count == len(response.handshakes) == 1
        marker = response.page_info.next_marker
        if not marker:
            break
    assert pages == 4 and set(seen) == ids and len(seen) == 4
    received = client(server, INVITEE).list_received_handshakes(ListReceivedHandshakesRequest(limit=1))
    assert len(received.handshakes) == 1 and not received.page_info.next_marker


def test_expiry_and_retention_through_the_time_control(server):
    org, invitee = client(server, MANAGEMENT), client(server, INVITEE)
    expiring = invite(org, INVITEE)
    server.advance_days(15)  # past the 14-day validity
    shown = invitee.show_handshake(ShowHandshakeRequest(handshake_id=expiring.id)).handshake
    assert shown.status == "expired"
    assert error_of(lambda: invitee.accept_handshake(AcceptHandshakeRequest(handshake_id=expiring.id))).status_code == 400
    server.advance_days(31)
    gone = error_of(lambda: org.show_handshake(ShowHandshakeRequest(handshake_id=expiring.id)))
    assert gone.status_code == 404
    assert org.list_handshakes(ListHandshakesRequest()).handshakes == []


def test_the_journal_is_the_session(server):
    org, invitee = client(server, MANAGEMENT), client(server, INVITEE)
    handshake = invite(org, INVITEE)
    invitee.accept_handshake(AcceptHandshakeRequest(handshake_id=handshake.id))
    lines = server.journal_lines()
    assert [(l["provider"], l["operation"], l["caller"]) for l in lines] == [
        ("huawei", "invite_account", MANAGEMENT),
        ("huawei", "accept_handshake", INVITEE),
    ]
    assert lines[1]["request"] == {"path": {"handshake_id": handshake.id}}
