"""The Alibaba Cloud Python SDK (alibabacloud_resourcemanager20200331 on
alibabacloud_tea_openapi, Config(endpoint=…, protocol="http")) against org-handshake-server:
every handshake operation, errors as TeaException.code, numbered pages, expiry and retention
through the time control."""

import pytest
from alibabacloud_resourcemanager20200331 import models as rm
from alibabacloud_resourcemanager20200331.client import Client
from alibabacloud_tea_openapi.models import Config
from Tea.exceptions import TeaException

MANAGEMENT = "1512666876910000"
INVITEE = "1772422852740000"
STANDALONE = ["1772422852740001", "1772422852740002", "1772422852740003"]


def client(server, key):
    return Client(
        Config(access_key_id=key, access_key_secret="not-checked", endpoint=server.host_port, protocol="http")
    )


def invite(rd, entity, note="Welcome"):
    request = rm.InviteAccountToResourceDirectoryRequest(target_entity=entity, target_type="Account", note=note)
    return rd.invite_account_to_resource_directory(request).body.handshake


def error_of(call):
    with pytest.raises(TeaException) as err:
        call()
    return err.value


def test_invite_get_accept_and_list(server):
    rd, invitee = client(server, MANAGEMENT), client(server, INVITEE)
    handshake = invite(rd, INVITEE)
    assert handshake.status == "Pending"
    assert handshake.resource_directory_id == "rd-3G6rzX"
    assert handshake.master_account_name == "CompanyA"
    assert handshake.target_entity == INVITEE
    got = invitee.get_handshake(rm.GetHandshakeRequest(handshake_id=handshake.handshake_id))
    assert got.body.handshake.note == "Welcome"
    assert got.body.request_id
    mine = invitee.list_handshakes_for_account(rm.ListHandshakesForAccountRequest()).body
    assert [h.handshake_id for h in mine.handshakes.handshake] == [handshake.handshake_id]
    accepted = invitee.accept_handshake(rm.AcceptHandshakeRequest(handshake_id=handshake.handshake_id))
    assert accepted.body.handshake.status == "Accepted"
    listed = rd.list_handshakes_for_resource_directory(rm.ListHandshakesForResourceDirectoryRequest()).body
    assert [(h.handshake_id, h.status) for h in listed.handshakes.handshake] == [(handshake.handshake_id, "Accepted")]


def test_decline_cancel_and_their_errors(server):
    rd = client(server, MANAGEMENT)
    first = invite(rd, STANDALONE[0])
    declined = client(server, STANDALONE[0]).decline_handshake(rm.DeclineHandshakeRequest(handshake_id=first.handshake_id))
    assert declined.body.handshake.status == "Declined"
    second = invite(rd, STANDALONE[1])
    canceled = rd.cancel_handshake(rm.CancelHandshakeRequest(handshake_id=second.handshake_id))
    assert canceled.body.handshake.status == "Cancelled"
    again = error_of(lambda: rd.cancel_handshake(rm.CancelHandshakeRequest(handshake_id=second.handshake_id)))
    assert again.code == "HandshakeStatusMismatch"
    assert again.data["RequestId"]


def test_errors(server):
    rd = client(server, MANAGEMENT)
    missing = error_of(lambda: rd.get_handshake(rm.GetHandshakeRequest(handshake_id="h-0123456789abcdef")))
    assert missing.code == "EntityNotExists.Handshake"
    assert missing.data["statusCode"] == 404
    invalid = error_of(lambda: rd.get_handshake(rm.GetHandshakeRequest(handshake_id="h-!")))
    assert invalid.code == "InvalidParameter.HandshakeId"
    handshake = invite(rd, INVITEE)
    assert error_of(lambda: invite(rd, INVITEE)).code == "EntityAlreadyExists.Handshake"
    stranger = client(server, STANDALONE[2])
    hidden = error_of(lambda: stranger.get_handshake(rm.GetHandshakeRequest(handshake_id=handshake.handshake_id)))
    assert hidden.code == "EntityNotExists.Handshake"
    not_in_rd = error_of(
        lambda: stranger.list_handshakes_for_resource_directory(rm.ListHandshakesForResourceDirectoryRequest())
    )
    assert not_in_rd.code == "EntityNotExists.ResourceDirectory"
    sender = error_of(lambda: rd.accept_handshake(rm.AcceptHandshakeRequest(handshake_id=handshake.handshake_id)))
    assert sender.code == "NoPermission"
    too_big = error_of(
        lambda: rd.list_handshakes_for_resource_directory(rm.ListHandshakesForResourceDirectoryRequest(page_size=101))
    )
    assert too_big.code == "InvalidParameter.PageSize"


def test_numbered_pages(server):
    rd = client(server, MANAGEMENT)
    ids = {invite(rd, account).handshake_id for account in [INVITEE, *STANDALONE]}
    seen = []
    for number in (1, 2, 3, 4, 5):
        page = rd.list_handshakes_for_resource_directory(
            rm.ListHandshakesForResourceDirectoryRequest(page_number=number, page_size=1)
        ).body
        assert page.total_count == 4 and page.page_number == number and page.page_size == 1
        seen += [h.handshake_id for h in page.handshakes.handshake]
    assert len(seen) == 4 and set(seen) == ids


def test_expiry_and_retention_through_the_time_control(server):
    rd, invitee = client(server, MANAGEMENT), client(server, INVITEE)
    expiring = invite(rd, INVITEE)
    server.advance_days(15)  # past the 14-day validity
    got = invitee.get_handshake(rm.GetHandshakeRequest(handshake_id=expiring.handshake_id)).body.handshake
    assert got.status == "Expired"
    late = error_of(lambda: invitee.accept_handshake(rm.AcceptHandshakeRequest(handshake_id=expiring.handshake_id)))
    assert late.code == "HandshakeStatusMismatch"
    server.advance_days(31)
    gone = error_of(lambda: rd.get_handshake(rm.GetHandshakeRequest(handshake_id=expiring.handshake_id)))
    assert gone.code == "EntityNotExists.Handshake"


def test_the_journal_is_the_session(server):
    rd, invitee = client(server, MANAGEMENT), client(server, INVITEE)
    handshake = invite(rd, INVITEE)
    accepted = invitee.accept_handshake(rm.AcceptHandshakeRequest(handshake_id=handshake.handshake_id))
    lines = server.journal_lines()
    assert [(l["provider"], l["operation"], l["caller"]) for l in lines] == [
        ("alibaba", "InviteAccountToResourceDirectory", MANAGEMENT),
        ("alibaba", "AcceptHandshake", INVITEE),
    ]
    assert lines[1]["request_id"] == accepted.body.request_id
    assert lines[0]["request"] == {"Note": "Welcome", "TargetEntity": INVITEE, "TargetType": "Account"}
