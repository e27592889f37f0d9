"""Is anything keeping an alert from going out?

The worker of the configured backend (`manage db_worker`, or `manage rqworker` with
REDIS_URL) is asked for a heartbeat: each round of the sweep (every 10 s under `serve`) puts
a `heartbeat` task on its own queue, unless the last one still waits, and the worker that
runs it writes the time. `/healthz` compares that time, and the age of the oldest alert not
yet delivered, with STUCK_AFTER.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Min
from django.utils import timezone

from .models import Notification, WorkerHeartbeat

STUCK_AFTER = timedelta(seconds=30)
ASK_AGAIN_AFTER = timedelta(minutes=5)  # an unanswered heartbeat lost with its worker
DB_BACKEND = "django_tasks_db.DatabaseBackend"
RQ_BACKEND = "django_tasks_rq.RQBackend"


class WorkerUnavailable(Exception):
    """The worker of the configured backend cannot run: why, in a sentence."""


def backend() -> str:
    return settings.TASKS["default"]["BACKEND"]


def worker_command() -> list[str]:
    """The `patronshield` arguments that run the worker of the configured backend."""
    queues = settings.TASK_QUEUES  # RQ reads them in this order: an alert first
    if backend() == DB_BACKEND:
        return ["manage", "db_worker", "--queue-name", ",".join(queues), "--interval", "0.2",
                "--no-startup-delay", "--no-reload", "--verbosity", "0"]  # fmt: skip
    if backend() == RQ_BACKEND:
        return ["manage", "rqworker", *queues, "--with-scheduler",
                "--job-class", "django_tasks_rq.Job", "--verbosity", "0"]  # fmt: skip
    raise WorkerUnavailable(f"no worker known for the task backend {backend()!r}")


def check_queue() -> None:
    """The queue the worker reads can be reached (Redis, with REDIS_URL)."""
    if backend() != RQ_BACKEND:
        return
    import django_rq
    from redis.exceptions import RedisError

    try:
        django_rq.get_connection("default").ping()
    except RedisError as e:
        raise WorkerUnavailable(
            f"cannot reach the Redis server named by REDIS_URL ({type(e).__name__})"
        ) from e


def _row() -> WorkerHeartbeat:
    return WorkerHeartbeat.objects.get_or_create(pk=1)[0]


def ask(now=None, force: bool = False) -> bool:
    """Queue a heartbeat unless one is already on its way; True if one was queued."""
    from .tasks import heartbeat

    now = now or timezone.now()
    row = _row()
    answered = row.asked_at is None or (row.heard_at and row.heard_at >= row.asked_at)
    if not (force or answered or row.asked_at <= now - ASK_AGAIN_AFTER):
        return False
    WorkerHeartbeat.objects.filter(pk=1).update(asked_at=now)
    heartbeat.enqueue()
    if backend() == DB_BACKEND:  # the database backend keeps every result: not these
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.filter(
            task_path=heartbeat.module_path, finished_at__lt=now - timedelta(hours=1)
        ).delete()
    return True


def heard() -> None:
    """Run by the worker: it is alive and reading the queue."""
    _row()
    WorkerHeartbeat.objects.filter(pk=1).update(heard_at=timezone.now())


def heard_since(when) -> bool:
    return WorkerHeartbeat.objects.filter(pk=1, heard_at__gte=when).exists()


def _seconds(delta: timedelta | None) -> int | None:
    return None if delta is None else max(0, int(delta.total_seconds()))


def report(now=None) -> tuple[dict, bool]:
    """What `/healthz` says, and whether alerts are going out. Nothing about any library,
    encounter or person: the database answers, how long the oldest alert not yet delivered
    has waited, how long ago a worker last showed it was alive."""
    now = now or timezone.now()
    try:
        connection.ensure_connection()
        oldest = Notification.objects.filter(
            status__in=[Notification.Status.PENDING, Notification.Status.SENDING]
        ).aggregate(at=Min("created_at"))["at"]
        heard_at = WorkerHeartbeat.objects.filter(pk=1).values_list("heard_at", flat=True).first()
    except DatabaseError:
        body = {"database": "error", "queue": {"oldest_waiting_seconds": None},
                "worker": {"last_heartbeat_seconds": None}, "status": "error"}  # fmt: skip
        return body, False
    waited = now - oldest if oldest else None
    silent = now - heard_at if heard_at else None
    stuck = waited is not None and (waited > STUCK_AFTER or silent is None or silent > STUCK_AFTER)
    body = {
        "database": "ok",
        "queue": {"oldest_waiting_seconds": _seconds(waited)},
        "worker": {"last_heartbeat_seconds": _seconds(silent)},
        "status": "stuck" if stuck else "ok",
    }
    return body, not stuck
