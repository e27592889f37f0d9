from django.contrib import admin

from .models import GAGGED, RecordsRequest


@admin.register(RecordsRequest)
class RecordsRequestAdmin(admin.ModelAdmin):
    """Read-only, and only the workflow's skeleton; a request under nondisclosure is not
    listed at all (even that one exists is confidential). The records pages show the rest
    to those whose role may see it."""

    list_display = ["pk", "library", "kind", "state", "received_on", "deadline", "legal_hold"]
    list_filter = ["library", "state", "kind"]
    fields = [
        "library",
        "kind",
        "state",
        "received_on",
        "deadline",
        "advised_at",
        "decided_at",
        "released_at",
        "closed_at",
        "legal_hold",
        "purged_at",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(GAGGED)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
