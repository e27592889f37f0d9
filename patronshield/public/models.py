"""The public side: review status of each Know-Your-Rights translation, the resources
directory and the library's events. The rights text itself is data (content/*.toml)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from patronshield.libraries.models import PATRON_LANGUAGES, Library


class ReviewStatus(models.TextChoices):
    MACHINE = "machine-drafted", _("machine-drafted")
    COMMUNITY = "community-reviewed", _("community-reviewed")
    COUNSEL = "counsel-reviewed", _("counsel-reviewed")


class TranslationReview(models.Model):
    """Who checked one language's rights text, and which version of it."""

    language = models.CharField(_("language"), max_length=16, choices=PATRON_LANGUAGES, unique=True)
    status = models.CharField(
        _("review status"),
        max_length=20,
        choices=ReviewStatus.choices,
        default=ReviewStatus.MACHINE,
    )
    version = models.CharField(
        _("content version reviewed"),
        max_length=20,
        help_text=_(
            "The version shown on the page. When the text changes, its version changes and "
            "the page shows the translation as not reviewed until it is reviewed again."
        ),
    )
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    reviewed_by = models.CharField(_("reviewed by"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("translation review")
        verbose_name_plural = _("translation reviews")
        ordering = ["language"]

    def __str__(self):
        return f"{self.language}: {self.get_status_display()}"

    def clean(self):
        if self.status != ReviewStatus.MACHINE and not self.reviewed_on:
            raise ValidationError({"reviewed_on": _("A review needs the date it was done.")})


class Resource(models.Model):
    """An entry of the library's directory: who to call for help."""

    class Kind(models.TextChoices):
        LEGAL_AID = "legal_aid", _("Legal aid")
        HOTLINE = "hotline", _("Hotlines")
        COUNSELLING = "counselling", _("Counselling")
        SUPPORT = "support_group", _("Support groups")
        CONSULATE = "consulate", _("Consulates")
        OTHER = "other", _("Other help")

    library = models.ForeignKey(
        Library,
        on_delete=models.CASCADE,
        related_name="public_resources",
        verbose_name=_("library"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    languages = models.CharField(
        _("languages spoken"), max_length=200, blank=True, help_text=_("e.g. English, Spanish")
    )
    hours = models.CharField(_("hours"), max_length=200, blank=True)
    free = models.BooleanField(_("free of charge"), default=True)
    sample = models.BooleanField(
        _("sample entry"), default=False, help_text=_("Shown as a sample, not a real contact.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["kind", "position", "name"]

    def __str__(self):
        return self.name


class Event(models.Model):
    """A workshop, legal clinic or community discussion the library hosts."""

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("Workshop")
        CLINIC = "legal_clinic", _("Legal clinic")
        DISCUSSION = "discussion", _("Community discussion")

    library = models.ForeignKey(
        Library, on_delete=models.CASCADE, related_name="public_events", verbose_name=_("library")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("where"), max_length=300, blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    partner = models.CharField(_("with"), max_length=200, blank=True)
    free = models.BooleanField(_("free of charge"), default=True)
    sample = models.BooleanField(_("sample entry"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("An event ends after it starts.")})


class TransparencySettings(models.Model):
    """The director's choices for the public transparency report and the warrant canary.
    Both national-security parts are off until the director turns them on."""

    library = models.OneToOneField(
        Library, on_delete=models.CASCADE, primary_key=True, related_name="transparency"
    )
    national_security_bands = models.BooleanField(
        _("report National Security Letters and FISA orders in the bands the law allows"),
        default=False,
        help_text=_(
            "Half-yearly, in bands of 500 starting with 0–499 (50 U.S.C. § 1874(a)(2)). "
            "Ask counsel before turning this on."
        ),
    )
    canary = models.BooleanField(
        _("publish a warrant canary"),
        default=False,
        help_text=_(
            "“As of <date>, this library has received no National Security Letter or FISA "
            "order.” It disappears by itself 30 days after the director last re-affirmed it."
        ),
    )
    canary_affirmed_at = models.DateTimeField(_("canary last re-affirmed"), null=True, blank=True)
    canary_affirmed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The affirmation whose expiry reminder went out (one reminder per affirmation).
    canary_reminded_for = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("transparency report settings")
        verbose_name_plural = _("transparency report settings")

    def __str__(self):
        return str(self.library)


class ReportEntry(models.Model):
    """What the transparency report counts of one encounter, written when it closes and
    before the retention purge deletes the events its outcome is read from. The report
    uses it only for purged encounters; it holds nothing the public report does not show."""

    encounter = models.OneToOneField(
        "desk.Encounter", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField()
    drill = models.BooleanField(default=False)
    gagged = models.BooleanField(default=False)
    agency = models.CharField(max_length=20)
    request = models.CharField(max_length=20)
    document = models.CharField(max_length=20)
    outcome = models.CharField(max_length=20)
    final = models.BooleanField(default=False)  # written after the encounter closed

    class Meta:
        indexes = [models.Index(fields=["library", "started_at"])]

    def __str__(self):
        return f"{self.encounter_id} {self.started_at:%Y-%m-%d}"


class PublishedPeriod(models.Model):
    """The figures of one ended quarter ("2026-Q3") or half-year ("2026-H2") of the
    transparency report, frozen when first published: only the bands shown, as low and high
    (never a count). Written once; the report shows these ever after, so two copies of the
    same period taken at different times are the same."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=8)
    bands = models.JSONField()  # {"total": [low, high], "agency": {"immigration": [...]}}
    published_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["library", "period"], name="one_publication")
        ]

    def __str__(self):
        return f"{self.library_id} {self.period}"
