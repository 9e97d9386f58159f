"""Work that runs after the request: one small way, a thread started when the data commits.

`run_in_background(func, *args, on_error=..., **kwargs)` runs `func(*args, **kwargs)` in
a daemon thread once the current transaction commits (at once outside one), so the job
reads the rows the request wrote. The thread closes its database connections when it
ends (Django opens one per thread and never closes a thread's own).

A job's exception is never lost: it is logged with its traceback and handed to
`on_error`, which records it where a person looks (an upload's status page says
"failed"). A daemon thread dies with its process, so a restarted server leaves its job
half-way: the record's own page must notice a job that has not moved for a while and
offer to run it again (docs/adr/0017-measure-management-and-uploads.md says why a
thread and not a task queue).

With `JOBS_RUN_INLINE = True` (the test settings) the job runs at once, in the caller's
thread and transaction, with the same error handling: tests see its outcome as soon as
the call returns, and a test's transaction, which never commits, would otherwise never
start it.
"""

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connections, transaction

logger = logging.getLogger(__name__)

ErrorHandler = Callable[[BaseException], None]


def run_in_background(
    func: Callable[..., Any],
    *args: Any,
    on_error: ErrorHandler | None = None,
    **kwargs: Any,
) -> None:
    """Run `func(*args, **kwargs)` after the current transaction commits, in a thread."""
    name = getattr(func, "__qualname__", repr(func))
    if getattr(settings, "JOBS_RUN_INLINE", False):
        _run(func, args, kwargs, on_error, name)
        return

    def start() -> None:
        thread = threading.Thread(
            target=_run_in_thread,
            args=(func, args, kwargs, on_error, name),
            name=f"job: {name}",
            daemon=True,
        )
        thread.start()

    transaction.on_commit(start)


def _run(
    func: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    on_error: ErrorHandler | None,
    name: str,
) -> None:
    try:
        func(*args, **kwargs)
    except Exception as error:
        logger.exception("Background job %s failed", name)
        if on_error is None:
            return
        try:
            on_error(error)
        except Exception:
            # The handler records the failure; if even that fails, the log still has both.
            logger.exception("Recording the failure of background job %s failed too", name)


def _run_in_thread(
    func: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    on_error: ErrorHandler | None,
    name: str,
) -> None:
    try:
        _run(func, args, kwargs, on_error, name)
    finally:
        connections.close_all()
