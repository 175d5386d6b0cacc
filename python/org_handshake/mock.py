"""An in-process AWS Organizations for boto3: ``mock_organizations`` answers every
``organizations`` call botocore makes through its ``before-send`` event (the hook moto uses),
from an in-process :class:`~org_handshake.Service`, so no socket is opened. Every other
service's call is handed on untouched.

The request goes through the core's own routing, as on org-handshake-server: the operation from
``X-Amz-Target``, the caller from the access key id of the signature (a 12-digit key is that
account; any other key is the world's first management account).
"""

import functools
import inspect
import io
import os
import threading
from typing import Any, Callable, Optional
from urllib.parse import urlsplit

from ._native import Service
from .worlds import default_world

_EVENT_PREFIX = "before-send.organizations."
# The innermost active mock answers; a stack so that mocks may nest.
_ACTIVE = []
_LOCK = threading.Lock()
_REGISTERED = False


class _RawResponse(io.BytesIO):
    """The raw body botocore's AWSResponse streams from."""

    def stream(self, **_kwargs):
        contents = self.read()
        while contents:
            yield contents
            contents = self.read()


def _before_send(request, event_name: str = "", **_kwargs):
    """botocore's before-send handler: an answer for an organizations call while a mock is
    active, else ``None`` (botocore sends the request as usual)."""
    if not _ACTIVE or not event_name.startswith(_EVENT_PREFIX):
        return None
    return _ACTIVE[-1]._answer(request)


def _register() -> None:
    """Adds the handler to botocore's built-in handlers, which every session created afterwards
    registers on its clients (as moto does), ahead of the others."""
    global _REGISTERED
    if _REGISTERED:
        return
    from botocore import handlers

    first = getattr(handlers, "REGISTER_FIRST", None)
    spec = ("before-send", _before_send) if first is None else ("before-send", _before_send, first)
    handlers.BUILTIN_HANDLERS.append(spec)
    _REGISTERED = True


try:  # Registered at import, so that clients created before the mock starts are answered too.
    _register()
except ImportError:  # botocore is not installed: the mock cannot be used, the rest can.
    pass


def patch_client(client) -> None:
    """Registers the mock's handler on a client created before ``org_handshake`` was imported
    (such a client's events were copied from a session that did not know the handler)."""
    client.meta.events.register_first("before-send", _before_send, unique_id="org-handshake-mock")


class mock_organizations:
    """``with mock_organizations(world=..., now=...) as org:`` answers boto3's ``organizations``
    calls in the block from an in-process service; also a decorator (``@mock_organizations()``,
    a fresh service for each call of the function).

    - ``world``: the world in the conformance format (a dict or JSON text); default the AWS
      world org-handshake-server starts from (:func:`org_handshake.default_world`).
    - ``now``: the clock's start (``datetime`` or RFC 3339 text); default the current time.
      The clock stands still until :meth:`advance` moves it.
    - ``seed``: the seed of new handshake ids (the same seed, the same ids).
    - ``overrides``: corrections of the AWS error table (see :class:`org_handshake.Service`).

    While active, and only where they are not set, ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``
    are set to test values (the world's management account calls) and ``AWS_DEFAULT_REGION`` to
    ``us-east-1``, and boto3's default session is renewed so that it knows the handler.
    """

    def __init__(self, world: Any = None, now: Any = None, seed: int = 0, overrides: Any = None):
        self._world = default_world("aws") if world is None else world
        self._now = now
        self._seed = seed
        self._overrides = overrides
        self.service: Optional[Service] = None
        self._saved_env = {}
        self._saved_session = None

    # The session.

    def start(self) -> "mock_organizations":
        _register()
        self.service = Service("aws", self._world, now=self._now, seed=self._seed, overrides=self._overrides)
        with _LOCK:
            for key, value in (
                ("AWS_ACCESS_KEY_ID", "testing"),
                ("AWS_SECRET_ACCESS_KEY", "testing"),
                ("AWS_DEFAULT_REGION", "us-east-1"),
            ):
                if key not in os.environ:
                    self._saved_env[key] = None
                    os.environ[key] = value
            try:
                import boto3

                self._saved_session = ("boto3", boto3.DEFAULT_SESSION)
                boto3.DEFAULT_SESSION = None
            except ImportError:
                self._saved_session = None
            _ACTIVE.append(self)
        return self

    def stop(self) -> None:
        with _LOCK:
            if self in _ACTIVE:
                _ACTIVE.remove(self)
            for key in self._saved_env:
                os.environ.pop(key, None)
            self._saved_env = {}
            if self._saved_session is not None:
                import boto3

                boto3.DEFAULT_SESSION = self._saved_session[1]
                self._saved_session = None

    def __enter__(self) -> "mock_organizations":
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()

    def __call__(self, func: Callable) -> Callable:
        if inspect.iscoroutinefunction(func):
            raise TypeError("mock_organizations decorates plain functions")

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with mock_organizations(self._world, self._now, self._seed, self._overrides):
                return func(*args, **kwargs)

        return wrapper

    # Time and the record.

    @property
    def now(self):
        """The clock (an aware UTC ``datetime``)."""
        return self._require().now

    def advance(self, seconds: float = 0, *, minutes: float = 0, hours: float = 0, days: float = 0):
        """Moves the clock forward (``org.advance(days=16)``: past AWS's 15-day expiry);
        answers the new time."""
        return self._require().advance(seconds, minutes=minutes, hours=hours, days=days)

    def vector(self, id: Optional[str] = None, description: Optional[str] = None) -> dict:
        """The session so far as a conformance vector (a dict): the world it started from and
        each call that changed state, with the reply it got."""
        return self._require().vector(id, description)

    def _require(self) -> Service:
        if self.service is None:
            raise RuntimeError("the mock is not started")
        return self.service

    # botocore.

    def _answer(self, request):
        from botocore.awsrequest import AWSResponse

        url = urlsplit(request.url)
        headers = [
            (key, value.decode("latin-1") if isinstance(value, bytes) else str(value))
            for key, value in request.headers.items()
        ]
        body = request.body
        if hasattr(body, "read"):
            body = body.read()
        reply = self.service.handle(request.method, url.path or "/", url.query, headers, body)
        return AWSResponse(request.url, reply.status, reply.headers, _RawResponse(reply.text.encode()))
