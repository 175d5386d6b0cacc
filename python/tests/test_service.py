"""The bindings of the core's Service: calls in each provider's shape, replies, world changes,
overrides, save/restore, time as datetime, and errors as Python exceptions for anything a
caller may pass."""

import datetime
import itertools
import json

import pytest

import org_handshake
from org_handshake import Service

START = datetime.datetime(2026, 1, 5, 10, 0, tzinfo=datetime.timezone.utc)
INVITE = {"Target": {"Id": "222222222222", "Type": "ACCOUNT"}}


def aws(**kwargs):
    return Service("aws", org_handshake.default_world("aws"), now=START, **kwargs)


def test_a_call_answers_a_reply_with_status_body_headers_and_events():
    service = aws()
    reply = service.call("InviteAccountToOrganization", "111111111111", INVITE, new_ids=["h-0123456789"])
    assert (reply.status, reply.error, reply.changed) == (200, None, True)
    assert reply.body["Handshake"]["Id"] == "h-0123456789"
    assert json.loads(reply.text) == reply.body
    assert reply.header("content-type") == "application/x-amz-json-1.1"
    assert [e["event"] for e in reply.events] == ["handshake_requested"]
    missing = service.call("DescribeHandshake", "111111111111", {"HandshakeId": "h-9999999999"})
    assert (missing.status, missing.error, missing.events) == (404, "not_found", [])
    assert missing.headers["X-Amzn-ErrorType"] == "HandshakeNotFoundException"
    # The code and reason the body carries, without reading the body.
    assert (missing.error_code, missing.error_reason) == ("HandshakeNotFoundException", None)
    malformed = service.call("DescribeHandshake", "111111111111", {"HandshakeId": "h-1"})
    assert (malformed.error_code, malformed.error_reason) == (malformed.body["__type"], malformed.body["Reason"])
    assert malformed.error_reason is not None


def test_every_provider_in_its_own_shape():
    huawei = Service("huawei", org_handshake.default_world("huawei"), now=START)
    reply = huawei.call("show_handshake", "0a6d25d23900d45c0faac010e0fb4de0", {"path": {"handshake_id": "h-0123456789"}})
    assert reply.error == "not_found"
    alibaba = Service("alibaba", org_handshake.default_world("alibaba"), now=START)
    reply = alibaba.call("GetHandshake", "1512666876910000", {"HandshakeId": "h-0123456789abcdef"})
    assert (reply.error, reply.body["Code"]) == ("not_found", "EntityNotExists.Handshake")
    assert reply.error_code == "EntityNotExists.Handshake"


def test_time_is_a_datetime_and_moves_only_when_told():
    service = aws()
    assert service.now == START
    service.call("InviteAccountToOrganization", "111111111111", INVITE)
    assert service.now == START
    assert service.advance(days=16) == START + datetime.timedelta(days=16)
    listed = service.call("ListHandshakesForOrganization", "111111111111", {})
    assert [h["State"] for h in listed.body["Handshakes"]] == ["EXPIRED"]
    # A naive datetime is UTC; text is RFC 3339; a later `now` moves the clock.
    later = datetime.datetime(2026, 3, 1)
    service.call("ListHandshakesForOrganization", "111111111111", {}, now=later)
    assert service.now == later.replace(tzinfo=datetime.timezone.utc)
    service.now = "2026-04-01T00:00:00+02:00"
    assert service.now == datetime.datetime(2026, 3, 31, 22, tzinfo=datetime.timezone.utc)
    with pytest.raises(ValueError):
        service.advance(-1)
    # A clock set back before the ledger's last change: the provider's refusal, nothing changed.
    service.now = START - datetime.timedelta(days=1)
    refused = service.call("InviteAccountToOrganization", "111111111111", {"Target": {"Id": "444444444444", "Type": "ACCOUNT"}})
    assert (refused.status, refused.error) == (409, "concurrent_modification")
    service.now = later
    listed = service.call("ListHandshakesForOrganization", "111111111111", {})
    assert listed.body["Handshakes"] == []  # the first one is past retention; none was added


def test_seeded_ids_repeat_and_explicit_ids_are_checked():
    first = aws(seed=3).call("InviteAccountToOrganization", "111111111111", INVITE).body["Handshake"]["Id"]
    again = aws(seed=3).call("InviteAccountToOrganization", "111111111111", INVITE).body["Handshake"]["Id"]
    other = aws(seed=4).call("InviteAccountToOrganization", "111111111111", INVITE).body["Handshake"]["Id"]
    assert first == again != other
    with pytest.raises(org_handshake.CallError) as err:
        aws().call("InviteAccountToOrganization", "111111111111", INVITE, new_ids=[])
    assert err.value.code == "missing_new_ids"
    with pytest.raises(org_handshake.CallError) as err:
        aws().call("InviteAccountToOrganization", "111111111111", INVITE, new_ids=["not an id"])
    assert err.value.code == "invalid_new_id"


def test_save_and_restore_answer_alike():
    service = aws()
    handshake = service.call("InviteAccountToOrganization", "111111111111", INVITE).body["Handshake"]["Id"]
    restored = Service.restore(service.save())
    accept = {"HandshakeId": handshake}
    assert restored.call("AcceptHandshake", "222222222222", accept).text == service.call("AcceptHandshake", "222222222222", accept).text
    assert restored.now == service.now
    assert restored.vector() == service.vector()
    # The id source continues alike.
    invite = {"Target": {"Id": "444444444444", "Type": "ACCOUNT"}}
    assert (
        restored.call("InviteAccountToOrganization", "111111111111", invite).body["Handshake"]["Id"]
        == service.call("InviteAccountToOrganization", "111111111111", invite).body["Handshake"]["Id"]
    )
    for bad in ["", "{}", "[1]", json.dumps({"format": "x"}), service.save().replace('"aws"', '"azure"')]:
        with pytest.raises(org_handshake.RestoreError) as err:
            Service.restore(bad)
        assert err.value.code


def test_world_changes_and_their_refusals():
    service = aws()
    events = service.add_account("777777777777", "ravi", "ravi@example.com")
    assert events == [] or all("event" in e for e in events)
    reply = service.call("InviteAccountToOrganization", "111111111111", {"Target": {"Id": "ravi@example.com", "Type": "EMAIL"}})
    assert reply.status == 200, reply.text
    with pytest.raises(org_handshake.LedgerError) as err:
        service.add_account("888888888888", "other", "ravi@example.com")
    assert err.value.code == "email_taken"
    with pytest.raises(org_handshake.LedgerError) as err:
        service.remove_member("111111111111")
    assert err.value.code == "management_account_cannot_leave"
    service.remove_member("333333333333")
    invited = service.call("InviteAccountToOrganization", "111111111111", {"Target": {"Id": "333333333333", "Type": "ACCOUNT"}})
    assert invited.status == 200, invited.text
    service.add_account("999999999999", "boss")
    service.add_organization("o-zzzzzzzzzz", "999999999999", "ALL")
    listed = service.call("ListHandshakesForOrganization", "999999999999", {})
    assert (listed.status, listed.body["Handshakes"]) == (200, [])
    with pytest.raises(org_handshake.OrgHandshakeError) as err:
        service.vector()  # a vector cannot replay world changes
    assert err.value.code == "world_changed"
    with pytest.raises(org_handshake.OrgHandshakeError) as err:
        service.add_account("not-an-account", "x")
    assert err.value.code == "invalid_id"


def test_overrides_correct_the_error_table():
    fixed = Service(
        "huawei",
        org_handshake.default_world("huawei"),
        now=START,
        overrides=[{"kind": "not_found", "code": "Organizations.1404", "status": 410}],
    )
    reply = fixed.call("show_handshake", "0a6d25d23900d45c0faac010e0fb4de0", {"path": {"handshake_id": "h-0123456789"}})
    assert (reply.status, reply.body["error_code"]) == (410, "Organizations.1404")
    # The server's --overrides format: `from` narrows to the rows answering that code today.
    narrowed = Service(
        "aws", now=START, overrides=[{"kind": "not_found", "from": "HandshakeNotFoundException", "code": "Gone"}]
    )
    reply = narrowed.call("DescribeHandshake", "111111111111", {"HandshakeId": "h-0123456789"})
    assert (reply.status, reply.body["__type"]) == (404, "Gone")
    with pytest.raises(org_handshake.OverrideError) as err:
        Service("aws", overrides=[{"kind": "not_found", "operation": "NoSuchOperation"}])
    assert err.value.code == "no_such_row"
    with pytest.raises(org_handshake.OverrideError) as err:
        Service("aws", overrides=[{"kind": "not_found", "from": "NoSuchCode"}])
    assert err.value.code == "no_such_row"
    with pytest.raises(org_handshake.OverrideError):
        Service("aws", overrides=[{"kind": "not_found", "status": 99}])
    with pytest.raises(org_handshake.OverrideError) as err:
        Service("aws", overrides=[{"kind": "not_found", "colour": "red"}])
    assert err.value.code == "invalid_overrides"


def test_a_bad_world_or_provider_is_an_exception_with_the_cores_code():
    with pytest.raises(org_handshake.WorldError) as err:
        Service("alibaba", org_handshake.default_world("aws"))
    assert err.value.code == "id_outside_pattern"
    with pytest.raises(org_handshake.WorldError) as err:
        Service("aws", {"acounts": []})
    assert err.value.code == "invalid_world"
    with pytest.raises(org_handshake.OrgHandshakeError) as err:
        Service("azure")
    assert err.value.code == "unknown_provider"


class Opaque:
    pass


def deep(levels):
    value = []
    for _ in range(levels):
        value = [value]
    return value


GARBAGE = [
    None, 0, -1, 2**70, 1.5, float("nan"), float("inf"), True, "", "x" * 100_000, "\ud800", b"\xff\xfe",
    b"{", "{", "[]", "null", [], {}, {1: 2}, {"HandshakeId": Opaque()}, {"HandshakeId": 7},
    {"HandshakeId": "h-" + "a" * 10_000}, {"Target": {"Id": None, "Type": []}}, deep(100_000), Opaque(),
    (1, 2), {"": {"": {"": None}}}, "\x00", datetime.datetime.now(),
]
OPERATIONS = {
    "aws": ["InviteAccountToOrganization", "AcceptHandshake", "DescribeHandshake", "ListHandshakesForOrganization", "EnableAllFeatures", "Nope", ""],
    "huawei": ["invite_account", "accept_handshake", "show_handshake", "list_handshakes", "nope"],
    "alibaba": ["InviteAccountToResourceDirectory", "AcceptHandshake", "GetHandshake", "ListHandshakesForAccount", "Nope"],
}
ALLOWED = (org_handshake.OrgHandshakeError, TypeError, ValueError, OverflowError)


def test_garbage_anywhere_is_an_exception_or_the_providers_reply_never_a_crash():
    count = 0
    for provider, operations in OPERATIONS.items():
        service = Service(provider, org_handshake.default_world(provider), now=START)
        callers = ["", "111111111111", "0a6d25d23900d45c0faac010e0fb4de0", "1512666876910000", "x" * 5000, "\x00"]
        for operation, caller, request in itertools.product(operations, callers, GARBAGE):
            count += 1
            try:
                reply = service.call(operation, caller, request)
            except ALLOWED:
                continue
            assert 200 <= reply.status < 600
            json.loads(reply.text)
        for value in GARBAGE:
            for call in (
                lambda: service.call(value, "111111111111", {}),
                lambda: service.call("DescribeHandshake", value, {}),
                lambda: service.call("DescribeHandshake", "111111111111", {}, now=value),
                lambda: service.call("InviteAccountToOrganization", "111111111111", INVITE, new_ids=value),
                lambda: service.handle(value, "/", "", [], b""),
                lambda: service.handle("POST", "/", value, [], b""),
                lambda: service.handle("POST", "/", "", value, b""),
                lambda: service.handle("POST", "/", "", [("X-Amz-Target", "AWSOrganizationsV20161128.DescribeHandshake")], value),
                lambda: service.handle("GET", "/v1/received-handshakes", "", [("X-Domain-Id", "\x00")], value),
                lambda: Service(provider, value),
                lambda: Service(provider, now=value),
                lambda: Service(provider, overrides=value),
                lambda: Service.restore(value),
                lambda: service.add_account(value, "x"),
                lambda: service.add_organization("o-abcdefghij", value, value),
                lambda: service.remove_member(value),
                lambda: service.advance(value),
                lambda: service.set_world(value),
                lambda: service.vector(value),
            ):
                count += 1
                try:
                    call()
                except ALLOWED:
                    pass
    assert count > 1000
