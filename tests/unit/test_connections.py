"""Commands packed by hiredis are byte for byte what redis-py's own asyncio packer sends."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from redis.asyncio.connection import Connection, SSLConnection, UnixDomainSocketConnection
from redis.exceptions import DataError

from storywatch.connections import connect, pack, packed_by_hiredis

REFERENCE = Connection()

arguments = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",))),
    st.binary(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=False),
)


@given(st.sampled_from(["SET", "EVAL", "CONFIG GET", b"XADD", b"CLIENT LIST"]), st.lists(arguments, max_size=30))
def test_pack_equals_redis_py(name: str | bytes, args: list) -> None:
    assert pack((name, *args)) == b"".join(REFERENCE.pack_command(name, *args))


def test_large_arguments_and_buffers() -> None:
    body = "ä" * 20_000
    args = ("EVAL", "return 1", 1, "k", body, bytearray(b"ab"), memoryview(b"cd"), 7)
    assert pack(args) == b"".join(REFERENCE.pack_command(*args))


def test_pipeline_packing_joins_the_same_commands() -> None:
    packed = packed_by_hiredis(Connection)()
    commands = [("MULTI",), ("SET", "a", 1), ("EVAL", "return 1", 0), ("EXEC",)]
    assert b"".join(packed.pack_commands(commands)) == b"".join(REFERENCE.pack_commands(commands))


@pytest.mark.parametrize("bad", [True, None, [1], {"a": 1}])
def test_unsendable_arguments_are_data_errors_as_before(bad: object) -> None:
    with pytest.raises(DataError):
        REFERENCE.pack_command("SET", "k", bad)
    with pytest.raises(DataError):
        pack(("SET", "k", bad))


def test_lone_surrogates_fail_as_before() -> None:
    with pytest.raises(UnicodeEncodeError):
        pack(("SET", "k", "\ud800"))


@pytest.mark.parametrize("base", [Connection, SSLConnection, UnixDomainSocketConnection])
def test_every_transport_keeps_its_class(base: type) -> None:
    assert issubclass(packed_by_hiredis(base), base)


def test_clients_pack_with_hiredis() -> None:
    for url in ("redis://127.0.0.1:1", "rediss://127.0.0.1:1", "unix:///tmp/none.sock"):
        cls = connect(url).connection_pool.connection_class
        assert cls.pack_command is not Connection.pack_command, url
