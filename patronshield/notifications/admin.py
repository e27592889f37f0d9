import logging

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from patronshield.accounts.admin_scope import LibraryScopedAdmin
from patronshield.desk.timeline import CHANNELS
from patronshield.policy import vocab

from . import transports
from .messages import call_answer_twiml
from .models import Contact, Device, Notification

logger = logging.getLogger(__name__)


@admin.register(Contact)
class ContactAdmin(LibraryScopedAdmin):
    list_display = [
        "library",
        "position",
        "name",
        "role",
        "email",
        "sms_email",
        "webhook_url",
        "text_me",
        "drills",
        "active",
        "last_delivery",
    ]
    list_filter = ["library", "role", "drills", "active"]
    ordering = ["library", "position"]
    actions = ["send_test"]

    @admin.display(description=_("last delivery"))
    def last_delivery(self, contact):
        """The newest message to this person: channel, status, time and error. Not a drill's,
        not one of a visit under a gag (even that one exists is confidential)."""
        n = (
            contact.notifications.filter(encounter__drill=False)
            .exclude(encounter__document__in=vocab.GAG_DOCUMENTS)
            .order_by("-created_at", "-pk")
            .first()
        )
        if n is None:
            return "—"
        when = date_format(timezone.localtime(n.sent_at or n.created_at), "SHORT_DATETIME_FORMAT")
        status = n.get_status_display()
        if n.provider_status == "delivered":
            status = gettext("Delivered (confirmed by the phone network)")
        parts = [CHANNELS.get(n.channel, n.channel), status, when, n.last_error]
        return " · ".join(str(p) for p in parts if p)

    @admin.action(description=_("Send a test message"))
    def send_test(self, request, queryset):
        """Sends to each channel; says only whether it went, never the socket's message
        (the server's log has it), so the action cannot be used to probe the network."""
        for contact in queryset:
            results, failed = [], False
            for channel in contact.channels():
                key = f"test-c{contact.pk}-{channel}"
                text = (
                    f"Test from Patron Shield for {contact.name} ({contact.library}). "
                    "No action needed."
                )
                try:
                    if channel == "text":
                        transports.send_text(contact.phone, text)
                    elif channel == "call":
                        transports.place_call(contact.phone, call_answer_twiml(text))
                    elif channel == "webhook":
                        transports.send_webhook(
                            contact.webhook_url,
                            contact.webhook_secret,
                            {"type": "test", "key": key, "text": text},
                            key,
                        )
                    else:
                        address = contact.email if channel == "email" else contact.sms_email
                        transports.send_email(address, "Patron Shield test", text, key)
                    results.append(gettext("%(channel)s: sent") % {"channel": channel})
                except transports.DestinationRefused:
                    failed = True
                    results.append(
                        gettext("%(channel)s: not sent, the address is not a public one")
                        % {"channel": channel}
                    )
                except transports.TransportError as e:
                    logger.warning("test message to contact %s, %s: %s", contact.pk, channel, e)
                    failed = True
                    results.append(gettext("%(channel)s: not sent") % {"channel": channel})
            level = messages.ERROR if failed else messages.SUCCESS
            self.message_user(
                request, f"{contact.name}: {'; '.join(results) or 'no channel'}", level
            )


@admin.register(Device)
class DeviceAdmin(LibraryScopedAdmin):
    list_display = ["name", "library", "branch", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["token_hash", "created_at", "last_used_at"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "encounter",
        "contact",
        "channel",
        "wave",
        "status",
        "attempts",
        "last_error",
    ]
    list_filter = ["status", "channel"]

    def get_queryset(self, request):
        # Not drills; not a visit under a gag (even that one exists is confidential).
        return (
            super()
            .get_queryset(request)
            .filter(encounter__drill=False)
            .exclude(encounter__document__in=vocab.GAG_DOCUMENTS)
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
