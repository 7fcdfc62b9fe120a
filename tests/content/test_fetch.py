import pytest

from factcheck.content import ArticleTooLarge, FetchFailed, FetchRefused, UnsupportedContent
from factcheck.content.fetch import FetchOptions, check_address, fetch
from tests.httpserver import ARTICLE_HTML, big, gzip_bomb, html, redirect, slow

LOOPBACK_ALLOWED = FetchOptions(allowed_networks=("127.0.0.0/8",), connect_timeout=2,
                                read_timeout=1.5, max_bytes=1024 * 1024)


def test_fetches_html_page(http_server):
    http_server.routes["/a"] = html(ARTICLE_HTML)
    page = fetch(http_server.url("/a"), LOOPBACK_ALLOWED)
    assert page.content_type == "text/html"
    assert page.charset == "utf-8"
    assert b"Harbour Bridge" in page.body


def test_follows_redirects_and_records_them(http_server):
    http_server.routes["/old"] = redirect("/new", 301)
    http_server.routes["/new"] = html(ARTICLE_HTML)
    page = fetch(http_server.url("/old"), LOOPBACK_ALLOWED)
    assert page.url == http_server.url("/new")
    assert page.redirects == (http_server.url("/old"),)


def test_loopback_refused_without_allow_list(http_server):
    http_server.routes["/a"] = html(ARTICLE_HTML)
    with pytest.raises(FetchRefused, match="not a public"):
        fetch(http_server.url("/a"), FetchOptions())


@pytest.mark.parametrize("target", [
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.7/",
    "http://192.168.1.1/admin",
    "http://[::1]/",
    "http://0.0.0.0/",
])
def test_redirect_to_private_address_refused(http_server, target):
    http_server.routes["/go"] = redirect(target)
    with pytest.raises(FetchRefused):
        fetch(http_server.url("/go"), LOOPBACK_ALLOWED)


def test_name_resolving_to_loopback_refused():
    with pytest.raises(FetchRefused):
        fetch("http://localhost:9/", FetchOptions())


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.0.1",
                                     "169.254.1.1", "::1", "fe80::1", "fc00::1", "224.0.0.1",
                                     "100.64.0.1", "::ffff:127.0.0.1", "0.0.0.0"])
def test_non_public_addresses_refused(address):
    with pytest.raises(FetchRefused):
        check_address(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1::1"])
def test_public_addresses_pass(address):
    check_address(address)


def test_too_many_redirects(http_server):
    http_server.routes["/loop"] = redirect("/loop")
    with pytest.raises(FetchRefused, match="redirects"):
        fetch(http_server.url("/loop"), LOOPBACK_ALLOWED)


def test_slow_server_times_out(http_server):
    http_server.routes["/slow"] = slow(5)
    with pytest.raises(FetchFailed, match="too long"):
        fetch(http_server.url("/slow"), LOOPBACK_ALLOWED)


def test_oversize_body_cut_off(http_server):
    http_server.routes["/big"] = big(3 * 1024 * 1024)
    with pytest.raises(ArticleTooLarge):
        fetch(http_server.url("/big"), LOOPBACK_ALLOWED)


def test_gzip_bomb_cut_off_at_cap(http_server):
    http_server.routes["/bomb"] = gzip_bomb(50 * 1024 * 1024)
    with pytest.raises(ArticleTooLarge):
        fetch(http_server.url("/bomb"), LOOPBACK_ALLOWED)


@pytest.mark.parametrize("content_type", ["application/pdf", "image/png", "application/json"])
def test_non_html_content_refused(http_server, content_type):
    http_server.routes["/file"] = html("%PDF-1.4", content_type=content_type)
    with pytest.raises(UnsupportedContent):
        fetch(http_server.url("/file"), LOOPBACK_ALLOWED)


def test_http_error_reported(http_server):
    with pytest.raises(FetchFailed, match="404"):
        fetch(http_server.url("/missing"), LOOPBACK_ALLOWED)


@pytest.mark.parametrize("url", ["ftp://example.com/a", "file:///etc/passwd", "http://user:pw@example.com/",
                                 "javascript:alert(1)", "http:///nohost"])
def test_bad_urls_refused(url):
    with pytest.raises(FetchRefused):
        fetch(url, FetchOptions())


def test_connection_refused_is_a_fetch_failure():
    with pytest.raises(FetchFailed):
        fetch("http://127.0.0.1:9/", LOOPBACK_ALLOWED)
