"""A consortium's early warning: what each member library chose to share and receive, the
visits shared (in general terms only), and the outbox of warnings to the other members.

A shared visit holds no officer, no patron, no note, no time and no branch: the date, the
agency's class and the request's class, nothing else."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from patronshield.libraries.models import Library


class ConsortiumSettings(models.Model):
    """The director's choices; all off until the director turns them on."""

    library = models.OneToOneField(
        Library, on_delete=models.CASCADE, primary_key=True, related_name="consortium"
    )
    shares = models.BooleanField(
        _("warn the other member libraries"),
        default=False,
        help_text=_(
            "When a visit by an immigration or other federal agency closes, the other members "
            "that receive warnings are told the date and, in general terms, what was asked."
        ),
    )
    shares_name = models.BooleanField(
        _("say it was this library"),
        default=False,
        help_text=_("Off: the warning says only “a member library”."),
    )
    receives = models.BooleanField(
        _("receive the other members' warnings"),
        default=False,
        help_text=_("The director gets an e-mail; the director and designees see the page."),
    )

    class Meta:
        verbose_name = _("consortium early warning settings")
        verbose_name_plural = _("consortium early warning settings")

    def __str__(self):
        return str(self.library)


class AgencyClass(models.TextChoices):
    IMMIGRATION = "immigration", _("Immigration enforcement")
    FEDERAL = "federal", _("Another federal agency")


class SharedVisit(models.Model):
    """One closed visit a sharing library warned the others about."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="+")
    # Only so that one visit is shared once; never shown, never linked.
    encounter = models.OneToOneField("desk.Encounter", on_delete=models.CASCADE, related_name="+")
    on = models.DateField(_("date"))
    agency_class = models.CharField(max_length=16, choices=AgencyClass)
    # policy.vocab.REQUEST_CLASSES' class, or blank when the request was not recorded.
    request_class = models.CharField(max_length=16, blank=True)
    name_shared = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-pk"]

    def __str__(self):
        return f"{self.on} {self.agency_class}"


class Delivery(models.Model):
    """The outbox: one warning to one member library's director, claimed before it is
    sent, released (and tried again later) when sending fails."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        DROPPED = "dropped", _("Not sent: the library stopped receiving warnings")

    visit = models.ForeignKey(SharedVisit, on_delete=models.CASCADE, related_name="deliveries")
    to = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=8, choices=Status, default=Status.PENDING)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["visit", "to"], name="one_warning_each")]

    def __str__(self):
        return f"{self.visit} -> {self.to}"
