"""Published statistics uploaded through the page: stored, checked and imported in the
background, with progress on the upload's row for its status page to show.

The life of an upload (`StatisticsUpload.Status`):

    waiting ─► checking ─► checked ─► importing ─► imported
                  │           │           │
                  └► failed   └► discarded└► failed

- The request stores the file (with its size and SHA-256) and starts the check
  (`published_statistics_preview`, the import's own rules, rolled back) as a background
  job (`inclusion.core.jobs`); the person watches the status page.
- "Import" runs `published_statistics_import` in the background too; it checks
  everything again before writing, so nothing is written to observations on failure.
- Each move from one state to the next is claimed by one conditional UPDATE, so two
  clicks (or two people) cannot import one file twice; each is audited. The progress
  ticks in between are not: they say how far a job has read, not what anyone did.
- The file is dropped once the upload ends (imported, discarded, failed): the
  observations and the audit log keep what it said, and its SHA-256 stays on the row.
- A job whose server restarted leaves its row "checking" or "importing" for good; after
  `STALLED_AFTER` without progress the status page offers to run it again
  (`statistics_upload_retry`), which is safe because an import is all or nothing and a
  second import of the same file changes nothing.
"""

import datetime as dt
import hashlib
import time
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from inclusion.accounts.models import Partnership
from inclusion.core import audit
from inclusion.core.jobs import run_in_background
from inclusion.core.writes import acting_user, save_new
from inclusion.measures.importers.mapping import load_mapping, shipped_mappings
from inclusion.measures.importers.opendata import Source
from inclusion.measures.importers.problems import PublishedStatisticsError
from inclusion.measures.models import StatisticsUpload
from inclusion.measures.services.imports import (
    ALL_MAPPINGS,
    ImportResult,
    published_statistics_import,
    published_statistics_preview,
)

Status = StatisticsUpload.Status
RUNNING = frozenset({Status.WAITING, Status.CHECKING, Status.IMPORTING})
# Longer than any step goes without a progress tick: reading writes one at least every
# PROGRESS_EVERY seconds, and writing the whole 2025 release takes under 20 s.
STALLED_AFTER = dt.timedelta(minutes=10)
PROGRESS_EVERY = 0.5  # seconds between progress writes: enough for a page refreshed every few
# Reading the files is most of the work; the rest is comparing with what is stored.
READ_SHARE = 90


def statistics_upload_create(
    *,
    partnership: Partnership,
    filename: str,
    content: bytes,
    mapping: str,
    actor: Any = None,
    via: str = "",
) -> StatisticsUpload:
    """Keep the file and start checking it in the background."""
    known = [ALL_MAPPINGS, *shipped_mappings()]
    if mapping not in known:
        raise ValidationError({"mapping": f"Choose a mapping from the list ({', '.join(known)})"})
    if not content:
        raise ValidationError({"content": "The selected file is empty"})
    upload = StatisticsUpload(
        partnership=partnership,
        filename=filename[:255] or "upload",
        content=content,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        mapping=mapping,
        status=Status.WAITING,
        progress_text="Waiting to be checked",
    )
    with transaction.atomic():
        save_new(upload, actor=actor, via=via)
        _start(upload.pk, _check_job, actor=actor, via=via)
    return upload


def statistics_upload_import(
    *, upload: StatisticsUpload, actor: Any = None, via: str = ""
) -> StatisticsUpload:
    """Import a checked upload in the background."""
    with transaction.atomic():
        moved = _move(
            upload.pk,
            from_={Status.CHECKED},
            actor=actor,
            via=via,
            status=Status.IMPORTING,
            progress=0,
            progress_text="Waiting to be imported",
        )
        if moved is None:
            raise ValidationError(_cannot("imported", upload.pk))
        _start(upload.pk, _import_job, actor=actor, via=via)
    return moved


def statistics_upload_discard(
    *, upload: StatisticsUpload, actor: Any = None, via: str = "", now: dt.datetime | None = None
) -> StatisticsUpload:
    """Drop a checked upload (or one whose job stalled) without importing it."""
    allowed = {Status.CHECKED}
    if statistics_upload_stalled(upload, now=now):
        allowed |= RUNNING
    moved = _move(
        upload.pk,
        from_=allowed,
        actor=actor,
        via=via,
        status=Status.DISCARDED,
        content=None,
        message=f"Discarded: nothing from {upload.filename} was imported",
        finished_at=timezone.now(),
    )
    if moved is None:
        raise ValidationError(_cannot("discarded", upload.pk))
    return moved


def statistics_upload_stalled(upload: StatisticsUpload, *, now: dt.datetime | None = None) -> bool:
    """Still running by its row, but with no progress for STALLED_AFTER: its job has died
    (a restarted server ends its threads)."""
    now = now or timezone.now()
    return upload.status in RUNNING and upload.updated_at < now - STALLED_AFTER


def statistics_upload_retry_at(upload: StatisticsUpload) -> dt.datetime:
    """When a running upload without progress counts as stalled."""
    return upload.updated_at + STALLED_AFTER


def statistics_upload_retry(
    *, upload: StatisticsUpload, actor: Any = None, via: str = "", now: dt.datetime | None = None
) -> StatisticsUpload:
    """Run a stalled check or import again."""
    if not statistics_upload_stalled(upload, now=now):
        raise ValidationError(
            f"{upload.filename} is not stalled: it is {upload.get_status_display().lower()}"
        )
    importing = upload.status == Status.IMPORTING
    with transaction.atomic():
        moved = _move(
            upload.pk,
            from_={upload.status},
            actor=actor,
            via=via,
            note="Started again: it had stalled",
            status=Status.IMPORTING if importing else Status.WAITING,
            progress=0,
            progress_text="Waiting to be imported" if importing else "Waiting to be checked",
        )
        if moved is None:
            raise ValidationError(_cannot("started again", upload.pk))
        _start(upload.pk, _import_job if importing else _check_job, actor=actor, via=via)
    return moved


# ---------------------------------------------------------------- moving between states


def _cannot(verb: str, upload_id: Any) -> str:
    upload = StatisticsUpload.objects.defer("content").get(pk=upload_id)
    return (
        f"{upload.filename} cannot be {verb}: it is {upload.get_status_display().lower()} "
        "(someone may have done it already)"
    )


def _move(
    upload_id: Any,
    *,
    from_: set[str] | frozenset[str],
    actor: Any,
    via: str,
    note: str = "",
    **fields: Any,
) -> StatisticsUpload | None:
    """Set `fields` if the upload is in one of the `from_` states (one UPDATE decides, so
    two racing requests cannot both move it); audited. None if it was not."""
    with transaction.atomic():
        before_row = StatisticsUpload.objects.filter(pk=upload_id).first()
        if before_row is None:
            return None
        before = audit.snapshot(before_row)
        moved = StatisticsUpload.objects.filter(pk=upload_id, status__in=from_).update(
            updated_at=timezone.now(), modified_by=acting_user(actor), **fields
        )
        if not moved:
            return None
        upload = StatisticsUpload.objects.get(pk=upload_id)
        audit.log_update(upload, before=before, actor=actor, via=via, note=note)
        return upload


def _start(upload_id: Any, job: Any, *, actor: Any, via: str) -> None:
    actor_id = getattr(acting_user(actor), "pk", None)
    run_in_background(
        job,
        upload_id=upload_id,
        actor_id=actor_id,
        via=via,
        on_error=partial(_failed_unexpectedly, upload_id, actor_id, via),
    )


def _actor(actor_id: Any) -> Any:
    if actor_id is None:
        return None
    return get_user_model()._default_manager.filter(pk=actor_id).first()


# ---------------------------------------------------------------- the jobs


def _check_job(*, upload_id: Any, actor_id: Any, via: str) -> None:
    claimed = StatisticsUpload.objects.filter(pk=upload_id, status=Status.WAITING).update(
        status=Status.CHECKING, progress=0, progress_text="Starting", updated_at=timezone.now()
    )
    if not claimed:
        return  # discarded, or another job has it
    upload = StatisticsUpload.objects.get(pk=upload_id)
    content = bytes(upload.content)
    progress = ProgressWriter(
        upload_id, Status.CHECKING, "Checking", _bytes_to_read(content, upload)
    )
    try:
        result = published_statistics_preview(
            source=content, mapping=upload.mapping, filename=upload.filename, progress=progress
        )
    except PublishedStatisticsError as error:
        _failed(upload_id, error, from_=Status.CHECKING, actor=_actor(actor_id), via=via)
        return
    _move(
        upload_id,
        from_={Status.CHECKING},
        actor=_actor(actor_id),
        via=via,
        status=Status.CHECKED,
        progress=100,
        progress_text="Checked",
        message=result.message(),
        counts=_counts(result),
    )


def _import_job(*, upload_id: Any, actor_id: Any, via: str) -> None:
    upload = StatisticsUpload.objects.filter(pk=upload_id, status=Status.IMPORTING).first()
    if upload is None:
        return
    actor = _actor(actor_id)
    content = bytes(upload.content)
    progress = ProgressWriter(
        upload_id, Status.IMPORTING, "Importing", _bytes_to_read(content, upload)
    )
    try:
        result = published_statistics_import(
            source=content,
            mapping=upload.mapping,
            filename=upload.filename,
            actor=actor,
            via=via,
            progress=progress,
        )
    except PublishedStatisticsError as error:
        _failed(upload_id, error, from_=Status.IMPORTING, actor=actor, via=via)
        return
    _move(
        upload_id,
        from_={Status.IMPORTING},
        actor=actor,
        via=via,
        status=Status.IMPORTED,
        progress=100,
        progress_text="Imported",
        message=result.message(),
        counts=_counts(result),
        content=None,
        finished_at=timezone.now(),
    )


def _counts(result: ImportResult) -> dict[str, Any]:
    return {
        **result.counts,
        "files": result.files,
        "mappings": result.mappings,
        "skipped_mappings": result.skipped_mappings,
    }


def _failed(
    upload_id: Any, error: PublishedStatisticsError, *, from_: str, actor: Any, via: str
) -> None:
    count = "1 problem" if error.total == 1 else f"{error.total:,} problems"
    _move(
        upload_id,
        from_={from_},
        actor=actor,
        via=via,
        status=Status.FAILED,
        message=f"Nothing was saved: the file has {count}. Correct it and upload it again.",
        problems=[problem.as_dict() for problem in error.problems],
        problem_count=error.total,
        content=None,
        finished_at=timezone.now(),
    )


def _failed_unexpectedly(upload_id: Any, actor_id: Any, via: str, error: BaseException) -> None:
    """A job's exception that is not a problem in the file (jobs.py logged it)."""
    _move(
        upload_id,
        from_=RUNNING,
        actor=_actor(actor_id),
        via=via,
        status=Status.FAILED,
        message=(
            f"Nothing was saved: the work stopped with an unexpected error "
            f"({type(error).__name__}: {error}). Upload the file again; if it happens again, "
            "tell whoever runs the system (the error is in its log)."
        ),
        content=None,
        finished_at=timezone.now(),
    )


# ---------------------------------------------------------------- progress


def _bytes_to_read(content: bytes, upload: StatisticsUpload) -> int:
    """The size of every file the mappings will read, so progress can run over all of
    them; 0 when that cannot be told (the check then says what is wrong)."""
    source = Source(content, upload.filename)
    try:
        everything = upload.mapping == ALL_MAPPINGS
        names = shipped_mappings() if everything else [upload.mapping]
        total = 0
        for name in names:
            found = source.find(load_mapping(name), required=not everything)
            total += found.size if found is not None else 0
        return total
    except PublishedStatisticsError:
        return 0
    finally:
        source.close()


class ProgressWriter:
    """The importer's progress callback: writes how far it has read to the upload's row,
    at most every PROGRESS_EVERY seconds, outside any transaction (the importer reads
    before it writes), so the status page sees it at once."""

    def __init__(self, upload_id: Any, status: str, verb: str, total_bytes: int):
        self.upload_id = upload_id
        self.status = status
        self.verb = verb
        self.total_bytes = total_bytes
        self.finished_bytes = 0  # files read completely
        self.current: tuple[str, int] | None = None
        self.done = 0
        self.last_write = 0.0

    def __call__(self, name: str, done: int, total: int) -> None:
        # Another file, or the same one again (two mappings may read one file).
        if self.current != (name, total) or done < self.done:
            if self.current is not None:
                self.finished_bytes += self.current[1]
            self.current = (name, total)
        self.done = done
        whole = self.total_bytes or total
        fraction = min(1.0, (self.finished_bytes + done) / whole) if whole else 1.0
        percent = int(READ_SHARE * fraction)
        text = f"{self.verb} {name}: {_megabytes(done)} of {_megabytes(total)} read"
        if done >= total and fraction >= 1.0:
            text = f"{self.verb}: comparing with the figures already stored"
        now = time.monotonic()
        if now - self.last_write < PROGRESS_EVERY and done < total:
            return
        self.last_write = now
        StatisticsUpload.objects.filter(pk=self.upload_id, status=self.status).update(
            progress=percent, progress_text=text[:300], updated_at=timezone.now()
        )


def _megabytes(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"
