from django.tasks import task

from . import services


@task
def send() -> int:
    return len(services.warnings_send())
