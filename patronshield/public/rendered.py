"""Public pages and PDFs rendered once per content version, kept for every process.

A rendered page or PDF is stored in the cache named "public" (files under var/ by default,
kept across restarts; Redis with REDIS_URL), under a key made of what it depends on:
- the request's path (the language, the kind of sheet, /l/<slug>/ for a consortium member)
  and the few parameters that change it (the paper size);
- the content generation: a token in the same cache, replaced whenever a library, one of its
  public resources (the contacts) or a translation review is saved or deleted (signals, in
  apps.py), once at once and once more after the commit, so that a page rendered from the old
  rows in between is never found again;
- the deployment's digest: the bytes of this package's code, templates, static files and
  text (the rights text in every language, the state law tables), so an upgrade or a changed
  translation file shows at once, and no shared cache need be emptied.

The first request after a change renders; the requests that arrive meanwhile for the same
key wait for that render (a lock: an O_CREAT|O_EXCL file beside the file cache, where the
cache's own add() is not atomic; cache.add() elsewhere, atomic in Redis and in memory), and
later ones never render. Nothing here reads a cookie or the user: the answer is the same for
everyone, sent with `Cache-Control: public`, an ETag and Last-Modified (304 when unchanged).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import http_date, parse_http_date_safe

# Browsers and shared caches keep a page five minutes, and may show it for an hour more
# while they fetch it again in the background.
MAX_AGE = 300
STALE_WHILE_REVALIDATE = 3600
KEEP = 30 * 24 * 3600  # a stored copy unused this long goes (old generations' copies)
LOCK_WAIT = 120  # seconds a request waits for another's render before rendering itself
STALE_LOCK = 300  # a lock older than this was left by a process that died
POLL = 0.02
GENERATION_KEY = "public:generation"
PACKAGE = Path(__file__).resolve().parent.parent
DIGESTED = (".py", ".toml", ".html", ".css", ".js", ".svg", ".json")


def _deployment_digest() -> str:
    digest = hashlib.sha256()
    for top, dirs, files in os.walk(PACKAGE):
        dirs[:] = sorted(d for d in dirs if d not in ("__pycache__", "locale", "migrations"))
        for name in sorted(files):
            if name.endswith(DIGESTED):
                path = Path(top) / name
                digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


DEPLOYMENT = _deployment_digest()


def store():
    """The "public" cache; where it is not configured (tests), the default one."""
    return caches["public" if "public" in settings.CACHES else "default"]


# The generation as this process last read it, and until when it trusts that reading: a
# change made by another process shows here within GENERATION_TTL seconds (at once in the
# process that made it). A page found under the older generation meanwhile is the page as
# it was a second ago; one rendered meanwhile is stored under a key nobody asks for again.
# (Kept on the cache object, one a thread, so a new cache configuration starts afresh.)
GENERATION_TTL = 1.0


def generation() -> str:
    """The current content generation, made on first use (and again if the cache lost it:
    a new random token, so nothing stored under an older one is ever taken for it)."""
    cache = store()
    token, until = getattr(cache, "_public_generation", ("", 0.0))
    if time.monotonic() < until:
        return token
    if (token := cache.get(GENERATION_KEY)) is None:
        cache.add(GENERATION_KEY, f"{secrets.token_hex(8)}:{int(time.time())}", timeout=None)
        token = cache.get(GENERATION_KEY)
    cache._public_generation = (token, time.monotonic() + GENERATION_TTL)
    return token


def bump() -> None:
    """Something a public page or PDF shows has changed: every key changes."""
    cache = store()
    token = f"{secrets.token_hex(8)}:{int(time.time())}"
    cache.set(GENERATION_KEY, token, timeout=None)
    cache._public_generation = (token, time.monotonic() + GENERATION_TTL)
    _memory.clear()


@dataclass
class Rendered:
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)
    created: float = field(default_factory=time.time)


# ------------------------------------------------------------------------------ the lock
def _lock_path(cache, key: str) -> Path | None:
    if isinstance(cache, FileBasedCache):
        return Path(cache._dir) / (hashlib.sha256(key.encode()).hexdigest() + ".lock")
    return None


def _acquire(cache, key: str) -> bool:
    """True if this request renders; False if another holds the lock."""
    if (path := _lock_path(cache, key)) is None:
        return cache.add(f"{key}:lock", 1, timeout=STALE_LOCK)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        return True
    except FileExistsError:
        with contextlib.suppress(FileNotFoundError):
            if time.time() - path.stat().st_mtime > STALE_LOCK:
                path.unlink()  # its holder died: the next try takes it
        return False


def _release(cache, key: str) -> None:
    if (path := _lock_path(cache, key)) is None:
        cache.delete(f"{key}:lock")
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def get_or_render[T](key: str, render: Callable[[], T]) -> T:
    """The stored copy under `key`, else one render (one per key at a time, whatever the
    number of processes and threads asking), stored for the others."""
    cache = store()
    if (found := cache.get(key)) is not None:
        return found
    deadline = time.monotonic() + LOCK_WAIT
    while not _acquire(cache, key):
        time.sleep(POLL)
        if (found := cache.get(key)) is not None:
            return found
        if time.monotonic() > deadline:
            return render()  # the holder is too slow: answer without storing
    try:
        if (found := cache.get(key)) is not None:  # stored while this one took the lock
            return found
        rendered = render()
        cache.set(key, rendered, timeout=KEEP)
        return rendered
    finally:
        _release(cache, key)


# ----------------------------------------------------------------------------- responses
def key_for(kind: str, request, *parts: str) -> str:
    public_library = settings.PATRONSHIELD_PUBLIC_LIBRARY
    raw = "\0".join([kind, request.path, public_library, settings.SITE_URL, *parts])
    name = hashlib.sha256(raw.encode()).hexdigest()[:40]
    return f"public:{DEPLOYMENT}:{generation()}:{name}"


def etag_of(key: str) -> str:
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def make_public(response: HttpResponse) -> HttpResponse:
    """The same answer for everyone: shared caches and browsers may keep it a while."""
    patch_cache_control(
        response,
        public=True,
        max_age=MAX_AGE,
        stale_while_revalidate=STALE_WHILE_REVALIDATE,
    )
    return response


def public_response(request, response: HttpResponse) -> HttpResponse:
    """A public page rendered for this request (not stored): public cache headers, an ETag
    of its content, and 304 when the reader's copy is the same."""
    if response.status_code != 200 or response.has_header("Cache-Control"):
        return response
    make_public(response)
    if not response.streaming and not response.has_header("ETag"):
        set_response_etag(response)
    return get_conditional_response(request, etag=response["ETag"], response=response)


def respond(
    request, key: str, render: Callable[[], Rendered], *, by_path: bool = True
) -> HttpResponse:
    """The stored (or just rendered) copy as a public response, or 304 Not Modified.
    `by_path`: the path (and the paper size) alone name the page, so PublicPagesMiddleware
    may answer the next request for it from this process's memory."""
    rendered = get_or_render(key, render)
    response = HttpResponse(rendered.body, content_type=rendered.content_type)
    for name, value in rendered.headers.items():
        response[name] = value
    response["ETag"] = etag_of(key)
    response["Last-Modified"] = http_date(int(rendered.created))
    make_public(response)
    if by_path:
        response.public_key = key
    return get_conditional_response(
        request, etag=response["ETag"], last_modified=int(rendered.created), response=response
    )


# ------------------------------------------------------------------ this process's memory
MEMORY_ENTRIES = 256
MEMORY_MAX_BODY = 1_000_000
_memory: OrderedDict[tuple, tuple] = OrderedDict()
_memory_lock = threading.Lock()


def _memory_key(request) -> tuple:
    return (request.path, request.GET.get("size") == "a4")


def remember(request, response) -> None:
    """Keep a stored page's whole answer (every middleware's headers included) in memory."""
    key = getattr(response, "public_key", None)
    if key is None or response.status_code != 200 or len(response.content) > MEMORY_MAX_BODY:
        return
    entry = (key, list(response.items()), response.content)
    with _memory_lock:
        _memory[_memory_key(request)] = entry
        _memory.move_to_end(_memory_key(request))
        while len(_memory) > MEMORY_ENTRIES:
            _memory.popitem(last=False)


def recall(request) -> HttpResponse | None:
    """The answer remembered for this path, if it is still the current content's."""
    entry = _memory.get(_memory_key(request))
    if entry is None:
        return None
    key, headers, body = entry
    if not key.startswith(f"public:{DEPLOYMENT}:{generation()}:"):
        return None
    response = HttpResponse(body)
    for name, value in headers:
        response[name] = value
    return get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=parse_http_date_safe(response["Last-Modified"]),
        response=response,
    )


class PublicPagesMiddleware:
    """Right after SecurityMiddleware: a stored public page (a rights page or PDF) is
    answered from this process's memory without the rest of the middleware stack, whose
    headers it already carries. Only GET, only while the content generation is the one it
    was rendered under; the Host header is still checked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "GET" and _memory:
            request.get_host()  # DisallowedHost: 400, as further in
            if (response := recall(request)) is not None:
                return response
        response = self.get_response(request)
        remember(request, response)
        return response
