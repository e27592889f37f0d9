from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Attempt(models.Model):
    """One go at a module's questions or at a drill, and its score. A drill's attempt is
    linked to the drill encounter it ran through the real desk pages; the score and the
    answers stay here after the encounter's content is purged."""

    class Kind(models.TextChoices):
        MODULE = "module", _("Module")
        DRILL = "drill", _("Drill")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_attempts"
    )
    library = models.ForeignKey(
        "libraries.Library", on_delete=models.CASCADE, related_name="training_attempts"
    )
    kind = models.CharField(max_length=8, choices=Kind)
    key = models.CharField(max_length=60)  # the module's slug or the scenario's id
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    correct = models.PositiveSmallIntegerField(default=0)
    total = models.PositiveSmallIntegerField(default=0)
    passed = models.BooleanField(default=False)
    # The policy and the module's content as they were (a module changes with the policy).
    policy_version = models.CharField(max_length=40, blank=True)
    content_version = models.CharField(max_length=16, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    encounter = models.OneToOneField(
        "desk.Encounter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="drill_attempt",
    )

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["user", "kind", "key"])]

    def __str__(self):
        return f"{self.user} {self.kind} {self.key} {self.correct}/{self.total}"

    @property
    def scenario(self):
        from .scenarios import drills

        return drills().get(self.key) if self.kind == self.Kind.DRILL else None

    def _text(self, field):
        from django.utils.translation import get_language

        return self.scenario.text(field, get_language() or "en") if self.scenario else ""

    @property
    def title(self) -> str:
        if self.kind == self.Kind.MODULE:
            from .modules import titles

            return titles().get(self.key, self.key)
        return self._text("title")

    @property
    def narrative(self) -> str:
        return self._text("narrative")

    @property
    def percent(self) -> int:
        return round(100 * self.correct / self.total) if self.total else 0


class Assignment(models.Model):
    """A round of training a staff member owes, with its due date: a newcomer's first, the
    yearly refresher after each completed round, or a new one after the board adopts a new
    version of the policy. The latest is the one in force."""

    class Reason(models.TextChoices):
        NEW = "new", _("New staff member")
        REFRESHER = "refresher", _("Yearly refresher")
        POLICY = "policy", _("The policy changed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_assignments"
    )
    assigned_at = models.DateTimeField()
    due_on = models.DateField(_("due"))
    reason = models.CharField(max_length=12, choices=Reason)
    policy_version = models.CharField(max_length=40, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    reminded_for = models.DateField(null=True, blank=True)  # the due date last reminded of

    class Meta:
        ordering = ["-assigned_at", "-pk"]
        get_latest_by = ["assigned_at", "pk"]

    def __str__(self):
        return f"{self.user} due {self.due_on} ({self.reason})"
