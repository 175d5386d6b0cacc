"""org-handshake for Python: the reference semantics of cloud-organization invitation
handshakes (AWS Organizations, Huawei Cloud Organizations, Alibaba Cloud Resource Directory).

- :class:`Service`: one provider's service over a ledger (the Rust core, in process).
- :func:`mock_organizations`: answers boto3's ``organizations`` calls in process.
- :class:`Server`: the org-handshake-server emulator (for SDKs without a request hook);
  the pytest plugin's ``org_handshake_server`` fixture manages one.
"""

from ._native import (
    VECTOR_FORMAT,
    CallError,
    LedgerError,
    OrgHandshakeError,
    OverrideError,
    Reply,
    RestoreError,
    Service,
    WorldError,
)
from .mock import mock_organizations, patch_client
from .server import Server
from .worlds import default_world

__all__ = [
    "VECTOR_FORMAT",
    "CallError",
    "LedgerError",
    "OrgHandshakeError",
    "OverrideError",
    "Reply",
    "RestoreError",
    "Server",
    "Service",
    "WorldError",
    "default_world",
    "mock_organizations",
    "patch_client",
]
