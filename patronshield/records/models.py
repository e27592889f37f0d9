"""A records request: a demand for library records (a subpoena, a court order, a National
Security Letter or FISA order, a request with the patron's written consent), from the day
it is received to the patron's notice. The workflow lives in `workflow` (the allowed steps,
as data) and `services` (the only writers); each step is also an event on the library's
chain (`desk.chain.event_append`, ref "records:<pk>"). The free text names no patron."""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from patronshield.desk.models import Agency
from patronshield.policy import vocab


class Kind(models.TextChoices):
    """The document. Values are the policy engine's document vocabulary where one fits."""

    SUBPOENA = "judicial_subpoena", _("Court subpoena")
    GRAND_JURY = "grand_jury_subpoena", _("Grand jury subpoena")
    ADMIN_SUBPOENA = "administrative_subpoena", _("Agency subpoena (no court named)")
    COURT_ORDER = "court_order", _("Court order signed by a judge")
    NSL = "national_security_letter", _("National Security Letter (FBI)")
    FISA = "fisa_order", _("Foreign Intelligence Surveillance Court order")
    CONSENT = "patron_consent", _("A request with the patron's written consent")
    OTHER = "other", _("Something else (a letter, an e-mail, a form)")


class Requester(models.TextChoices):
    """Who is asking (the policy engine's vocabulary): an officer or agency, a parent or
    guardian of a minor patron, or a party to a private lawsuit."""

    OFFICER = "officer", _("Law enforcement or another government agency")
    PARENT = "parent_of_minor", _("A parent or guardian, for their minor child's records")
    PRIVATE = "private_litigant", _("A party to a private lawsuit (for example, a divorce)")


# The documents a parent or a private party may bring, as the records form knows them.
PRIVATE_KINDS = frozenset({"judicial_subpoena", "court_order", "patron_consent", "other"})

# Documents that carry a nondisclosure requirement by their nature (18 U.S.C. § 2709(c),
# 50 U.S.C. § 1861(d)); any other may come with a court's nondisclosure order.
GAG_KINDS = frozenset({Kind.NSL, Kind.FISA})
# The same, as a query: a request is also under the gag of the visit it came with (an NSL
# shown at the desk), whatever kind it was recorded as.
GAGGED = (
    models.Q(kind__in=GAG_KINDS)
    | models.Q(nondisclosure_order=True)
    | models.Q(encounter__document__in=vocab.GAG_DOCUMENTS)
)


class Asked(models.TextChoices):
    """What is asked for, in the policy engine's request vocabulary."""

    RECORDS = "patron_records", _("Patron records (accounts, borrowing, computer use)")
    WHEREABOUTS = "patron_whereabouts", _("Whether someone is or was in the library")
    FOOTAGE = "surveillance_footage", _("Security camera footage")
    STAFF = "staff_records", _("Staff records")


class State(models.TextChoices):
    RECEIVED = "received", _("Received: waiting for counsel")
    ADVISED = "advised", _("Counsel advised: waiting for the director")
    DECIDED = "decided", _("Decided: release log open")
    RELEASED = "released", _("Release logged: patron notice next")
    CLOSED = "closed", _("Request closed")


class Advice(models.TextChoices):
    COMPLY = "comply", _("Comply")
    QUASH = "quash", _("Move to quash")
    NEGOTIATE = "negotiate", _("Negotiate (narrow it)")
    REFUSE = "refuse", _("Refuse")


class Release(models.TextChoices):
    ALL = "all", _("Release all that is asked for")
    PART = "part", _("Release part of it")
    NONE = "none", _("Release nothing")


class NoticeMethod(models.TextChoices):
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone call")
    IN_PERSON = "in_person", _("In person")
    NOT_POSSIBLE = "not_possible", _("Could not be notified (say why)")


class RecordsRequest(models.Model):
    library = models.ForeignKey(
        "libraries.Library", on_delete=models.PROTECT, related_name="records_requests"
    )
    encounter = models.ForeignKey(
        "desk.Encounter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records_requests",
        verbose_name=_("encounter"),
    )
    state = models.CharField(_("state"), max_length=12, choices=State, default=State.RECEIVED)

    # Received (by any staff).
    kind = models.CharField(_("document"), max_length=32, choices=Kind)
    requester = models.CharField(
        _("who is asking"), max_length=20, choices=Requester, default=Requester.OFFICER
    )
    agency = models.CharField(_("agency"), max_length=20, choices=Agency, blank=True)
    officer = models.CharField(_("officer or official"), max_length=200, blank=True)
    reference = models.CharField(_("case or document number"), max_length=200, blank=True)
    asked = models.CharField(_("asked for"), max_length=24, choices=Asked, default=Asked.RECORDS)
    description = models.TextField(_("what is asked for"), max_length=2000)
    received_on = models.DateField(_("received on"))
    deadline = models.DateField(_("deadline to respond"), null=True, blank=True)
    nondisclosure_order = models.BooleanField(_("a court's nondisclosure order"), default=False)
    nondisclosure_ends = models.DateField(_("nondisclosure ends on"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Counsel's review.
    advice = models.CharField(_("counsel's advice"), max_length=12, choices=Advice, blank=True)
    advice_notes = models.TextField(_("counsel's notes"), blank=True)
    counsel_name = models.CharField(_("counsel"), max_length=200, blank=True)
    advised_at = models.DateTimeField(null=True, blank=True)
    advised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # The director's decision.
    release = models.CharField(_("decision"), max_length=8, choices=Release, blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    citations = models.JSONField(_("citations"), default=list, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    released_at = models.DateTimeField(null=True, blank=True)  # the release log closed

    # The patron's notice (none while a nondisclosure order is in force).
    notice_on = models.DateField(_("patron notified on"), null=True, blank=True)
    notice_method = models.CharField(_("how"), max_length=16, choices=NoticeMethod, blank=True)
    notice_note = models.TextField(_("remarks"), blank=True)

    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # Designees the director has let see a request under a nondisclosure order.
    granted = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    legal_hold = models.BooleanField(
        _("on legal hold"),
        default=False,
        help_text=_("Kept past its retention date while on hold."),
    )
    purged_at = models.DateTimeField(_("purged on"), null=True, blank=True)

    class Meta:
        verbose_name = _("records request")
        verbose_name_plural = _("records requests")
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["library", "state"])]

    def __str__(self):
        return f"#{self.pk} {self.get_kind_display()} ({self.received_on:%Y-%m-%d})"

    @property
    def ref(self) -> str:
        return f"records:{self.pk}"

    @property
    def gagged(self) -> bool:
        """Under a nondisclosure requirement, now or once: only the director, designees
        the director names, and counsel ever see it."""
        return (
            self.kind in GAG_KINDS
            or self.nondisclosure_order
            or (self.encounter_id is not None and self.encounter.gagged)
        )

    def gag_in_force(self, today: datetime.date | None = None) -> bool:
        """While in force, the patron is not told. A NSL or FISA order binds until a date
        is known (a court lifts it); a court's order until the date it names."""
        if not self.gagged:
            return False
        if self.nondisclosure_ends is None:
            return True
        return (today or self.today()) < self.nondisclosure_ends

    @property
    def library_zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.library.time_zone)

    def today(self) -> datetime.date:
        """Today where the library is."""
        return timezone.localdate(timezone=self.library_zone)

    @property
    def policy_document(self) -> str:
        """The document as the policy engine knows it."""
        return "none" if self.kind == Kind.CONSENT else self.kind


class RequestFile(models.Model):
    """A file of the request's document (a scan, a photo, the PDF), kept only AES-GCM
    encrypted (or only its hash, when the library keeps no document files)."""

    request = models.ForeignKey(RecordsRequest, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    content = models.BinaryField(null=True, blank=True)  # AES-GCM ciphertext
    key_id = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name or self.sha256[:12]


class ReleasedItem(models.Model):
    """One line of the release log: what was handed over, to whom, under which document.
    The released files themselves are never kept, only their SHA-256."""

    request = models.ForeignKey(
        RecordsRequest, on_delete=models.CASCADE, related_name="released_items"
    )
    what = models.TextField(_("what was released"), max_length=2000)
    recipient = models.CharField(_("to whom"), max_length=200)
    under = models.CharField(_("under which document"), max_length=200)
    released_on = models.DateField(_("released on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.released_on:%Y-%m-%d} → {self.recipient}"


class ReleasedFile(models.Model):
    item = models.ForeignKey(ReleasedItem, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(null=True, blank=True)

    def __str__(self):
        return self.sha256
