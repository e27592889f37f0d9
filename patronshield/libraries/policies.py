"""The policy in force at a library: the rules its board adopted, or the model policy.

Every caller that decides for a library asks here, so the desk, the records workflow and
training always apply the same, adopted, version. The draft's writes, the adoption and the
review reminders go through the functions below (the views only call them).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from patronshield.accounts.models import Role
from patronshield.policy import InputError, RuleTable, authoring, model_policy, parse_table, vocab

from .models import Area, Library, PolicyVersion

EDITOR_ROLES = frozenset({Role.DIRECTOR, Role.ADMIN})  # edit the draft, mark it adopted


def adopted_version(library) -> PolicyVersion | None:
    return library.policy_versions.filter(status=PolicyVersion.Status.ADOPTED).first()


def adopted_table(library) -> RuleTable:
    """The rule table the engine applies for `library` (the model policy until one is adopted)."""
    version = adopted_version(library)
    if version is None or not version.rules:
        return model_policy()
    return parse_table(version.rules)


def policy_title(library, number) -> str:
    return f"{library.name} Law Enforcement Requests Policy, version {number}"


def version_table(version: PolicyVersion) -> RuleTable:
    """The rules of `version`: as adopted, or (a draft) as its choices make them now."""
    if version.rules:
        return parse_table(version.rules)
    return authoring.table_for(
        version.choices, title=policy_title(version.library, version.number), version="draft"
    )


def initial_choices(library: Library) -> dict:
    """The model policy with what the library already has: its areas, retention, counsel."""
    areas = list(library.areas.order_by("position", "name"))
    return authoring.default_choices(
        public_areas=[a.name for a in areas if a.public],
        nonpublic_areas=[a.name for a in areas if not a.public],
        retention={k: getattr(library, f"retain_{k}") for k in authoring.RETENTION_KEYS},
        counsel={
            "name": library.counsel_name,
            "phone": library.counsel_phone,
            "email": library.counsel_email,
        },
    )


def _editor(library, user) -> None:
    if user.library_id != library.pk or user.role not in EDITOR_ROLES:
        raise PermissionDenied


def previous_adopted(version: PolicyVersion) -> PolicyVersion | None:
    return (
        version.library.policy_versions.exclude(status=PolicyVersion.Status.DRAFT)
        .filter(number__lt=version.number)
        .order_by("-number")
        .first()
    )


@transaction.atomic
def draft_get_or_create(*, library: Library, user) -> PolicyVersion:
    """The library's one draft; a new one starts from the adopted version's choices (or
    the model policy), numbered after the last version."""
    _editor(library, user)
    Library.objects.select_for_update().filter(pk=library.pk).first()
    draft = library.policy_versions.filter(status=PolicyVersion.Status.DRAFT).first()
    if draft:
        return draft
    adopted = adopted_version(library)
    last = library.policy_versions.order_by("-number").first()
    return PolicyVersion.objects.create(
        library=library,
        number=(last.number + 1) if last else 1,
        choices=adopted.choices if adopted else initial_choices(library),
        edited_by=user,
    )


@transaction.atomic
def draft_save(*, version: PolicyVersion, user, choices: dict) -> PolicyVersion:
    """Save the draft's choices. Nothing the desk applies changes until it is adopted."""
    _editor(version.library, user)
    version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != PolicyVersion.Status.DRAFT:
        raise ValidationError(_("An adopted policy version cannot be changed."))
    try:
        version.choices = authoring.clean(choices)
    except InputError as e:
        raise ValidationError(str(e)) from e
    version.edited_by = user
    version.save()
    return version


def _apply(library: Library, choices: dict) -> None:
    """What the adopted choices set on the library: retention, counsel, its areas."""
    for key in authoring.RETENTION_KEYS:
        setattr(library, f"retain_{key}", choices["retention"][key])
    counsel = choices["counsel"]
    library.counsel_name, library.counsel_phone = counsel["name"], counsel["phone"]
    library.counsel_email = counsel["email"]
    library.full_clean()
    library.save()
    named = []
    for public in (True, False):
        for position, name in enumerate(choices["areas"]["public" if public else "nonpublic"]):
            area = library.areas.filter(name__iexact=name).first() or Area(library=library)
            area.name, area.public, area.position = name, public, position
            area.save()
            named.append(area.pk)
    # An area the policy no longer names goes, unless a past visit's record names it.
    library.areas.exclude(pk__in=named).filter(encounters__isnull=True).delete()


def version_adopt(*, version: PolicyVersion, user, board_date: date) -> PolicyVersion:
    """Mark the draft adopted on the board's date: its rules become those in force, the
    previous version is superseded, its retention, counsel and areas apply to the library."""
    from . import signals

    library = version.library
    if user.library_id != library.pk or user.role not in EDITOR_ROLES:
        raise PermissionDenied
    with transaction.atomic():
        Library.objects.select_for_update().filter(pk=library.pk).first()
        version = PolicyVersion.objects.get(pk=version.pk)
        if version.status != PolicyVersion.Status.DRAFT:
            raise ValidationError(_("Only the draft can be adopted."))
        if board_date is None or board_date > timezone.localdate():
            raise ValidationError(
                _("Give the date the board adopted the policy (not a future date).")
            )
        previous = adopted_version(library)
        if previous and previous.board_adopted_on and board_date < previous.board_adopted_on:
            raise ValidationError(
                _("The board adopted version %(n)s on %(date)s: this one cannot be older."),
                params={"n": previous.number, "date": previous.board_adopted_on},
            )
        choices = authoring.clean(version.choices)
        table = authoring.table_for(
            choices, title=policy_title(library, version.number), version=str(version.number)
        )
        if previous:
            previous.status = PolicyVersion.Status.SUPERSEDED
            previous.save()
        version.choices = choices
        version.rules = authoring.table_data(table)
        version.changes = authoring.changes(previous.choices if previous else None, choices)
        version.sources = authoring.sources(library.state)
        version.status = PolicyVersion.Status.ADOPTED
        version.board_adopted_on = board_date
        version.adopted_by, version.adopted_at = user, timezone.now()
        version.save()
        _apply(library, choices)
        transaction.on_commit(
            lambda: signals.policy_adopted.send(
                sender=PolicyVersion, library=library, version=version
            )
        )
    return version


def approver_check(library, user) -> None:
    """Refuse a designee's approval where the adopted policy gives approval to the director
    alone, saying so with the policy's citation (a ValidationError: the form shows it)."""
    if user.role != Role.DESIGNEE:
        return
    table = adopted_table(library)
    if table.approver == "director":
        raise ValidationError(
            _(
                "Under %(policy)s only the Director approves access or release: "
                "a designee may not (policy § VI)."
            ),
            params={"policy": table.title},
            code="director_only",
        )


def notices(library, *, today: date | None = None, language: str = "en") -> list:
    """Why the adopted policy needs reviewing now (empty if it does not, or none is adopted)."""
    version = adopted_version(library)
    if version is None or version.board_adopted_on is None:
        return []
    return authoring.notices(
        adopted_on=version.board_adopted_on,
        built=version.sources,
        state=library.state,
        today=today or timezone.localdate(),
        language=vocab.language_or_default(language),
    )


def policy_reminders_send(*, now=None) -> list[str]:
    """E-mail each library's director once per reason the adopted policy needs a review
    (a year since adoption, a newer legal source). Called by `daily`; claimed before
    sending so two runs never both send, released again if the send fails."""
    from django.conf import settings
    from django.core.mail import EmailMessage

    from patronshield.notifications.mail import send_localized
    from patronshield.records.services import reminder_recipients  # the director only

    now = now or timezone.now()
    lines = []
    adopted = PolicyVersion.objects.filter(status=PolicyVersion.Status.ADOPTED)
    for version in adopted.select_related("library").order_by("pk"):
        library = version.library
        due = notices(library, today=timezone.localdate(now))
        to = reminder_recipients(library)
        if not due or not to:
            continue
        with transaction.atomic():
            locked = PolicyVersion.objects.select_for_update().get(pk=version.pk)
            new = [n for n in due if n.key not in locked.reminded]
            if not new:
                continue
            keys = [n.key for n in new]
            PolicyVersion.objects.filter(pk=version.pk).update(reminded=[*locked.reminded, *keys])

        def message(group, library=library, version=version, keys=keys):
            from django.utils.translation import get_language

            texts = [
                n.text
                for n in notices(library, today=timezone.localdate(now), language=get_language())
                if n.key in keys
            ]
            return EmailMessage(
                subject=_("Review the law enforcement policy: %(library)s")
                % {"library": library.name},
                body="\n\n".join(
                    [policy_title(library, version.number), *texts, f"{settings.SITE_URL}/policy/"]
                )
                + "\n",
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=group,
            )

        try:
            send_localized(to, message)
        except Exception as e:  # refused connections, timeouts, smtplib errors
            with transaction.atomic():
                locked = PolicyVersion.objects.select_for_update().get(pk=version.pk)
                kept = [k for k in locked.reminded if k not in keys]
                PolicyVersion.objects.filter(pk=version.pk).update(reminded=kept)
            lines.append(f"{library.slug}: policy review reminder failed: {e}")
            continue
        lines.append(f"{library.slug}: reminded the director to review the policy ({len(new)})")
    return lines
