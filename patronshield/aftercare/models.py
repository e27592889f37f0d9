"""After the visit: the after-action review of a closed encounter, its follow-up tasks, the
private check-in offered to each staff member who was there, and the statement to the
community. Nothing here names a patron; a check-in's answers are kept only sealed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Followed(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class Review(models.Model):
    """Opened when an encounter is closed; written by the director and the designees. Part
    of the library's internal record: what went well and what did not, never who."""

    encounter = models.OneToOneField(
        "desk.Encounter", on_delete=models.CASCADE, related_name="review"
    )
    library = models.ForeignKey(
        "libraries.Library", on_delete=models.CASCADE, related_name="reviews"
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    went_well = models.TextField(_("What went well"), blank=True)
    went_badly = models.TextField(_("What did not go well"), blank=True)
    policy_followed = models.CharField(
        _("Was the policy followed?"), max_length=8, choices=Followed, blank=True
    )
    policy_step = models.CharField(_("Which step was not followed"), max_length=300, blank=True)
    to_change = models.TextField(_("What to change"), blank=True)
    review_policy = models.BooleanField(_("The policy should be reviewed"), default=False)
    review_training = models.BooleanField(_("The training should be reviewed"), default=False)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The community impact note.
    impact_seen = models.TextField(_("What the community may have seen"), blank=True)
    impact_rumours = models.TextField(_("Rumours to correct"), blank=True)
    impact_groups = models.TextField(_("Groups to reach"), blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("after-action review")
        verbose_name_plural = _("after-action reviews")
        ordering = ["-opened_at"]

    def __str__(self):
        return f"{self.library} review #{self.pk}"

    @property
    def needs_policy_review(self) -> bool:
        return self.review_policy or self.policy_followed in (Followed.PARTLY, Followed.NO)


class Task(models.Model):
    """A follow-up from the review, with an owner on the library's staff and a due date.
    One reminder a few days before the due date and one on it, each once per due date."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("what to do"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="aftercare_tasks",
        verbose_name=_("who"),
    )
    due = models.DateField(_("due"))
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reminded_before = models.DateField(null=True, blank=True)  # the due date it was for
    reminded_due = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["done_at", "due", "pk"]

    def __str__(self):
        return self.title


class CheckIn(models.Model):
    """A private check-in for one person who was there. Only they answer it and read it;
    the director sees that it was offered and whether help was asked for. The answers are
    sealed (AES-GCM) and appear in no export, no admin page and no backup in clear."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="checkins")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="aftercare_checkins"
    )
    offered_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    help_requested = models.BooleanField(null=True, blank=True)
    sealed = models.BinaryField(null=True, blank=True)  # AES-GCM: the answers

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "user"], name="one_checkin_per_person")
        ]

    def __str__(self):
        return f"check-in #{self.pk}"

    @property
    def purpose(self) -> str:
        return f"aftercare-checkin:{self.pk}:{self.user_id}"


class SupportContact(models.Model):
    """Where staff can find help after a visit: the employee assistance programme,
    counselling, support groups. Shown to staff only, beside the counselling and support
    groups of the public resources directory."""

    class Kind(models.TextChoices):
        EAP = "eap", _("Employee assistance programme")
        COUNSELLING = "counselling", _("Counselling")
        SUPPORT = "support_group", _("Support groups")

    library = models.ForeignKey(
        "libraries.Library",
        on_delete=models.CASCADE,
        related_name="support_contacts",
        verbose_name=_("library"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    website = models.URLField(_("website"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("staff support contact")
        verbose_name_plural = _("staff support contacts")
        ordering = ["kind", "position", "name"]

    def __str__(self):
        return self.name


class Statement(models.Model):
    """The library's statement to the community about one visit, in one language: drafted
    from the encounter with no personal data, edited and approved by the director, then
    shown on the public site."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="statements")
    language = models.CharField(_("language"), max_length=16)
    text = models.TextField(_("text"), blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published = models.BooleanField(_("published"), default=False)
    period = models.CharField(max_length=100, blank=True)  # "the week of …", in its language

    class Meta:
        ordering = ["-approved_at", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "language"], name="one_statement_per_language"
            )
        ]

    def __str__(self):
        return f"statement #{self.pk} ({self.language})"

    @property
    def language_name(self) -> str:
        from patronshield.libraries.models import PATRON_LANGUAGES

        return dict(PATRON_LANGUAGES).get(self.language, self.language)
