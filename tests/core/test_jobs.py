"""Background jobs: started after the commit in a thread, or at once with JOBS_RUN_INLINE;
an exception is logged and handed to the job's error handler, never lost."""

import logging
import threading

import pytest
from django.db import connections, transaction

from inclusion.core.jobs import run_in_background

WAIT = 5  # seconds: far longer than starting a thread takes


@pytest.fixture
def threaded(settings):
    settings.JOBS_RUN_INLINE = False


def test_inline_jobs_run_before_the_call_returns(settings):
    settings.JOBS_RUN_INLINE = True
    seen = []

    run_in_background(seen.append, "done")

    assert seen == ["done"]


def test_an_inline_jobs_exception_is_logged_and_handed_to_its_error_handler(settings, caplog):
    settings.JOBS_RUN_INLINE = True
    errors = []

    def broken(n):
        raise ValueError(f"bad row {n}")

    with caplog.at_level(logging.ERROR, logger="inclusion.core.jobs"):
        run_in_background(broken, 7, on_error=errors.append)

    assert [str(e) for e in errors] == ["bad row 7"]
    assert "Background job test_an_inline_jobs_exception" in caplog.text
    assert "ValueError: bad row 7" in caplog.text


@pytest.mark.django_db
def test_a_threaded_job_waits_for_the_commit_then_runs_in_another_thread(
    threaded, django_capture_on_commit_callbacks
):
    ran = threading.Event()
    threads = []

    def job(word, *, times):
        threads.append((threading.current_thread(), word * times))
        ran.set()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            run_in_background(job, "ab", times=2)
    assert not ran.is_set(), "started before the transaction committed"

    for callback in callbacks:
        callback()

    assert ran.wait(WAIT)
    ((thread, result),) = threads
    assert result == "abab"
    assert thread is not threading.current_thread()
    assert thread.daemon


@pytest.mark.django_db
def test_a_threaded_jobs_exception_reaches_the_log_and_its_error_handler(
    threaded, django_capture_on_commit_callbacks, caplog
):
    handled = threading.Event()
    errors = []

    def broken():
        raise RuntimeError("the file vanished")

    def on_error(error):
        errors.append(error)
        handled.set()

    with caplog.at_level(logging.ERROR, logger="inclusion.core.jobs"):
        with django_capture_on_commit_callbacks(execute=True):
            run_in_background(broken, on_error=on_error)
        assert handled.wait(WAIT)

    assert [str(e) for e in errors] == ["the file vanished"]
    assert "RuntimeError: the file vanished" in caplog.text


def test_a_failing_error_handler_is_logged_too(settings, caplog):
    settings.JOBS_RUN_INLINE = True

    def broken():
        raise RuntimeError("first")

    def handler(error):
        raise RuntimeError("second")

    with caplog.at_level(logging.ERROR, logger="inclusion.core.jobs"):
        run_in_background(broken, on_error=handler)

    assert "RuntimeError: first" in caplog.text
    assert "RuntimeError: second" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_threaded_job_closes_the_database_connection_it_opened(threaded):
    """Each thread has its own connection; one left open would hold a server slot."""
    finished = threading.Event()
    states = {}

    def job():
        own = connections["default"]
        with own.cursor() as cursor:
            cursor.execute("SELECT 1")
        states["own"] = own
        states["open_during"] = own.connection is not None
        finished.set()

    run_in_background(job)  # no transaction: starts at once
    assert finished.wait(WAIT)
    for thread in threading.enumerate():
        if thread.name.startswith("job: "):
            thread.join(WAIT)

    assert states["own"] is not connections["default"]  # the thread's own connection
    assert states["open_during"] is True
    own = states["own"]
    if own.vendor == "sqlite" and own.is_in_memory_db():
        # Django never closes an in-memory SQLite database (closing would drop it): this
        # check runs on PostgreSQL (CI runs the suite on both).
        pytest.skip("an in-memory SQLite connection is never closed")
    assert own.connection is None
