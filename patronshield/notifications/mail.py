"""E-mail in the reader's language: addresses grouped by the language their owner chose in
their account (`User.language`), each group's message built under that language."""

from collections.abc import Callable, Iterable

from django.core.mail import EmailMessage
from django.utils import translation

from patronshield.policy import vocab


def by_language(emails: Iterable[str], default: str = "en") -> list[tuple[str, list[str]]]:
    """[(language, [addresses…]), …]: a staff account's address in its language, any other
    address (counsel named only in the library's profile, say) in `default`."""
    from patronshield.accounts.models import User

    emails = sorted(set(emails))
    chosen = dict(
        User.objects.filter(email__in=emails, is_active=True).values_list("email", "language")
    )
    groups: dict[str, list[str]] = {}
    for email in emails:
        language = vocab.language_or_default(chosen.get(email, default))
        groups.setdefault(language, []).append(email)
    return sorted(groups.items())


def send_localized(emails: Iterable[str], build: Callable[[list[str]], EmailMessage]) -> int:
    """Send one message per language; `build(to)` runs with that language active. Returns
    how many addresses were sent to; a failure raises (callers retry)."""
    sent = 0
    for language, to in by_language(emails):
        with translation.override(language):
            build(to).send(using="default")
        sent += len(to)
    return sent
