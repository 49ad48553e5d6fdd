"""HTTP GET with the limits a producer needs: a total deadline, a size cap, conditional headers,
public addresses only, a pace per host.

A slow or huge response must not stall a feed loop or fill memory, so the body is
streamed and abandoned past ``max_bytes``, and the whole exchange runs under one
deadline (httpx's own timeouts are per read, a server dripping bytes defeats them).

Links in a feed are chosen by whoever writes the feed: fetched blindly, a link to
``http://127.0.0.1/...``, ``http://10.0.0.5/admin`` or ``http://169.254.169.254/`` (cloud
metadata) would publish internal data as article text. ``PublicOnlyTransport`` resolves
every host itself, refuses any address that is not globally routable, and connects to
the address it checked (so a second DNS answer cannot differ); redirects go through it
again, hop by hop.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
import socket
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

# httpx logs every request's full URL at INFO, credentials included: only its warnings get through
logging.getLogger("httpx").setLevel(logging.WARNING)

USER_AGENT = "storywatch-ingest/0.1 (+https://github.com/storywatch)"


_SECRET_PARAM = re.compile(r"(?i)pass|secret|token|key|auth|sig|credential|session")


def redact_url(url: str) -> str:
    """The URL as it may be shown, logged or stored: no userinfo password, no secret-looking
    query values (``token=``, ``api_key=``, ``sig=`` ...)."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return url
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, host = netloc.rpartition("@")
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}:***@{host}" if ":" in userinfo else f"{user}@{host}"
    query = [(k, "***" if _SECRET_PARAM.search(k) else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    return urlunsplit(parts._replace(netloc=netloc, query=urlencode(query, safe="*")))


class BlockedAddress(httpx.TransportError):
    """The host resolves to an address fetches may not reach (loopback, private, link-local ...)."""


def is_public(address: str) -> bool:
    """True for a globally routable unicast address (pure); IPv4-mapped IPv6 is judged as IPv4."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class PublicOnlyTransport(httpx.AsyncBaseTransport):
    """An httpx transport that only connects to public addresses, resolved and checked here."""

    def __init__(self, inner: httpx.AsyncBaseTransport | None = None) -> None:
        self._inner = inner or httpx.AsyncHTTPTransport()

    async def _address(self, host: str, port: int) -> str:
        try:
            ipaddress.ip_address(host)
            candidates = [host]
        except ValueError:
            try:
                infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except OSError as exc:
                raise httpx.ConnectError(f"cannot resolve {host}: {exc}") from None
            candidates = list(dict.fromkeys(str(info[4][0]) for info in infos))
        refused = [a for a in candidates if not is_public(a)]
        if refused or not candidates:
            raise BlockedAddress(f"{host} resolves to {', '.join(refused) or 'nothing'}, which is not a public address")
        return candidates[0]

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        address = await self._address(host, request.url.port or (443 if request.url.scheme == "https" else 80))
        pinned = httpx.Request(request.method, request.url.copy_with(host=address), headers=request.headers,
                               stream=request.stream, extensions={**request.extensions, "sni_hostname": host})
        return await self._inner.handle_async_request(pinned)

    async def aclose(self) -> None:
        await self._inner.aclose()


class HostPace:
    """At most one request start per ``interval`` seconds to any one host (politeness to
    the sites a feed links to, and no burst of thousands of fetches at one server)."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._next: dict[str, float] = {}

    def reserve(self, url: str, now: float) -> float:
        """Book the next start on ``url``'s host; the seconds to wait before it (pure but for the booking)."""
        host = urlsplit(url).hostname or url
        start = max(now, self._next.get(host, now))
        self._next[host] = start + self.interval
        return start - now

    async def wait(self, url: str) -> None:
        if self.interval > 0 and (delay := self.reserve(url, time.monotonic())) > 0:
            await asyncio.sleep(delay)


def page_client(timeout: float, public_only: bool) -> httpx.AsyncClient:
    """The client for pages that feeds link to: public addresses only unless allowed,
    no proxy from the environment (the address check must see the real destination)."""
    transport = PublicOnlyTransport() if public_only else None
    return httpx.AsyncClient(follow_redirects=True, max_redirects=5, timeout=timeout, transport=transport, trust_env=not public_only)


class FetchError(Exception):
    """A fetch that gave no usable body; ``kind`` is the metrics label (timeout, too_large, http, network, blocked)."""

    def __init__(self, url: str, kind: str, problem: str) -> None:
        url = redact_url(url)
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
    except BlockedAddress as exc:
        raise FetchError(url, "blocked", f"refused: {exc} (set STORYWATCH_FETCH_PRIVATE_PAGES=true to allow)") from None
    except httpx.HTTPError as exc:
        raise FetchError(url, "network", f"{type(exc).__name__}: {exc}") from None
