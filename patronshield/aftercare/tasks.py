from django.tasks import task
from django.utils import timezone


@task
def checkin_notice(checkin_id: int, attempt: int = 1) -> bool:
    """Tell the person their check-in waits. Sent by the worker, so closing a record never
    waits on the mail server; when it is down, tried again later (as alerts are)."""
    from patronshield.notifications.services import MAX_ATTEMPTS, backoff

    from .services import checkin_notice_send

    if checkin_notice_send(checkin_id):
        return True
    if attempt < MAX_ATTEMPTS:
        run_after = timezone.now() + backoff(attempt)
        checkin_notice.using(run_after=run_after).enqueue(checkin_id, attempt + 1)
    return False
