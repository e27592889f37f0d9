"""The admin for a library's administrator: only their library's rows.

The deployment's superuser sees every library; a consortium's operator (`is_operator`, set
only on the command line, no library of their own) creates libraries and their first
administrators and sees no encounter, roster or device; an administrator (role "admin",
staff) sees and edits only the library they belong to: its profile, branches and areas,
roster, desk devices, staff accounts, and reads its encounters. Every drop-down of staff
lists only that library's people.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model


class LibraryScopedAdmin(admin.ModelAdmin):
    library_field = "library"  # the path from a row to its library ("pk" for Library itself)
    for_operator = False  # a consortium operator manages libraries and their first accounts

    def _operator(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_staff and user.is_operator

    def _scoped(self, request) -> bool:
        return not (request.user.is_superuser or (self.for_operator and self._operator(request)))

    def _is_admin(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_staff and user.role == "admin" and user.library_id

    def has_module_permission(self, request):
        if self._operator(request):
            return self.for_operator  # never an encounter, a roster or a device
        return request.user.is_superuser or bool(self._is_admin(request))

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if self._scoped(request):
            field = "pk" if self.library_field == "pk" else f"{self.library_field}_id"
            qs = qs.filter(**{field: request.user.library_id})
        return qs

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        return filters if not self._scoped(request) else [f for f in filters if f != "library"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if self._scoped(request):
            from patronshield.libraries.models import Branch, Library

            if db_field.related_model is Library:
                kwargs["queryset"] = Library.objects.filter(pk=request.user.library_id)
            elif db_field.related_model is Branch:
                kwargs["queryset"] = Branch.objects.filter(library_id=request.user.library_id)
            elif db_field.related_model is get_user_model():
                kwargs["queryset"] = self._library_people(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if self._scoped(request) and db_field.related_model is get_user_model():
            kwargs["queryset"] = self._library_people(request)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _library_people(self, request):
        return get_user_model().objects.filter(library_id=request.user.library_id)

    def save_model(self, request, obj, form, change):
        if self._scoped(request) and self.library_field == "library":
            obj.library_id = request.user.library_id
        super().save_model(request, obj, form, change)
