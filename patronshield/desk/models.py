from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from patronshield.policy import vocab


class Agency(models.TextChoices):
    ICE = "ice", _("ICE (Immigration and Customs Enforcement)")
    CBP = "cbp", _("CBP (Customs and Border Protection)")
    HSI = "hsi", _("HSI (Homeland Security Investigations)")
    FBI = "fbi", _("FBI")
    US_MARSHALS = "us_marshals", _("U.S. Marshals")
    OTHER_FEDERAL = "other_federal", _("Another federal agency")
    STATE_POLICE = "state_police", _("State police")
    LOCAL_POLICE = "local_police", _("Local police")
    SHERIFF = "sheriff", _("Sheriff")
    OTHER = "other", _("Other, or not sure")


class Request(models.TextChoices):
    PRESENCE = "presence_public_area", _("To be in the library (public areas)")
    QUESTION = "question_people_public_area", _("To question people in the public areas")
    ARREST = "arrest_public_area", _("To arrest someone in a public area")
    ENTER = "enter_nonpublic_area", _("To go into a staff-only area")
    RECORDS = "patron_records", _("Patron records (accounts, borrowing, computer use)")
    WHEREABOUTS = "patron_whereabouts", _("Whether someone is or was in the library")
    FOOTAGE = "surveillance_footage", _("Security camera footage")
    SEIZE = "seize_equipment", _("To take computers or other equipment")
    STAFF = "staff_records", _("Staff records")


class Document(models.TextChoices):
    NONE = "none", _("Nothing: no document")
    VERBAL = "verbal", _("Only a spoken request")
    SEARCH_WARRANT = "judicial_search_warrant", _("Search warrant signed by a judge")
    ARREST_WARRANT = "judicial_arrest_warrant", _("Arrest warrant signed by a judge")
    ADMIN_WARRANT = (
        "administrative_warrant",
        _("ICE warrant (DHS Form I-200 or I-205), signed by an immigration officer"),
    )
    SUBPOENA = "judicial_subpoena", _("Court subpoena")
    GRAND_JURY = "grand_jury_subpoena", _("Grand jury subpoena")
    ADMIN_SUBPOENA = "administrative_subpoena", _("Agency subpoena (no court named)")
    COURT_ORDER = "court_order", _("Court order signed by a judge")
    DETAINER = "detainer", _("Immigration detainer (DHS Form I-247A)")
    NSL = "national_security_letter", _("National Security Letter (FBI)")
    FISA = "fisa_order", _("Foreign Intelligence Surveillance Court order")
    OTHER = "other", _("A letter, card or flyer: not legal papers")
    UNKNOWN = "unknown", _("I can't tell")


class Requester(models.TextChoices):
    """Who is asking, asked only about patron records (blank: not asked, an officer)."""

    OFFICER = "officer", _("An officer")
    PARENT = "parent_of_minor", _("A parent or guardian, about their child's records")
    PRIVATE = (
        "private_litigant",
        _("Someone in a private lawsuit (for example, with a lawyer's subpoena)"),
    )


assert {c.value for c in Agency} == set(vocab.AGENCIES)
assert {c.value for c in Requester} == set(vocab.REQUESTERS)
assert {c.value for c in Request} == set(vocab.REQUESTS)
assert {c.value for c in Document} == set(vocab.DOCUMENTS)


class Outcome(models.TextChoices):
    PERMIT = "permit", _("Officers may go ahead")
    COMPLY = "comply_after_approval", _("Comply after the director approves")
    REFER = "refer", _("Refer to the director and counsel")
    DECLINE = "decline", _("Politely decline")


# A visit under a gag (a National Security Letter, a FISA order), as a query.
GAGGED = models.Q(document__in=vocab.GAG_DOCUMENTS)


class Encounter(models.Model):
    """One visit by law enforcement, from the first tap at the desk. Names no patron."""

    library = models.ForeignKey(
        "libraries.Library", on_delete=models.PROTECT, related_name="encounters"
    )
    branch = models.ForeignKey(
        "libraries.Branch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="encounters",
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="encounters_started",
        verbose_name=_("on the desk"),
    )
    device = models.ForeignKey(
        "notifications.Device",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="encounters",
        verbose_name=_("silent alert from"),
    )
    escalation_wave = models.PositiveSmallIntegerField(default=0)
    language = models.CharField(_("language"), max_length=8, default="en")
    agency = models.CharField(_("agency"), max_length=20, choices=Agency, blank=True)
    request = models.CharField(_("asked for"), max_length=40, choices=Request, blank=True)
    document = models.CharField(_("document shown"), max_length=40, choices=Document, blank=True)
    requester = models.CharField(_("who is asking"), max_length=20, choices=Requester, blank=True)
    emergency = models.BooleanField(_("emergency"), null=True, blank=True)
    crime_at_library = models.BooleanField(
        _("about something that happened at the library"), null=True, blank=True
    )
    patron_consent = models.BooleanField(_("patron's written consent"), null=True, blank=True)
    # What the document check found wrong with the paper (policy.vocab.DOCUMENT_DEFECTS),
    # carried here when staff confirm the check; only the director sets them aside.
    document_defects = models.JSONField(_("what is wrong with the paper"), default=list, blank=True)
    outcome = models.CharField(_("decision"), max_length=24, choices=Outcome, blank=True)
    authorized = models.BooleanField(_("authorized"), null=True, blank=True)
    decision = models.JSONField(_("decision detail"), default=dict, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.CharField(_("acknowledged by"), max_length=200, blank=True)
    area = models.ForeignKey(
        "libraries.Area",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="encounters",
        verbose_name=_("area"),
    )
    drill = models.BooleanField(_("drill"), default=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="encounters_closed",
        verbose_name=_("closed by"),
    )
    legal_hold = models.BooleanField(
        _("legal hold"),
        default=False,
        help_text=_("Never purged while on hold, whatever the retention schedule says."),
    )
    purged_at = models.DateTimeField(_("purged"), null=True, blank=True)
    counsel = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="counsel_for",
        verbose_name=_("counsel invited"),
        help_text=_("Counsel see only the encounters they are invited to, read-only."),
    )

    class Meta:
        verbose_name = _("encounter")
        verbose_name_plural = _("encounters")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["library", "started_at"])]

    def __str__(self):
        return f"{self.library} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def gagged(self) -> bool:
        """A National Security Letter or FISA order: tell only the director and counsel."""
        return self.document in vocab.GAG_DOCUMENTS

    @property
    def needs_consent_answer(self) -> bool:
        return vocab.REQUEST_CLASSES.get(self.request) == "patron_info"

    @property
    def officer(self) -> bool:
        """An officer is asking (the default: who is asking is asked only about patrons)."""
        return self.requester in ("", Requester.OFFICER)

    def next_step(self) -> str | None:
        """The first question not yet answered, or None when the flow is complete."""
        from .steps import next_step

        return next_step(self)


class DocumentCheck(models.Model):
    """What a paper shown at the desk was found to be: by the checker from a photo or PDF,
    by the staff checklist, or both. The words read from it are kept only encrypted."""

    class Method(models.TextChoices):
        PHOTO = "photo", _("Photo or PDF")
        CHECKLIST = "checklist", _("Checklist only")

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting for the checker")
        RUNNING = "running", _("Being read")
        DONE = "done", _("Read by the checker")
        FAILED = "failed", _("Could not be checked")

    PENDING = (State.QUEUED, State.RUNNING)

    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE, related_name="checks")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(max_length=12, choices=Method)
    # A photo or PDF is read by a background task: queued, running (pages_read of pages),
    # then done or failed. A checklist is done at once.
    state = models.CharField(max_length=8, choices=State, default=State.DONE)
    pages_read = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("found"), max_length=40, choices=Document, blank=True)
    confidence = models.FloatField(default=0)
    form = models.CharField(max_length=16, blank=True)
    signed_by = models.CharField(max_length=24, blank=True)
    pages = models.PositiveSmallIntegerField(default=0)
    seconds = models.FloatField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.CharField(max_length=300, blank=True)
    # Signal ids and check results, without the words (those are in `evidence`).
    summary = models.JSONField(default=dict, blank=True)
    evidence = models.BinaryField(null=True, blank=True)  # AES-GCM: signals, checks, text
    checklist = models.JSONField(default=dict, blank=True)
    confirmed_kind = models.CharField(
        _("confirmed as"), max_length=40, choices=Document, blank=True
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # A second tap on "Check this paper" with the same files finds the first check.
            models.UniqueConstraint(
                fields=["encounter", "sha256"],
                condition=models.Q(state__in=["queued", "running"]),
                name="one_pending_check_per_upload",
            )
        ]

    def __str__(self):
        return f"{self.get_method_display()}: {self.confirmed_kind or self.kind or '-'}"

    @property
    def pending(self) -> bool:
        return self.state in self.PENDING


class PendingUpload(models.Model):
    """A file waiting for the checker's background task: only encrypted, and deleted when
    the task ends, whether the check succeeded or not and whatever the library keeps."""

    document_check = models.ForeignKey(
        DocumentCheck, on_delete=models.CASCADE, related_name="uploads"
    )
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    content = models.BinaryField()  # AES-GCM ciphertext

    class Meta:
        ordering = ["document_check", "position"]

    def __str__(self):
        return self.name

    @property
    def purpose(self) -> str:
        return f"pending-upload:{self.document_check_id}:{self.position}"


class DocumentPage(models.Model):
    """One uploaded file, re-encoded without metadata, encrypted; or only its hash when the
    library does not keep document images."""

    document_check = models.ForeignKey(
        DocumentCheck, on_delete=models.CASCADE, related_name="files"
    )
    name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    content = models.BinaryField(null=True, blank=True)  # AES-GCM ciphertext
    key_id = models.CharField(max_length=32, blank=True)

    def __str__(self):
        return self.name


class Event(models.Model):
    """One line of a library's timeline, appended, never changed: see `desk.chain`.

    Written only by `chain.event_append`, which links it to the event before it by hash.
    Database triggers refuse UPDATE and DELETE, except the retention purge, which may
    delete `data` (setting `purged_at`) and nothing else, so the chain still verifies.
    """

    class Kind(models.TextChoices):
        STARTED = "started", _("Encounter started")
        ANSWERED = "answered", _("Answer recorded")
        DECIDED = "decided", _("Decision")
        DOCUMENT = "document", _("Document checked")
        QUEUED = "queued", _("Notification queued")
        SENT = "sent", _("Notification delivered")
        FAILED = "failed", _("Notification failed")
        ESCALATED = "escalated", _("Escalated: nobody answered")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        OFFICER = "officer", _("Officer identified")
        ITEM = "item", _("Viewed, copied or taken")
        RECEIPT = "receipt", _("Receipt photographed")
        NOTE = "note", _("Note")
        APPROVAL = "approval", _("Director's decision")
        LEFT = "left", _("Officers left")
        CLOSED = "closed", _("Record closed")
        HOLD = "hold", _("Legal hold")
        PURGED = "purged", _("Purged under the retention schedule")
        CHECKPOINT = "checkpoint", _("Signed checkpoint")
        RECORDS = "records", _("Records request")
        ROTATED = "rotated", _("Data keys rotated")
        EXPORTED = "exported", _("Exported for counsel")
        INVITED = "invited", _("Counsel invited")
        TRANSPARENCY = "transparency", _("Transparency report or warrant canary")
        REVIEW = "review", _("After-action review")
        OVERRIDE = "override", _("Director set aside the document check")
        CANCELLED = "cancelled", _("Cancelled: started by mistake")
        TOLD_DESK = "told_desk", _("Message to the desk")
        CONSORTIUM = "consortium", _("Consortium early warning")

    library = models.ForeignKey(
        "libraries.Library", on_delete=models.PROTECT, related_name="events"
    )
    seq = models.PositiveBigIntegerField(_("number"))
    encounter = models.ForeignKey(
        Encounter, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    ref = models.CharField(max_length=40, blank=True, db_index=True)  # e.g. "records:12"
    at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=20, choices=Kind)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    data = models.JSONField(default=dict, blank=True, null=True)
    content_hash = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # HMAC of the hash under a key outside the database: nobody with only the database
    # can add or rewrite an event, not even at the end of the chain.
    mac = models.CharField(max_length=100)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["library", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["library", "seq"], name="one_event_per_seq"),
            models.CheckConstraint(condition=~models.Q(hash=""), name="event_is_sealed"),
        ]

    def __str__(self):
        return f"{self.at:%H:%M:%S} {self.get_kind_display()}"


class Chain(models.Model):
    """The head of a library's event chain, and the library's checkpoint-signing key
    (Ed25519, sealed with AES-GCM under a data key that is not in the database)."""

    library = models.OneToOneField(
        "libraries.Library", on_delete=models.PROTECT, primary_key=True, related_name="chain"
    )
    seq = models.PositiveBigIntegerField(default=0)
    head = models.CharField(max_length=64, default="0" * 64)
    mac = models.CharField(max_length=100, blank=True)  # of "seq:head", see Event.mac
    signing_key = models.BinaryField(null=True, blank=True)
    public_key = models.CharField(max_length=64, blank=True)

    def __str__(self):
        return f"{self.library_id} #{self.seq} {self.head[:12]}"


class Checkpoint(models.Model):
    """The chain's head at a moment, signed; a copy is mailed to the director and counsel."""

    library = models.ForeignKey(
        "libraries.Library", on_delete=models.PROTECT, related_name="checkpoints"
    )
    seq = models.PositiveBigIntegerField()
    head = models.CharField(max_length=64)
    at = models.CharField(max_length=40)  # the signed timestamp, as signed
    created_at = models.DateTimeField(auto_now_add=True)
    public_key = models.CharField(max_length=64)
    signature = models.CharField(max_length=128)
    reason = models.CharField(max_length=100)
    sent_to = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["library", "seq", "pk"]
        get_latest_by = "created_at"

    def __str__(self):
        return f"{self.library} #{self.seq} {self.head[:12]}"


class Attachment(models.Model):
    """A photo kept with the record (the officer's receipt for what was taken), re-encoded
    without metadata and encrypted; or only its hash when the library keeps no images."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Officer's receipt")
        PHOTO = "photo", _("Photo")

    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=12, choices=Kind)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    content = models.BinaryField(null=True, blank=True)  # AES-GCM ciphertext
    key_id = models.CharField(max_length=32, blank=True)

    def __str__(self):
        return self.name


class Access(models.Model):
    """Who opened which encounter's pages, and when: the director reads this."""

    library = models.ForeignKey(
        "libraries.Library", on_delete=models.CASCADE, related_name="accesses"
    )
    encounter = models.ForeignKey(
        Encounter, on_delete=models.CASCADE, related_name="accesses", null=True, blank=True
    )
    ref = models.CharField(max_length=40, blank=True, db_index=True)  # "records:<pk>"

    class What(models.TextChoices):
        RESULT = "result", _("what to do")
        DOCUMENT = "document", _("document check")
        RECORD = "record", _("incident record")
        EXPORT = "export", _("PDF for counsel")
        REQUEST = "request", _("records request")
        REQUEST_FILE = "request_file", _("records request file")
        ADMIN = "admin", _("opened in the admin")
        MFA_LOCKOUT = "mfa_lockout", _("second-factor code locked after wrong codes")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    what = models.CharField(max_length=40, choices=What)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("access")
        verbose_name_plural = _("access log")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.what} {self.subject}"

    @property
    def subject(self) -> str:
        return f"#{self.encounter_id}" if self.encounter_id else self.ref

    @property
    def request_pk(self) -> int | None:
        """The records request's number when this is an opening of one."""
        prefix, _sep, pk = self.ref.partition(":")
        return int(pk) if prefix == "records" and pk.isdigit() else None
