"""The Huawei Cloud Python SDK (huaweicloudsdkorganizations v1) against org-handshake-server's
membership operations: create (201) → invite → accept → the member is listed (join_method
invited, joined_at the accept time) and shows its organization → leave → invited again →
accepted → removed → the emptied organization deleted (204); marker pages of list_accounts;
every refusal as ClientRequestException; a kill -9 after a leave and a create."""

import datetime

import pytest
from huaweicloudsdkcore.auth.credentials import GlobalCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkorganizations.v1 import (
    AcceptHandshakeRequest,
    CreateOrganizationRequest,
    DeleteOrganizationRequest,
    InviteAccountReqBody,
    InviteAccountRequest,
    LeaveOrganizationRequest,
    ListAccountsRequest,
    OrganizationsClient,
    RemoveAccountRequest,
    ShowAccountRequest,
    ShowHandshakeRequest,
    ShowOrganizationRequest,
    TargetDto,
)

MANAGEMENT = "0a6d25d23900d45c0faac010e0fb4de0"
ORG = "o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv"
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


def invite(org, entity):
    body = InviteAccountReqBody(target=TargetDto(type="account", entity=entity), notes="join us")
    return org.invite_account(InviteAccountRequest(body=body)).handshake


def accept(who, handshake):
    return who.accept_handshake(AcceptHandshakeRequest(handshake_id=handshake.id)).handshake


def error_of(call):
    with pytest.raises(ClientRequestException) as err:
        call()
    return err.value


def as_time(value):
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)
    return datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def account_ids(org, **query):
    return [a.id for a in org.list_accounts(ListAccountsRequest(**query)).accounts]


def show_organization(who):
    return who.show_organization(ShowOrganizationRequest()).organization


def test_the_membership_round_trip(server):
    org, invitee = client(server, MANAGEMENT), client(server, INVITEE)
    assert error_of(lambda: show_organization(invitee)).error_code == "Organizations.1015"
    organization = show_organization(org)
    assert (organization.id, organization.management_account_id) == (ORG, MANAGEMENT)
    assert organization.urn == f"organizations::{MANAGEMENT}:organization:{ORG}"
    assert account_ids(org) == [MANAGEMENT]
    (management,) = org.list_accounts(ListAccountsRequest()).accounts
    assert (management.join_method, management.status) == ("created", "active")

    accepted = accept(invitee, invite(org, INVITEE))
    shown = org.show_account(ShowAccountRequest(account_id=INVITEE)).account
    assert (shown.join_method, shown.status) == ("invited", "active")
    assert shown.urn == f"organizations::{MANAGEMENT}:account:{ORG}/{INVITEE}"
    assert as_time(shown.joined_at) == as_time(accepted.updated_at)  # joined when it accepted
    assert show_organization(invitee).id == ORG
    assert set(account_ids(org)) == {MANAGEMENT, INVITEE}

    left = invitee.leave_organization(LeaveOrganizationRequest())
    assert left.status_code == 200
    assert error_of(lambda: show_organization(invitee)).error_code == "Organizations.1015"
    gone = error_of(lambda: org.show_account(ShowAccountRequest(account_id=INVITEE)))
    assert gone.status_code == 404

    server.advance_days(1)
    again = accept(invitee, invite(org, INVITEE))
    rejoined = org.show_account(ShowAccountRequest(account_id=INVITEE)).account
    assert as_time(rejoined.joined_at) == as_time(again.updated_at)
    assert as_time(rejoined.joined_at) - as_time(shown.joined_at) >= datetime.timedelta(days=1)

    removed = org.remove_account(RemoveAccountRequest(account_id=INVITEE))
    assert removed.status_code == 200
    assert account_ids(org) == [MANAGEMENT]
    pending = invite(org, STANDALONE[0])
    org.delete_organization(DeleteOrganizationRequest())
    assert error_of(lambda: show_organization(org)).error_code == "Organizations.1015"
    cancelled = client(server, STANDALONE[0]).show_handshake(ShowHandshakeRequest(handshake_id=pending.id)).handshake
    assert cancelled.status == "cancelled"

    created = invitee.create_organization(CreateOrganizationRequest())
    assert created.organization.management_account_id == INVITEE
    assert show_organization(invitee).id == created.organization.id != ORG


def test_create_answers_201_and_delete_204_as_documented(server):
    # CreateOrganization and DeleteOrganization pages: "Status code: 201" with the organization,
    # "Status code: 204" with no body; leave_organization and remove_account: 200.
    org, invitee = client(server, MANAGEMENT), client(server, INVITEE)
    assert org.delete_organization(DeleteOrganizationRequest()).status_code == 204
    created = org.create_organization(CreateOrganizationRequest())
    assert created.status_code == 201 and created.organization.management_account_id == MANAGEMENT
    accept(invitee, invite(org, INVITEE))
    assert invitee.leave_organization(LeaveOrganizationRequest()).status_code == 200


def test_list_accounts_marker_pages(server):
    org = client(server, MANAGEMENT)
    for account in [INVITEE, *STANDALONE]:
        accept(client(server, account), invite(org, account))
    seen, marker, pages = [], None, 0
    while True:
        response = org.list_accounts(ListAccountsRequest(limit=2, marker=marker))
        pages += 1
        seen += [a.id for a in response.accounts]
        assert response.page_info.current_count == len(response.accounts)
        marker = response.page_info.next_marker
        if not marker:
            break
    assert pages == 3 and len(seen) == 5 and set(seen) == {MANAGEMENT, INVITEE, *STANDALONE}
    assert account_ids(org) == seen
    assert error_of(lambda: org.list_accounts(ListAccountsRequest(limit=1, marker="not-a-marker-we-issued"))).status_code == 400


def test_every_refusal(server):
    org = client(server, MANAGEMENT)
    member = client(server, INVITEE)
    accept(member, invite(org, INVITEE))
    stranger = client(server, STANDALONE[0])
    for call in (
        lambda: show_organization(stranger),
        lambda: stranger.list_accounts(ListAccountsRequest()),
        lambda: stranger.show_account(ShowAccountRequest(account_id=MANAGEMENT)),
        lambda: stranger.leave_organization(LeaveOrganizationRequest()),
        lambda: stranger.remove_account(RemoveAccountRequest(account_id=INVITEE)),
        lambda: stranger.delete_organization(DeleteOrganizationRequest()),
    ):
        refused = error_of(call)
        assert (refused.status_code, refused.error_code) == (401, "Organizations.1015")
    # remove_account and delete_organization: the management account only (1001).
    for call in (
        lambda: member.remove_account(RemoveAccountRequest(account_id=MANAGEMENT)),
        lambda: member.delete_organization(DeleteOrganizationRequest()),
    ):
        refused = error_of(call)
        assert (refused.status_code, refused.error_code) == (401, "Organizations.1001")
        assert refused.request_id
    # Refusals Huawei documents no code for answer the crate's marked placeholders.
    undocumented = [
        error_of(lambda: org.create_organization(CreateOrganizationRequest())),
        error_of(lambda: member.create_organization(CreateOrganizationRequest())),
        error_of(lambda: org.delete_organization(DeleteOrganizationRequest())),
        error_of(lambda: org.leave_organization(LeaveOrganizationRequest())),
        error_of(lambda: org.remove_account(RemoveAccountRequest(account_id=MANAGEMENT))),
        error_of(lambda: org.show_account(ShowAccountRequest(account_id=STANDALONE[0]))),
        error_of(lambda: org.remove_account(RemoveAccountRequest(account_id=STANDALONE[0]))),
    ]
    for refused in undocumented:
        assert 400 <= refused.status_code < 500
        assert refused.error_code.startswith("Organizations.Unverified."), refused.error_code
    assert undocumented[0].error_code == undocumented[1].error_code  # already in an organization, twice
    assert undocumented[3].error_code == undocumented[4].error_code  # the management account cannot go
    assert undocumented[5].error_code == undocumented[6].error_code  # not the organization's account
    assert len({r.error_code for r in undocumented}) == 4
    # Nothing changed.
    assert sorted(account_ids(org)) == sorted([MANAGEMENT, INVITEE])
    assert show_organization(member).id == ORG


def test_a_leave_and_a_create_survive_kill_9(server):
    org = client(server, MANAGEMENT)
    member = client(server, INVITEE)
    accept(member, invite(org, INVITEE))
    member.leave_organization(LeaveOrganizationRequest())
    created = member.create_organization(CreateOrganizationRequest()).organization
    server.kill9()
    server.restart()
    org, member = client(server, MANAGEMENT), client(server, INVITEE)
    assert show_organization(member).id == created.id
    assert account_ids(member) == [INVITEE]
    assert account_ids(org) == [MANAGEMENT]
    lines = [(l["provider"], l["operation"]) for l in server.journal_lines()]
    assert lines[-2:] == [("huawei", "leave_organization"), ("huawei", "create_organization")]


def test_a_member_reading_accounts_gets_the_delegated_administrator_code(server):
    # ListAccounts and ShowAccount may be called by "the management account or a member account
    # that is a delegated administrator": ErrorCode.html's Organizations.1002 is that refusal,
    # as the crate answers it for list_handshakes, whose caller rule is the same.
    org, member = client(server, MANAGEMENT), client(server, INVITEE)
    accept(member, invite(org, INVITEE))
    for call in (
        lambda: member.list_accounts(ListAccountsRequest()),
        lambda: member.show_account(ShowAccountRequest(account_id=MANAGEMENT)),
    ):
        refused = error_of(call)
        assert (refused.status_code, refused.error_code) == (401, "Organizations.1002")
