"""The Alibaba Cloud Python SDK (alibabacloud_resourcemanager20200331) against
org-handshake-server's membership operations: EnableResourceDirectory → invite → accept → the
member is listed (JoinMethod invited, JoinTime the accept time) and reads its directory →
RemoveCloudAccount (Alibaba has no leave) → invited again → accepted → removed → the emptied
directory destroyed; numbered pages of ListAccounts; every documented refusal as
TeaException.code; a kill -9 after a removal and an enable."""

import pytest
from alibabacloud_resourcemanager20200331 import models as rm
from alibabacloud_resourcemanager20200331.client import Client
from alibabacloud_tea_openapi.models import Config
from Tea.exceptions import TeaException

MANAGEMENT = "1512666876910000"
RD = "rd-3G6rzX"
INVITEE = "1772422852740000"
STANDALONE = ["1772422852740001", "1772422852740002", "1772422852740003"]


def client(server, key):
    return Client(
        Config(access_key_id=key, access_key_secret="not-checked", endpoint=server.host_port, protocol="http")
    )


def invite(rd, entity):
    request = rm.InviteAccountToResourceDirectoryRequest(target_entity=entity, target_type="Account")
    return rd.invite_account_to_resource_directory(request).body.handshake


def accept(who, handshake):
    return who.accept_handshake(rm.AcceptHandshakeRequest(handshake_id=handshake.handshake_id)).body.handshake


def error_of(call):
    with pytest.raises(TeaException) as err:
        call()
    return err.value


def accounts(rd, **query):
    return rd.list_accounts(rm.ListAccountsRequest(**query)).body


def account_ids(rd, **query):
    return [a.account_id for a in accounts(rd, **query).accounts.account]


def get_account(rd, account):
    return rd.get_account(rm.GetAccountRequest(account_id=account)).body.account


def test_the_membership_round_trip(server):
    rd, invitee = client(server, MANAGEMENT), client(server, INVITEE)
    assert error_of(lambda: invitee.get_resource_directory()).code == "EntityNotExists.ResourceDirectory"
    directory = rd.get_resource_directory().body.resource_directory
    assert (directory.resource_directory_id, directory.master_account_id) == (RD, MANAGEMENT)
    assert account_ids(rd) == [MANAGEMENT]
    assert accounts(rd).accounts.account[0].join_method == "created"

    accepted = accept(invitee, invite(rd, INVITEE))
    member = get_account(rd, INVITEE)
    assert (member.join_method, member.status, member.type) == ("invited", "InviteSuccess", "CloudAccount")
    assert member.join_time == accepted.modify_time  # joined when it accepted
    assert member.resource_directory_id == RD
    assert invitee.get_resource_directory().body.resource_directory.resource_directory_id == RD
    assert set(account_ids(rd)) == {MANAGEMENT, INVITEE}

    removed = rd.remove_cloud_account(rm.RemoveCloudAccountRequest(account_id=INVITEE))
    assert removed.body.request_id
    assert error_of(lambda: invitee.get_resource_directory()).code == "EntityNotExists.ResourceDirectory"
    assert error_of(lambda: get_account(rd, INVITEE)).code == "EntityNotExists.Account"

    server.advance_days(1)
    again = accept(invitee, invite(rd, INVITEE))
    rejoined = get_account(rd, INVITEE)
    assert rejoined.join_time == again.modify_time != member.join_time
    rd.remove_cloud_account(rm.RemoveCloudAccountRequest(account_id=INVITEE))

    pending = invite(rd, STANDALONE[0])
    destroyed = rd.destroy_resource_directory()
    assert destroyed.body.request_id
    assert error_of(lambda: rd.get_resource_directory()).code == "EntityNotExists.ResourceDirectory"
    got = client(server, STANDALONE[0]).get_handshake(rm.GetHandshakeRequest(handshake_id=pending.handshake_id))
    assert got.body.handshake.status == "Cancelled"

    enabled = invitee.enable_resource_directory(rm.EnableResourceDirectoryRequest(enable_mode="CurrentAccount"))
    mine = enabled.body.resource_directory
    assert mine.master_account_id == INVITEE and mine.resource_directory_id.startswith("rd-") and mine.resource_directory_id != RD
    assert invitee.get_resource_directory().body.resource_directory.resource_directory_id == mine.resource_directory_id


def test_list_accounts_pages(server):
    rd = client(server, MANAGEMENT)
    for account in [INVITEE, *STANDALONE]:
        accept(client(server, account), invite(rd, account))
    seen = []
    for number in (1, 2, 3):
        page = accounts(rd, page_number=number, page_size=2)
        assert (page.total_count, page.page_number, page.page_size) == (5, number, 2)
        seen += [a.account_id for a in page.accounts.account]
    assert len(seen) == 5 and set(seen) == {MANAGEMENT, INVITEE, *STANDALONE}
    assert account_ids(rd) == seen  # the default page (10) holds them all, in the same order
    assert error_of(lambda: accounts(rd, page_size=101)).code == "InvalidParameter.PageSize"


def test_every_documented_refusal(server):
    rd = client(server, MANAGEMENT)
    member = client(server, INVITEE)
    accept(member, invite(rd, INVITEE))
    stranger = client(server, STANDALONE[0])
    for call in (
        lambda: stranger.get_resource_directory(),
        lambda: stranger.list_accounts(rm.ListAccountsRequest()),
        lambda: get_account(stranger, MANAGEMENT),
        lambda: stranger.remove_cloud_account(rm.RemoveCloudAccountRequest(account_id=INVITEE)),
        lambda: stranger.destroy_resource_directory(),
    ):
        refused = error_of(call)
        assert (refused.code, refused.data["statusCode"]) == ("EntityNotExists.ResourceDirectory", 404)
    refused = error_of(lambda: rd.destroy_resource_directory())
    assert (refused.code, refused.data["statusCode"]) == ("DeleteConflict.ResourceDirectory.Account", 409)
    for account in (STANDALONE[1], "1999999999999999"):
        assert error_of(lambda: get_account(rd, account)).code == "EntityNotExists.Account"
        assert error_of(lambda: rd.remove_cloud_account(rm.RemoveCloudAccountRequest(account_id=account))).code == "EntityNotExists.Account"
    assert error_of(lambda: rd.remove_cloud_account(rm.RemoveCloudAccountRequest(account_id="12345"))).code == "InvalidParameter.AccountId"
    assert error_of(lambda: rd.remove_cloud_account(rm.RemoveCloudAccountRequest())).code == "MissingParameter.AccountId"
    for call in (
        lambda: member.list_accounts(rm.ListAccountsRequest()),
        lambda: get_account(member, MANAGEMENT),
        lambda: member.remove_cloud_account(rm.RemoveCloudAccountRequest(account_id=MANAGEMENT)),
        lambda: member.destroy_resource_directory(),
    ):
        refused = error_of(call)
        assert refused.code == "NoPermission" and refused.data["RequestId"]
    # Nothing changed.
    assert account_ids(rd) == [MANAGEMENT, INVITEE]
    assert member.get_resource_directory().body.resource_directory.resource_directory_id == RD


def test_a_removal_and_an_enable_survive_kill_9(server):
    rd, invitee = client(server, MANAGEMENT), client(server, INVITEE)
    accept(invitee, invite(rd, INVITEE))
    rd.remove_cloud_account(rm.RemoveCloudAccountRequest(account_id=INVITEE))
    enabled = invitee.enable_resource_directory(rm.EnableResourceDirectoryRequest(enable_mode="CurrentAccount"))
    server.kill9()
    server.restart()
    rd, invitee = client(server, MANAGEMENT), client(server, INVITEE)
    directory = invitee.get_resource_directory().body.resource_directory
    assert directory.resource_directory_id == enabled.body.resource_directory.resource_directory_id
    assert account_ids(invitee) == [INVITEE]
    assert account_ids(rd) == [MANAGEMENT]
    lines = [(l["provider"], l["operation"]) for l in server.journal_lines()]
    assert lines[-2:] == [("alibaba", "RemoveCloudAccount"), ("alibaba", "EnableResourceDirectory")]


def test_enabling_from_an_account_in_a_directory_answers_the_enable_page_code(server):
    # The EnableResourceDirectory page's own error table: 409
    # NotSupport.AccountInAnotherResourceDirectory, "The specified account is an Alibaba Cloud
    # account or already exists in another resource directory."
    rd, member = client(server, MANAGEMENT), client(server, INVITEE)
    accept(member, invite(rd, INVITEE))
    for who in (rd, member):
        refused = error_of(lambda: who.enable_resource_directory(rm.EnableResourceDirectoryRequest(enable_mode="CurrentAccount")))
        assert (refused.code, refused.data["statusCode"]) == ("NotSupport.AccountInAnotherResourceDirectory", 409)
    assert account_ids(rd) == [MANAGEMENT, INVITEE]
