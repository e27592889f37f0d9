from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .admin_scope import LibraryScopedAdmin
from .models import User


@admin.register(User)
class UserAdmin(LibraryScopedAdmin, BaseUserAdmin):
    for_operator = True
    ordering = ["library", "role", "designee_order", "last_name"]
    list_display = [
        "email",
        "first_name",
        "last_name",
        "library",
        "role",
        "designee_order",
        "is_active",
    ]
    list_filter = ["library", "role", "volunteer", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "phone", "language"]}),
        (
            _("Library role"),
            {"fields": ["library", "branch", "role", "designee_order", "volunteer"]},
        ),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["email", "password1", "password2", "library", "role"]},
        ),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._scoped(request):
            return fieldsets
        # A library's administrator cannot make anyone a superuser or move them elsewhere.
        hidden = {"is_superuser", "library"}
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f not in hidden]})
            for name, opts in fieldsets
        ]
