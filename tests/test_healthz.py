"""`/healthz`: for a monitor, no login, no data; 503 when alerts wait on a missing worker."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from patronshield.notifications import health
from patronshield.notifications.models import Notification, WorkerHeartbeat


@pytest.fixture
def waiting(client, people):
    """An encounter started at the desk: its two alerts wait in the outbox."""
    client.force_login(people["desk"])
    client.post(reverse("desk:start"))
    client.logout()
    assert Notification.objects.filter(status="pending").count() == 2


def healthz(client):
    r = client.get("/healthz")
    return r.status_code, r.json()


def beat(seconds_ago):
    WorkerHeartbeat.objects.update_or_create(
        pk=1, defaults={"heard_at": timezone.now() - timedelta(seconds=seconds_ago)}
    )


def age_alerts(seconds):
    Notification.objects.update(created_at=timezone.now() - timedelta(seconds=seconds))


def test_it_answers_anyone_with_nothing_but_health(client, people, waiting):
    beat(5)
    r = client.get("/healthz")
    assert r.status_code == 200 and r["Content-Type"] == "application/json"
    assert "no-store" in r["Cache-Control"]
    assert not r.cookies  # no session, no CSRF token: nothing to track a visitor by
    assert r.json() == {
        "database": "ok",
        "queue": {"oldest_waiting_seconds": 0},
        "worker": {"last_heartbeat_seconds": 5},
        "status": "ok",
    }
    text = r.content.decode()
    for secret in ("Ecorse", "ecorse", "director", "desk", "@", "encounter"):
        assert secret not in text
    assert client.post("/healthz").status_code == 405


@pytest.mark.parametrize(
    "alert_age, heartbeat_age, status",
    [
        (None, None, 200),  # nothing waits: a quiet night is healthy
        (None, 3600, 200),
        (5, 4, 200),  # an alert on its way
        (31, 4, 503),  # stuck, whatever the worker says
        (5, 31, 503),  # waiting on a worker that has gone quiet
        (5, None, 503),  # waiting on a worker never heard from
    ],
)
def test_it_turns_503_when_alerts_are_stuck(client, people, alert_age, heartbeat_age, status):
    if alert_age is not None:
        client.force_login(people["desk"])
        client.post(reverse("desk:start"))
        client.logout()
        age_alerts(alert_age)
    if heartbeat_age is not None:
        beat(heartbeat_age)
    code, body = healthz(client)
    assert code == status, body
    assert body["status"] == ("ok" if status == 200 else "stuck")


def test_delivered_failed_and_withheld_alerts_do_not_wait(client, people, waiting):
    age_alerts(3600)
    Notification.objects.update(status="sent")
    assert healthz(client) == (
        200,
        {
            "database": "ok",
            "queue": {"oldest_waiting_seconds": None},
            "worker": {"last_heartbeat_seconds": None},
            "status": "ok",
        },
    )


def test_a_database_that_does_not_answer(client, monkeypatch):
    from django.db import DatabaseError, connection

    def down():
        raise DatabaseError("connection refused")

    monkeypatch.setattr(connection, "ensure_connection", down)
    code, body = healthz(client)
    assert code == 503 and body["database"] == "error" and body["status"] == "error"


def test_one_heartbeat_at_a_time(db):
    from django_tasks_db.models import DBTaskResult

    def queued():
        return DBTaskResult.objects.filter(task_path__endswith="heartbeat").count()

    t = timezone.now() - timedelta(minutes=10)
    assert health.ask(t) and queued() == 1
    assert not health.ask(t + timedelta(seconds=60))  # unanswered: not asked again
    assert queued() == 1
    assert health.ask(t + health.ASK_AGAIN_AFTER)  # lost with its worker: ask again
    health.heard()
    assert health.heard_since(t)
    assert health.ask(timezone.now())  # answered: the next round asks again
    assert queued() == 3


def test_the_worker_runs_the_heartbeat(db):
    from patronshield.notifications.tasks import heartbeat

    before = timezone.now()
    assert heartbeat.queue_name == "heartbeat"
    heartbeat.call()
    assert health.heard_since(before)


@pytest.mark.parametrize(
    "backend, program",
    [("django_tasks_db.DatabaseBackend", "db_worker"), ("django_tasks_rq.RQBackend", "rqworker")],
)
def test_the_worker_of_the_configured_backend(settings, backend, program):
    settings.TASKS = {"default": {"BACKEND": backend, "QUEUES": settings.TASK_QUEUES}}
    command = health.worker_command()
    assert command[:2] == ["manage", program]
    assert "default" in " ".join(command) and "heartbeat" in " ".join(command)


def test_no_worker_for_an_unknown_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    with pytest.raises(health.WorkerUnavailable, match="no worker known"):
        health.worker_command()


def test_a_queue_that_cannot_be_reached_fails_no_tap_and_the_sweep_sends(
    client, people, smtp, monkeypatch, django_capture_on_commit_callbacks
):
    """Redis down: the desk's tap still starts the encounter, /healthz says the alerts wait,
    and the sweep sends them itself."""
    from redis.exceptions import ConnectionError as RedisDown

    from patronshield.notifications import services, tasks

    def down(*args, **kwargs):
        raise RedisDown("Connection refused")

    for t in (tasks.deliver, tasks.escalate, tasks.heartbeat):
        monkeypatch.setattr(type(t), "enqueue", down)
    client.force_login(people["desk"])
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("desk:start"))
    assert r.status_code == 302
    age_alerts(25)
    code, body = healthz(client)
    assert code == 503 and body["queue"]["oldest_waiting_seconds"] == 25
    assert services.sweep()["redelivered"] == 2
    assert len(smtp.messages) == 2
    assert healthz(client)[1]["queue"]["oldest_waiting_seconds"] is None
