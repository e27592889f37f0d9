from allauth.account import views as account_views
from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.urls import include, path
from django.views.i18n import set_language

from patronshield.accounts import oidc
from patronshield.libraries import views as policy_views

# The admin signs in through the same page, second factor included.
admin.site.login = secure_admin_login(admin.site.login)


def no_email_page(request):
    """allauth's e-mail page is off: nobody changes their own address (they could claim a
    colleague's); the library's administrator changes it in the admin."""
    raise Http404


urlpatterns = [
    path("", include("patronshield.desk.urls")),
    path("records/", include("patronshield.records.urls")),
    path("transparency/settings/", include("patronshield.public.staff_views")),
    path("training/", include("patronshield.training.urls")),
    path("policy/", include("patronshield.libraries.urls")),
    path("law/", policy_views.law_page, name="law"),
    path("after/", include("patronshield.aftercare.urls")),
    path("consortium/", include("patronshield.consortium.urls")),
    path("", include("patronshield.notifications.urls")),
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("logout/", account_views.LogoutView.as_view(), name="logout"),
    path("accounts/email/", no_email_page),
    # Sign-in providers link by signing in (accounts/oidc.py): no page to connect another
    # account, none to sign up.
    path("accounts/3rdparty/", no_email_page),
    path("accounts/3rdparty/signup/", no_email_page),
    path("accounts/oidc/<str:provider_id>/login/", login_not_required(oidc.login_view)),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("patronshield.public.urls")),
    path("", include("patronshield.aftercare.public_urls")),
]
