"""The worlds org-handshake-server starts from when it is given none (its built-in defaults,
the organizations and accounts of the providers' documented examples), in the conformance
vectors' world format. They are the core's own (each provider's dialect holds its world), so
``mock_organizations``, which starts from the AWS one, and the server begin alike.
"""

import json

from . import _native


def default_world(provider: str) -> dict:
    """The server's built-in world of ``provider`` (``"aws"``, ``"huawei"``, ``"alibaba"``),
    a fresh copy the caller may change."""
    return json.loads(_native.default_world_json(provider))
