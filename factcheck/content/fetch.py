"""Fetch a web page safely: public addresses only, bounded time, size and redirects.

The host name is resolved here and the connection goes to the address that was
checked, so a DNS answer cannot change between the check and the connection.
Every redirect is checked again the same way.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
import zlib
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import urljoin, urlsplit

from .errors import ArticleTooLarge, FetchFailed, FetchRefused, UnsupportedContent

ACCEPTED_TYPES = {"text/html", "application/xhtml+xml", "text/plain"}
REDIRECT_CODES = {301, 302, 303, 307, 308}
CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class FetchOptions:
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    allowed_networks: tuple[str, ...] = ()
    user_agent: str = "factcheck/1.0"

    @classmethod
    def from_config(cls, config) -> "FetchOptions":
        """Options from the app's settings (any mapping with the FETCH_* keys)."""
        return cls(
            connect_timeout=config["FETCH_CONNECT_TIMEOUT"],
            read_timeout=config["FETCH_READ_TIMEOUT"],
            max_bytes=config["MAX_ARTICLE_BYTES"],
            max_redirects=config["FETCH_MAX_REDIRECTS"],
            allowed_networks=tuple(config["FETCH_ALLOWED_NETWORKS"]),
            user_agent=config["FETCH_USER_AGENT"],
        )


@dataclass(frozen=True, slots=True)
class FetchedPage:
    url: str                 # after redirects
    content_type: str        # "text/html" or "text/plain"
    body: bytes              # decompressed
    charset: str | None = None
    redirects: tuple[str, ...] = field(default=())


def fetch(url: str, options: FetchOptions = FetchOptions()) -> FetchedPage:
    """GET ``url`` following redirects, or raise a named error saying why not."""
    seen: list[str] = []
    deadline = time.monotonic() + options.connect_timeout + options.read_timeout
    for _ in range(options.max_redirects + 1):
        response_url, status, headers, body = _get_once(url, options, deadline)
        if status in REDIRECT_CODES:
            location = headers.get("Location")
            if not location:
                raise FetchFailed(f"The server answered {status} without a Location.")
            seen.append(url)
            url = urljoin(url, location)
            continue
        if status >= 400:
            raise FetchFailed(f"The server answered {status} for {response_url}.")
        content_type, charset = _content_type(headers)
        if content_type not in ACCEPTED_TYPES:
            raise UnsupportedContent(
                f"The URL points to {content_type or 'content of no declared type'}, "
                "not an HTML page or plain text."
            )
        return FetchedPage(response_url, content_type, body, charset, tuple(seen))
    raise FetchRefused(f"More than {options.max_redirects} redirects.")


def check_address(address: str, allowed: tuple[str, ...] = ()) -> None:
    """Refuse loopback, private, link-local, multicast and reserved addresses."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if getattr(ip, "ipv4_mapped", None):
        ip = ip.ipv4_mapped
    if any(ip in ipaddress.ip_network(net, strict=False) for net in allowed):
        return
    if not ip.is_global or ip.is_multicast:
        raise FetchRefused(f"The address {ip} is not a public internet address.")


def _resolve(host: str, port: int, options: FetchOptions) -> str:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchFailed(f"The host name {host!r} could not be resolved.") from error
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise FetchFailed(f"The host name {host!r} has no address.")
    for address in addresses:  # every answer must be public, not just the first
        check_address(address, options.allowed_networks)
    return addresses[0]


def _get_once(url: str, options: FetchOptions, deadline: float):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchRefused("Only http and https URLs can be fetched.")
    if not parts.hostname:
        raise FetchRefused("The URL has no host name.")
    if parts.username or parts.password:
        raise FetchRefused("URLs with a user name or password are not fetched.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise FetchRefused("The URL has an invalid port.") from error
    address = _resolve(parts.hostname, port, options)
    connection_class = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
    connection = connection_class(parts.hostname, port, address, timeout=options.connect_timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("GET", path, headers={
            "User-Agent": options.user_agent,
            "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9",
            "Accept-Encoding": "gzip, deflate",
        })
        connection.sock.settimeout(max(0.1, min(options.read_timeout, deadline - time.monotonic())))
        response = connection.getresponse()
        if response.status in REDIRECT_CODES:
            return url, response.status, response.headers, b""
        body = _read_body(response, options, deadline)
        return url, response.status, response.headers, body
    except (socket.timeout, TimeoutError) as error:
        raise FetchFailed("The site took too long to answer.") from error
    except ssl.SSLError as error:
        raise FetchFailed(f"The secure connection failed ({error.reason}).") from error
    except (OSError, http.client.HTTPException) as error:
        raise FetchFailed(f"The page could not be fetched ({error.__class__.__name__}).") from error
    finally:
        connection.close()


def _read_body(response: http.client.HTTPResponse, options: FetchOptions, deadline: float) -> bytes:
    encoding = (response.headers.get("Content-Encoding") or "identity").lower().strip()
    if encoding in ("gzip", "x-gzip", "deflate"):
        decoder = zlib.decompressobj(47)  # gzip or zlib header, detected
    elif encoding == "identity":
        decoder = None
    else:
        raise UnsupportedContent(f"The page uses an unsupported encoding ({encoding}).")
    declared = response.headers.get("Content-Length")
    if decoder is None and declared and declared.isdigit() and int(declared) > options.max_bytes:
        raise _too_large(options)
    out = bytearray()
    while True:
        if time.monotonic() > deadline:
            raise FetchFailed("The site took too long to send the page.")
        chunk = response.read(CHUNK)
        if not chunk:
            break
        if decoder is None:
            out += chunk
        else:
            # max_length bounds what one small compressed chunk may expand to.
            out += decoder.decompress(chunk, options.max_bytes + 1 - len(out))
            if decoder.unconsumed_tail:
                raise _too_large(options)
        if len(out) > options.max_bytes:
            raise _too_large(options)
    if decoder is not None:
        out += decoder.flush()
        if len(out) > options.max_bytes:
            raise _too_large(options)
    return bytes(out)


def _too_large(options: FetchOptions) -> ArticleTooLarge:
    return ArticleTooLarge(f"The page is larger than the {options.max_bytes // (1024 * 1024)} MB limit.")


def _content_type(headers) -> tuple[str, str | None]:
    message = Message()
    message["Content-Type"] = headers.get("Content-Type", "")
    return message.get_content_type() if headers.get("Content-Type") else "", message.get_param("charset")


class _PinnedHTTP(http.client.HTTPConnection):
    """Talks to the checked address while naming the host in the request."""

    def __init__(self, host: str, port: int, address: str, *, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, *, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)
