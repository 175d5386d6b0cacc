"""The pytest plugin (registered by the ``pytest11`` entry point, so installing the package
enables it): fixtures for an org-handshake-server shared by the test session.

- ``org_handshake_world`` (session scope): the worlds the server starts from, ``None`` for its
  built-in ones, or a dict with keys ``aws``/``huawei``/``alibaba``. Override it in a
  ``conftest.py`` (keep the session scope).
- ``org_handshake_server`` (session scope): a running :class:`org_handshake.Server` on a free
  port: ``.url``, ``.host_port``, ``.advance(seconds)``, ``.reset()``, ``.set_world(provider,
  world)``, ``.vector(provider)``; stopped at the end of the session.
- ``org_handshake_mock``: a started :class:`org_handshake.mock_organizations` for one test.
"""

import pytest


@pytest.fixture(scope="session")
def org_handshake_world():
    """The worlds the server starts from (``None``: its built-in worlds)."""
    return None


@pytest.fixture(scope="session")
def org_handshake_server(org_handshake_world):
    """An org-handshake-server for the test session."""
    from .server import Server

    server = Server(worlds=org_handshake_world)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def org_handshake_mock():
    """boto3's organizations calls answered in process, for one test."""
    from .mock import mock_organizations

    with mock_organizations() as org:
        yield org
