from django.contrib import admin

from patronshield.accounts.admin_scope import LibraryScopedAdmin

from .models import GAGGED, Encounter


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
        # Drills are not records; a visit under a gag is not listed at all (even that one
        # exists is confidential): the director reads it on the desk's pages.
        return super().get_queryset(request).filter(drill=False).exclude(GAGGED)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
