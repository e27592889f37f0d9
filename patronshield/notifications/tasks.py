from django.tasks import task

from . import health, services


@task
def deliver(notification_id: int) -> str:
    return services.deliver(notification_id)


@task
def escalate(encounter_id: int, wave: int) -> int:
    return len(services.escalate(encounter_id, wave))


@task
def requeue_stale() -> int:
    return services.requeue_stale()


@task(queue_name="heartbeat")
def heartbeat() -> None:
    health.heard()
