import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from patronshield.policy import state_laws


def state_choices():
    return [(code, law.name) for code, law in sorted(state_laws().items())]


# Languages a library may offer patrons (BCP 47), after the field's Know-Your-Rights sets.
PATRON_LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("zh-Hans", "简体中文"),
    ("zh-Hant", "繁體中文"),
    ("vi", "Tiếng Việt"),
    ("ko", "한국어"),
    ("tl", "Tagalog"),
    ("ar", "العربية"),
    ("fa", "فارسی"),
    ("ht", "Kreyòl ayisyen"),
    ("fr", "Français"),
    ("pt", "Português"),
    ("ru", "Русский"),
    ("uk", "Українська"),
    ("hi", "हिन्दी"),
    ("pa", "ਪੰਜਾਬੀ"),
    ("ur", "اردو"),
    ("so", "Soomaali"),
    ("am", "አማርኛ"),
]


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone: %(tz)s"), params={"tz": value})


def validate_regex(value):
    """A card pattern RE2 takes: no look-around or back-references, so no backtracking."""
    import re2

    from patronshield.desk.pii import card_regex

    try:
        card_regex(value)
    except re2.error as e:
        reason = e.args[0].decode() if e.args and isinstance(e.args[0], bytes) else str(e)
        raise ValidationError(
            _(
                "Not a pattern this library can use (%(error)s). Use digits, letters, \\d, "
                "{n} for a length and \\b for the ends, as in \\b2\\d{13}\\b."
            ),
            params={"error": reason},
        ) from e


def validate_languages(value):
    known = {code for code, _name in PATRON_LANGUAGES}
    if not isinstance(value, list) or not all(x in known for x in value):
        raise ValidationError(_("Languages must be chosen from the list."))


class Library(models.Model):
    """A library (one library system); it may have several branches."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    state = models.CharField(_("state"), max_length=2, choices=state_choices)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="America/Detroit", validators=[validate_time_zone]
    )
    languages = models.JSONField(
        _("languages offered"), default=list, validators=[validate_languages]
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    counsel_name = models.CharField(_("legal counsel"), max_length=200, blank=True)
    counsel_phone = models.CharField(_("counsel's phone"), max_length=32, blank=True)
    counsel_email = models.EmailField(_("counsel's e-mail"), blank=True)
    reescalation_seconds = models.PositiveIntegerField(
        _("re-escalation delay (seconds)"),
        default=180,
        validators=[MinValueValidator(15)],
        help_text=_("If nobody acknowledges within this time, the next person is called."),
    )
    first_wave = models.PositiveSmallIntegerField(
        _("people notified at once"),
        default=2,
        validators=[MinValueValidator(1)],
        help_text=_("The director and the first designee, by default."),
    )
    store_document_files = models.BooleanField(
        _("keep photos of documents"),
        default=True,
        help_text=_(
            "Keep the photos and PDFs of documents shown at the desk, encrypted, with the "
            "encounter. When off, only their fingerprints (SHA-256) are kept."
        ),
    )

    # Retention, from the library's Record Retention Policy (the model policy keeps records
    # "only as long as the state statute and the library's retention policy require").
    retain_encounters_days = models.PositiveIntegerField(
        _("keep encounter records (days)"),
        default=3 * 365,
        validators=[MinValueValidator(1)],
        help_text=_("After this, an encounter's details are deleted; its hashes stay."),
    )
    retain_documents_days = models.PositiveIntegerField(
        _("keep photos of documents (days)"),
        default=365,
        validators=[MinValueValidator(1)],
    )
    retain_requests_days = models.PositiveIntegerField(
        _("keep records requests (days)"),
        default=3 * 365,
        validators=[MinValueValidator(1)],
        help_text=_("Counted from the day the request was closed."),
    )
    card_number_pattern = models.CharField(
        _("library card number pattern"),
        validators=[validate_regex],
        max_length=100,
        default=r"\b2\d{13}\b",
        help_text=_(
            "A regular expression for the library's card barcodes (14 digits starting "
            "with 2 by default). Notes that match get a warning before they are saved."
        ),
    )

    class Meta:
        verbose_name = _("library")
        verbose_name_plural = _("libraries")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Branch(models.Model):
    library = models.ForeignKey(
        Library, on_delete=models.CASCADE, related_name="branches", verbose_name=_("library")
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(
        _("desk phone"),
        max_length=32,
        blank=True,
        help_text=_("The service desk's number: the director's live panel calls it."),
    )

    class Meta:
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["library", "name"], name="unique_branch_name")
        ]

    def __str__(self):
        return self.name


class Area(models.Model):
    """A part of the building, named by the library, public or not."""

    library = models.ForeignKey(
        Library, on_delete=models.CASCADE, related_name="areas", verbose_name=_("library")
    )
    name = models.CharField(_("name"), max_length=200)
    public = models.BooleanField(
        _("open to the public"),
        help_text=_("Officers may be in public areas; non-public areas need judicial process."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["-public", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["library", "name"], name="unique_area_name")]

    def __str__(self):
        return self.name


class PolicyVersion(models.Model):
    """One version of a library's own policy, as structured choices (policy/authoring.py).
    At most one draft per library; an adopted version never changes again, and the rules it
    made are kept as adopted (`rules`) so the desk applies exactly what the board adopted."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ADOPTED = "adopted", _("Adopted")
        SUPERSEDED = "superseded", _("Superseded")

    library = models.ForeignKey(
        Library,
        on_delete=models.CASCADE,
        related_name="policy_versions",
        verbose_name=_("library"),
    )
    number = models.PositiveIntegerField(_("version"))
    choices = models.JSONField(_("choices"))
    rules = models.JSONField(_("rules as adopted"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.DRAFT)
    board_adopted_on = models.DateField(_("adopted by the board on"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked adopted by"),
    )
    adopted_at = models.DateTimeField(_("marked adopted at"), null=True, blank=True)
    changes = models.JSONField(_("changes since the previous version"), default=list, blank=True)
    sources = models.JSONField(_("legal sources' review dates"), default=dict, blank=True)
    reminded = models.JSONField(_("reminders sent"), default=list, blank=True)
    edited_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last edited by"),
    )
    updated_at = models.DateTimeField(_("last edited"), auto_now=True)

    # What an adopted version may still record: who was reminded, and being superseded.
    MUTABLE_ONCE_ADOPTED = {"status", "reminded"}

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ["library", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["library", "number"], name="unique_policy_number"),
            models.UniqueConstraint(
                fields=["library"], condition=models.Q(status="draft"), name="one_policy_draft"
            ),
            models.UniqueConstraint(
                fields=["library"], condition=models.Q(status="adopted"), name="one_policy_adopted"
            ),
        ]

    def __str__(self):
        return f"{self.library} policy v{self.number} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        if self.pk:
            before = type(self).objects.filter(pk=self.pk).values().first()
            if before and before["status"] != self.Status.DRAFT:
                changed = {
                    f.attname
                    for f in self._meta.concrete_fields
                    if f.attname != "updated_at" and before[f.attname] != getattr(self, f.attname)
                }
                if changed - self.MUTABLE_ONCE_ADOPTED or self.status == self.Status.DRAFT:
                    raise ValidationError(_("An adopted policy version cannot be changed."))
        super().save(*args, **kwargs)
