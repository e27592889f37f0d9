from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialApp, SocialToken
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from patronshield.libraries.models import Library

from .admin_scope import LibraryScopedAdmin
from .models import Role, User

# Sign-in providers are configured from the environment only (settings.oidc_apps), so no
# client secret is typed into the database; their tokens are not stored.
for model in (SocialApp, SocialToken):
    if admin.site.is_registered(model):
        admin.site.unregister(model)

# The roles a library's administrator may give (volunteers are desk staff with the flag):
# never director, administrator or operator, and never their own.
SCOPED_ROLES = (Role.DESK, Role.DESIGNEE, Role.COUNSEL)


def libraries_without_administrator():
    admins = User.objects.filter(role=Role.ADMIN, is_active=True, library__isnull=False)
    return Library.objects.exclude(pk__in=admins.values("library_id"))


@admin.register(User)
class UserAdmin(LibraryScopedAdmin, BaseUserAdmin):
    """A superuser edits anyone but makes no superuser (only the command line does); a
    library's administrator gives only SCOPED_ROLES, to others, and never admin access; a
    consortium operator only adds a library's first administrator."""

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
        (_("Access"), {"fields": ["is_active", "is_staff"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["email", "password1", "password2", "library", "role"]},
        ),
    ]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        qs = qs.filter(is_superuser=False, is_operator=False)  # theirs to edit: never these
        return qs.filter(role=Role.ADMIN) if self._operator(request) else qs

    def has_change_permission(self, request, obj=None):
        # An operator changes no account (nor its password: that page asks this too); the
        # add page asks without an account, and Django's asks for change permission there.
        operator = obj is not None and self._operator(request)
        return super().has_change_permission(request, obj) and not operator

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._operator(request)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._scoped(request):
            return fieldsets
        # A library's administrator cannot give admin access or move anyone elsewhere.
        hidden = {"is_staff", "library"}
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f not in hidden]})
            for name, opts in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if self._scoped(request) and obj and (obj == request.user or obj.role not in SCOPED_ROLES):
            return [*fields, "role"]
        return fields

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not request.user.is_superuser:
            roles = [Role.ADMIN] if self._operator(request) else SCOPED_ROLES
            kwargs["choices"] = [(r.value, r.label) for r in roles]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "library" and self._operator(request):
            kwargs.update(queryset=libraries_without_administrator(), required=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser and not self._may_save(request, obj):
            raise PermissionDenied  # what the form allows, checked again on the row itself
        if self._operator(request):
            obj.is_staff = True  # the library's first administrator works in the admin
        super().save_model(request, obj, form, change)
        if change and "email" in form.changed_data:  # the old address reaches nobody now
            EmailAddress.objects.filter(user=obj).exclude(email__iexact=obj.email).delete()

    def _may_save(self, request, obj) -> bool:
        before = User.objects.filter(pk=obj.pk).first() if obj.pk else None
        if obj.is_superuser or obj.is_operator:
            return False
        if self._operator(request):
            return (
                before is None
                and obj.role == Role.ADMIN
                and libraries_without_administrator().filter(pk=obj.library_id).exists()
            )
        if before is None:
            return obj.role in SCOPED_ROLES and not obj.is_staff
        if obj.is_staff != before.is_staff:
            return False
        return obj.role == before.role or (
            obj != request.user and obj.role in SCOPED_ROLES and before.role in SCOPED_ROLES
        )
