"""HTTP GET with the limits a producer needs: a total deadline, a size cap, conditional headers.

A slow or huge response must not stall a feed loop or fill memory, so the body is
streamed and abandoned past ``max_bytes``, and the whole exchange runs under one
deadline (httpx's own timeouts are per read, a server dripping bytes defeats them).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httpx

USER_AGENT = "storywatch-ingest/0.1 (+https://github.com/storywatch)"


class FetchError(Exception):
    """A fetch that gave no usable body; ``kind`` is the metrics label (timeout, too_large, http, network)."""

    def __init__(self, url: str, kind: str, problem: str) -> None:
        super().__init__(f"{url}: {problem}")
        self.url = url
        self.kind = kind


@dataclass(frozen=True)
class Fetched:
    status: int
    url: str
    content: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """If-None-Match / If-Modified-Since from what the previous response said."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


async def _read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(str(response.url), "too_large", f"body of {declared} bytes exceeds the limit of {max_bytes}")
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) > max_bytes:
            raise FetchError(str(response.url), "too_large", f"body exceeds the limit of {max_bytes} bytes")
    return bytes(body)


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    *,
    timeout: float,
    max_bytes: int,
    headers: dict[str, str] | None = None,
) -> Fetched:
    """GET ``url``; 200 and 304 come back, anything else raises FetchError."""
    try:
        async with asyncio.timeout(timeout):
            async with client.stream("GET", url, headers={"User-Agent": USER_AGENT, **(headers or {})}) as response:
                if response.status_code == 304:
                    return Fetched(304, str(response.url))
                if response.status_code != 200:
                    raise FetchError(url, "http", f"HTTP {response.status_code}")
                content = await _read_capped(response, max_bytes)
                h = response.headers
                return Fetched(200, str(response.url), content, h.get("etag"), h.get("last-modified"), h.get("content-type"))
    except TimeoutError:
        raise FetchError(url, "timeout", f"no complete response within {timeout:g} s") from None
    except httpx.HTTPError as exc:
        raise FetchError(url, "network", f"{type(exc).__name__}: {exc}") from None
