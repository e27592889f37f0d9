import json

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from patronshield.notifications.mail import send_localized

from .models import Checkpoint


def checkpoint_recipients(library) -> list[str]:
    """The director and counsel: the roster's, and the counsel named in the profile."""
    from patronshield.notifications.models import Contact

    emails = list(
        library.contacts.filter(active=True, role__in=[Contact.Role.DIRECTOR, Contact.Role.COUNSEL])
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if library.counsel_email:
        emails.append(library.counsel_email)
    return sorted(set(emails))


def checkpoint_message(cp: Checkpoint, to: list[str]) -> EmailMessage:
    """The checkpoint, in the active language; the attachment is the same in every one."""
    from . import chain

    document = json.dumps(chain.as_ledger(cp).as_dict(), indent=2)
    command = (
        f"patronshield verify-log --library {cp.library.slug} "
        f"--checkpoint {cp.library.slug}-{cp.seq}.json"
    )
    body = _(
        "Patron Shield signed checkpoint for %(library)s\n\n"
        "Reason: %(reason)s\n"
        "Events up to number %(seq)s; the last one's hash is\n%(head)s\n\n"
        "Keep this message where the library's server cannot reach it. If anyone ever needs "
        "to show that the incident log was not altered, save the attachment and run:\n\n"
        "  %(command)s\n\n"
        "It checks the whole log and this checkpoint's signature (Ed25519).\n\n"
    ) % {
        "library": cp.library.name,
        "reason": cp.reason,
        "seq": cp.seq,
        "head": cp.head,
        "command": command,
    }
    message = EmailMessage(
        subject=_("Incident log checkpoint #%(seq)s: %(library)s")
        % {"seq": cp.seq, "library": cp.library.name},
        body=body + document + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers={
            "Message-ID": f"<checkpoint-{cp.library_id}-{cp.pk}-{get_language()}@patronshield>"
        },
    )
    message.attach(f"{cp.library.slug}-{cp.seq}.json", document, "application/json")
    return message


@task
def mail_checkpoint(checkpoint_id: int, attempt: int = 1) -> int:
    """Mail the checkpoint; when the mail server is down, try again later (2, 4, 8 …
    seconds, at most five minutes apart, 12 tries)."""
    from patronshield.notifications.services import MAX_ATTEMPTS, backoff

    cp = Checkpoint.objects.select_related("library").get(pk=checkpoint_id)
    to = checkpoint_recipients(cp.library)
    if not to:
        return 0
    try:
        send_localized(to, lambda group: checkpoint_message(cp, group))
    except Exception:  # refused connections, timeouts, smtplib errors
        if attempt >= MAX_ATTEMPTS:
            raise
        run_after = timezone.now() + backoff(attempt)
        mail_checkpoint.using(run_after=run_after).enqueue(checkpoint_id, attempt + 1)
        return -1
    Checkpoint.objects.filter(pk=cp.pk).update(sent_to=to)
    return len(to)


@task
def check_document(check_id: int) -> str:
    """Read a photo or PDF shown at the desk (`services.document_check_process`)."""
    from . import services

    return services.document_check_process(check_id)
