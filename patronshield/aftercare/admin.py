"""Only the staff support contacts are in the admin. Reviews, tasks, statements and, above
all, check-ins are not: the after-action pages show them to those who may see them, and a
check-in's answers to nobody but the person they belong to."""

from django.contrib import admin

from patronshield.accounts.admin_scope import LibraryScopedAdmin

from .models import SupportContact


@admin.register(SupportContact)
class SupportContactAdmin(LibraryScopedAdmin):
    list_display = ["name", "kind", "library", "phone"]
    list_filter = ["kind"]
