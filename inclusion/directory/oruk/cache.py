"""Answers of the service lists, kept in memory until the directory changes.

A feed's readers ask the same few searches again and again ("autism", a need near a
postcode), and the directory changes a few times a day. Each answer is kept in the worker
process, under the parameters it was made from and the directory's version: the latest
`last_modified` of the partnership's services and how many there are. Every write that
changes anything a service publishes moves its `last_modified` (ADR 0020), a new or
removed service changes the count, so a changed directory never serves an old answer: it
misses, and the old entries age out. Only lists of services and services at locations are
kept (taxonomy lists do not follow `last_modified`).

`DIRECTORY_API_CACHE_SIZE` (setting, default 256 answers per process; 0 turns it off).
"""

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from django.conf import settings
from django.db.models import Count, Max

from inclusion.directory.models import Service

DEFAULT_SIZE = 256

_lock = threading.Lock()
_answers: "OrderedDict[Hashable, bytes]" = OrderedDict()


def directory_version(partnership: Any) -> tuple[Any, int]:
    found = Service.objects.filter(partnership=partnership).aggregate(
        latest=Max("last_modified"), count=Count("id")
    )
    return found["latest"], found["count"]


def _encode(answer: Any) -> bytes:
    # As DRF's JSONRenderer writes it: compact, UTF-8, no ASCII escapes.
    return json.dumps(answer, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def cached(key: Hashable, partnership: Any, build: Callable[[], Any]) -> bytes:
    """The answer for `key` in the directory as it is now, as JSON bytes: kept, or built,
    encoded and kept (encoding once is part of the saving)."""
    size = getattr(settings, "DIRECTORY_API_CACHE_SIZE", DEFAULT_SIZE)
    if not size:
        return _encode(build())
    full_key = (key, getattr(partnership, "pk", partnership), directory_version(partnership))
    with _lock:
        if full_key in _answers:
            _answers.move_to_end(full_key)
            return _answers[full_key]
    answer = _encode(build())
    with _lock:
        _answers[full_key] = answer
        while len(_answers) > size:
            _answers.popitem(last=False)
    return answer


def clear() -> None:
    with _lock:
        _answers.clear()
