"""A real OpenID Connect provider for the sign-in tests: django-oauth-toolkit in OIDC mode, in
its own process with its own SQLite database and a fresh RSA key, serving on 127.0.0.1.

    python tests/oidc_provider.py CONFIG.json

CONFIG: {"port", "issuer" (the issuer it names itself), "db", "clients": [{"client_id",
"secret", "redirect_uris": [...]}], "users": [{"email", "password", "email_verified",
"amr" (optional, a list)}]}. Each user signs in at /accounts/login/ with the e-mail as user
name; the ID token and userinfo carry email, email_verified, name and, if given, amr.
"""

import json
import sys
from pathlib import Path

CONFIG = json.loads(Path(sys.argv[1]).read_text()) if __name__ == "__main__" else {}
USERS = {u["email"]: u for u in CONFIG.get("users", [])}

LOGIN_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Test identity provider</title></head><body><h1>Test identity provider</h1>
<form method="post">{% csrf_token %}{{ form.as_p }}
<input type="hidden" name="next" value="{{ next }}"><button type="submit">Log in</button></form>
</body></html>"""


def rsa_key() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def configure():
    from django.conf import settings

    settings.configure(
        DEBUG=False,
        SECRET_KEY="test-provider-" + "x" * 40,
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "oauth2_provider",
        ],
        MIDDLEWARE=[
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ],
        ROOT_URLCONF="__main__",
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": CONFIG["db"]}},
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "OPTIONS": {
                    "loaders": [
                        ("django.template.loaders.locmem.Loader", {"login.html": LOGIN_PAGE}),
                        "django.template.loaders.app_directories.Loader",
                    ],
                    "context_processors": ["django.template.context_processors.request"],
                },
            }
        ],
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        LOGIN_URL="/accounts/login/",
        USE_TZ=True,
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        SESSION_COOKIE_NAME="idp_session",  # the app under test runs on the same machine
        CSRF_COOKIE_NAME="idp_csrftoken",
        OAUTH2_PROVIDER={
            "OIDC_ENABLED": True,
            "OIDC_RSA_PRIVATE_KEY": rsa_key(),
            "OIDC_ISS_ENDPOINT": CONFIG["issuer"],
            "PKCE_REQUIRED": True,
            "SCOPES": {"openid": "OpenID Connect", "profile": "Profile", "email": "E-mail"},
            "OAUTH2_VALIDATOR_CLASS": "__main__.Validator",
        },
    )


def main():
    import django

    configure()
    django.setup()

    from django.contrib.auth.models import User
    from django.contrib.auth.views import LoginView
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from django.core.servers.basehttp import run
    from django.urls import include, path
    from oauth2_provider.models import Application
    from oauth2_provider.oauth2_validators import OAuth2Validator

    class Validator(OAuth2Validator):
        oidc_claim_scope = None  # every claim below, whatever the scopes

        def get_additional_claims(self, request):
            info = USERS[request.user.username]
            claims = {
                "email": info["email"],
                "email_verified": info["email_verified"],
                "name": info["email"].split("@")[0].title(),
            }
            if "amr" in info:
                claims["amr"] = info["amr"]
            return claims

    module = sys.modules["__main__"]
    module.Validator = Validator
    module.urlpatterns = [
        path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
        path("accounts/login/", LoginView.as_view(template_name="login.html")),
    ]

    call_command("migrate", verbosity=0)
    for info in CONFIG["users"]:
        User.objects.create_user(info["email"], info["email"], info["password"])
    for client in CONFIG["clients"]:
        Application.objects.create(
            name=client["client_id"],
            client_id=client["client_id"],
            client_secret=client["secret"],
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=" ".join(client["redirect_uris"]),
            algorithm=Application.RS256_ALGORITHM,
            skip_authorization=True,
        )
    print("ready", flush=True)
    run("127.0.0.1", CONFIG["port"], WSGIHandler(), ipv6=False, threading=True)


if __name__ == "__main__":
    main()
