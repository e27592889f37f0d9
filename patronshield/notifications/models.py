import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .transports import DestinationRefused, TransportError, check_webhook_url, twilio_configured


def new_secret():
    return secrets.token_urlsafe(32)


class Contact(models.Model):
    """Someone on the library's escalation roster, in the order they are called."""

    class Role(models.TextChoices):
        DIRECTOR = "director", _("Director")
        DESIGNEE = "designee", _("Designee")
        COUNSEL = "counsel", _("Legal counsel")

    library = models.ForeignKey(
        "libraries.Library", on_delete=models.CASCADE, related_name="contacts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        help_text=_("The staff account, if this person has one."),
    )
    role = models.CharField(_("role"), max_length=12, choices=Role)
    position = models.PositiveSmallIntegerField(
        _("order"), help_text=_("1 is called first; counsel comes last.")
    )
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    sms_email = models.EmailField(
        _("text-message gateway"),
        blank=True,
        help_text=_("The carrier's e-mail-to-text address, e.g. 3135550101@vtext.com."),
    )
    text_me = models.BooleanField(
        _("text messages to the phone"),
        default=True,
        help_text=_("Through the library's text-message provider, when one is set up."),
    )
    call_me = models.BooleanField(
        _("phone calls"),
        default=False,
        help_text=_(
            "A call that speaks the alert; pressing 1 answers “I’m on it”. Through the "
            "library's provider, when one is set up."
        ),
    )
    webhook_url = models.URLField(_("webhook"), blank=True)
    webhook_secret = models.CharField(_("webhook secret"), max_length=64, default=new_secret)
    drills = models.BooleanField(_("receives drill alerts"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["library", "position"]
        constraints = [
            models.UniqueConstraint(fields=["library", "position"], name="one_contact_per_position")
        ]

    def __str__(self):
        return f"{self.position}. {self.name} ({self.get_role_display()})"

    def clean(self):
        """A webhook goes only to a public address (checked again at each send: DNS changes)."""
        if not self.webhook_url:
            return
        try:
            check_webhook_url(self.webhook_url)
        except DestinationRefused as e:
            raise ValidationError({"webhook_url": _(
                "Webhooks go only to public Internet addresses, not to this server, a private "
                "network or a cloud's metadata service."
            )}) from e  # fmt: skip
        except TransportError as e:
            raise ValidationError(
                {"webhook_url": _("Enter an http or https address whose host name can be found.")}
            ) from e

    def channels(self) -> list[str]:
        """How this person is reached: "sms" is the carrier's e-mail-to-text gateway, "text"
        a text message through the provider (Twilio) to the phone, "call" a phone call
        through it."""
        return [
            c
            for c, value in (
                ("email", self.email),
                ("sms", self.sms_email),
                ("text", self.phone and self.text_me and twilio_configured()),
                ("call", self.phone and self.call_me and twilio_configured()),
                ("webhook", self.webhook_url),
            )
            if value
        ]


class Notification(models.Model):
    """The outbox: one message to one person on one channel for one step of the chain,
    written in the same transaction as the event that causes it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Delivered")
        FAILED = "failed", _("Failed")
        WITHHELD = "withheld", _("Withheld: nondisclosure")
        CANCELLED = "cancel", _("Not sent: the encounter was cancelled")

    encounter = models.ForeignKey(
        "desk.Encounter", on_delete=models.CASCADE, related_name="notifications"
    )
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="notifications")
    channel = models.CharField(max_length=8)
    wave = models.PositiveSmallIntegerField(default=1)
    key = models.CharField(max_length=80, unique=True)  # idempotency key
    status = models.CharField(max_length=8, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # A text or a call through the provider: its id there, and the last status its callback
    # reported.
    provider_sid = models.CharField(max_length=64, blank=True, db_index=True)
    provider_status = models.CharField(max_length=16, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.key


class AckLink(models.Model):
    """A one-tap "I'm on it" link: signed, single use, expiring."""

    encounter = models.ForeignKey("desk.Encounter", on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    jti = models.CharField(max_length=43, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.jti[:8]


class Device(models.Model):
    """A silent-alert device (a panic button, a phone shortcut, a kiosk)."""

    library = models.ForeignKey(
        "libraries.Library", on_delete=models.CASCADE, related_name="devices"
    )
    branch = models.ForeignKey(
        "libraries.Branch", on_delete=models.CASCADE, null=True, blank=True, related_name="devices"
    )
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["library", "name"], name="unique_device_name")
        ]

    def __str__(self):
        return self.name


class WorkerHeartbeat(models.Model):
    """One row: when the sweep last asked the background worker for a heartbeat (a task on
    the queue) and when a worker last ran one. `/healthz` reads it."""

    asked_at = models.DateTimeField(null=True, blank=True)
    heard_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"heard {self.heard_at}"
