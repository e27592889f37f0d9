from django.contrib import admin

from patronshield.accounts.admin_scope import LibraryScopedAdmin

from .models import Encounter


@admin.register(Encounter)
class EncounterAdmin(LibraryScopedAdmin):
    """Read-only: encounters are written by the desk flow's services, never by hand."""

    list_display = [
        "started_at",
        "library",
        "branch",
        "agency",
        "request",
        "document",
        "outcome",
        "started_by",
    ]
    list_filter = ["library", "outcome", "agency"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(drill=False)  # drills are not records

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
