from django.contrib import admin
from django.contrib.admin.utils import unquote

from patronshield.accounts.admin_scope import LibraryScopedAdmin

from .access import access_record
from .models import GAGGED, Access, Encounter


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

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Its page, read-only: who opened it goes in the access log, as on the desk's."""
        response = super().change_view(request, object_id, form_url, extra_context)
        encounter = self.get_object(request, unquote(object_id))
        if response.status_code == 200 and encounter is not None:
            access_record(request=request, what=Access.What.ADMIN, encounter=encounter)
        return response
