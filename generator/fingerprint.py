"""Stable digests of the data a page is made from, for deciding what must be rebuilt.

Documents are digested by their fields like any other value, so a document shown
differently from its file (a suggestion before its release is due, a story whose image
was refused) has a digest of its own without inventing one. Each instance is digested
once per build. The digest never depends on memory addresses, set order or the clock.
"""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date, datetime, tzinfo
from types import MappingProxyType
from typing import Any, Callable


def digest(data: bytes) -> str:
    """Digest bytes (file contents, output files)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def fingerprint(value: Any) -> str:
    """Digest any view-model value: plain data, dataclasses, documents, dates."""
    return Fingerprinter()(value)


class Fingerprinter:
    """Digests values, remembering each dataclass instance's digest for the build.

    The memo holds on to every instance it describes, so an id can never be reused
    by another object while the memo lives.
    """

    def __init__(self) -> None:
        self._memo: dict[int, tuple[object, bytes]] = {}

    def __call__(self, value: Any) -> str:
        h = hashlib.blake2b(digest_size=16)
        self._feed(value, h.update)
        return h.hexdigest()

    def _feed(self, value: Any, put: Callable[[bytes], None]) -> None:
        if value is None or isinstance(value, (bool, int, float)):
            put(repr(value).encode())
        elif isinstance(value, str):
            put(b"s%d:" % len(value))
            put(value.encode("utf-8", "surrogatepass"))
        elif isinstance(value, (tuple, list)):
            put(b"[%d" % len(value))
            for item in value:
                self._feed(item, put)
            put(b"]")
        elif isinstance(value, (datetime, date)):
            put(b"t" + value.isoformat().encode())
            if isinstance(value, datetime) and value.tzinfo is not None:
                put(str(value.tzinfo).encode())
        elif isinstance(value, (dict, MappingProxyType)):
            put(b"{%d" % len(value))
            for key, item in value.items():
                self._feed(key, put)
                self._feed(item, put)
            put(b"}")
        elif isinstance(value, tzinfo):
            put(b"z" + str(value).encode())
        elif isinstance(value, (set, frozenset)):
            put(b"<")
            for item in sorted(self(v) for v in value):
                put(item.encode())
            put(b">")
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            known = self._memo.get(id(value))
            if known is None:
                h = hashlib.blake2b(digest_size=16)
                h.update(b"(" + type(value).__name__.encode())
                for f in dataclasses.fields(value):
                    self._feed(getattr(value, f.name), h.update)
                known = self._memo[id(value)] = (value, h.digest())
            put(known[1])
        else:
            raise TypeError(f"cannot fingerprint a {type(value).__name__}; pass plain data or dataclasses to pages")
