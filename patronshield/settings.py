"""Patron Shield settings: one file, driven by environment variables, SQLite by default.

Secrets may come from the environment (`NAME`) or a file (`NAME_FILE`).
"""

import contextlib
import os
import secrets
import stat
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PATRONSHIELD_VAR_DIR", BASE_DIR / "var"))

# Nothing this process writes is readable by another account on the machine: files 0600,
# directories 0700 (the SQLite file and its -wal and -shm, the keys, the cache, backups).
# `patronshield` and patronshield.wsgi set it too, before anything else.
os.umask(0o077)


def env(name: str, default: str = "") -> str:
    if path := os.environ.get(f"{name}_FILE"):
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


def envbool(name: str, default: str = "0") -> bool:
    return env(name, default).lower() in ("1", "true", "yes", "on")


def envint(name: str, default: int) -> int:
    return int(env(name, str(default)))


def private_var_dir() -> None:
    """var/ and everything in it for this account alone, an install made before the umask
    included (a 0644 database becomes 0600, a 0755 directory 0700). Symbolic links are left."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    for top, _dirs, files in os.walk(VAR_DIR):
        for path in [top, *(os.path.join(top, name) for name in files)]:
            with contextlib.suppress(OSError):  # not ours to change: left as it is
                mode = os.lstat(path).st_mode
                if mode & 0o077 and not stat.S_ISLNK(mode):
                    os.chmod(path, stat.S_IMODE(mode) & 0o700)


private_var_dir()


def local_secret_key() -> str:
    """For local use only: a key generated once into var/."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = envbool("DEBUG")
SECRET_KEY = env("SECRET_KEY") or local_secret_key()
ALLOWED_HOSTS = [h for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
HTTPS = envbool("PATRONSHIELD_HTTPS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "patronshield.accounts",
    "patronshield.libraries",
    "patronshield.records",
    "patronshield.desk",
    "patronshield.notifications",
    "patronshield.public",
    "patronshield.training",
    "patronshield.aftercare",
    "patronshield.consortium",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "patronshield.public.rendered.PublicPagesMiddleware",  # stored public pages, from memory
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "patronshield.accounts.middleware.SessionLimitsMiddleware",
    "patronshield.accounts.middleware.RequireMFAMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "patronshield.accounts.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "patronshield.urls"
WSGI_APPLICATION = "patronshield.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "patronshield" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# Database: DATABASE_URL, else a SQLite file under var/ (WAL, IMMEDIATE, busy timeout).
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if database_url := env("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(database_url, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "patronshield.sqlite3",
            "OPTIONS": SQLITE_OPTIONS,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "desk:home"
LOGOUT_REDIRECT_URL = "login"
ACCOUNT_LOGOUT_REDIRECT_URL = "/login/"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Sign-in (django-allauth): e-mail and password, then the second factor (an authenticator
# app's code, or a recovery code). Required for directors, designees, counsel and
# administrators; offered to desk staff. Nobody signs up: accounts are made by the
# administrator (`patronshield user add`).
ACCOUNT_ADAPTER = "patronshield.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_REAUTHENTICATION_REQUIRED = True  # sensitive pages ask for the code again
ACCOUNT_REAUTHENTICATION_TIMEOUT = envint("REAUTHENTICATION_SECONDS", 15 * 60)
# django-axes throttles the password (below); the second factor's code is counted per account,
# whatever the address, in the shared cache: MFA_FAILURE_LIMIT wrong codes lock the code step
# for MFA_LOCKOUT_MINUTES (429; written to the access log; accounts/throttle.py).
MFA_FAILURE_LIMIT = envint("MFA_FAILURE_LIMIT", 5)
MFA_LOCKOUT_MINUTES = envint("MFA_LOCKOUT_MINUTES", 15)
ACCOUNT_RATE_LIMITS = {
    "login_failed": False,
    "mfa_code": f"{MFA_FAILURE_LIMIT}/{MFA_LOCKOUT_MINUTES}m/key",
}
MFA_ADAPTER = "patronshield.accounts.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_FORMS = {
    "authenticate": "patronshield.accounts.forms.AuthenticateForm",
    "reauthenticate": "patronshield.accounts.forms.ReauthenticateForm",
}
MFA_TOTP_ISSUER = "Patron Shield"
MFA_TOTP_TOLERANCE = 1  # a phone clock 30 seconds off still works; each code still works once
MFA_TRUST_ENABLED = False
MFA_REQUIRED_ROLES = ("director", "designee", "counsel", "admin")  # and every consortium operator
# Sign in with the library's accounts (OpenID Connect: Google Workspace, Microsoft Entra ID…),
# one provider per library, configured only here, from the environment, so no client secret
# sits in the database (docs/oidc.md). OIDC_LIBRARIES lists the libraries' short names; for
# each, OIDC_<SLUG>_ISSUER, OIDC_<SLUG>_CLIENT_ID, OIDC_<SLUG>_SECRET (or _SECRET_FILE),
# optionally OIDC_<SLUG>_NAME (the button: "Sign in with …") and OIDC_<SLUG>_TRUST_MFA=1 (the
# provider's own second factor, when its ID token says so in `amr`, stands for ours). A
# provider signs in only existing staff of its own library whose e-mail it has verified:
# nobody signs up, and the role stays the administrator's (accounts/oidc.py).


def oidc_apps(environ) -> list[dict]:
    def get(name: str, default: str = "") -> str:
        if path := environ.get(f"{name}_FILE"):
            return Path(path).read_text().strip()
        return environ.get(name, default)

    apps = []
    for slug in [s.strip() for s in environ.get("OIDC_LIBRARIES", "").split(",") if s.strip()]:
        key = "OIDC_" + slug.upper().replace("-", "_")
        issuer, client_id, secret = (get(f"{key}_{n}") for n in ("ISSUER", "CLIENT_ID", "SECRET"))
        if not (issuer and client_id and secret):
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured(f"{key}_ISSUER, _CLIENT_ID and _SECRET are all needed")
        apps.append(
            {
                "provider_id": slug,
                "name": get(f"{key}_NAME", slug),
                "client_id": client_id,
                "secret": secret,
                "settings": {
                    "server_url": issuer.rstrip("/"),
                    "library": slug,
                    "trust_mfa": get(f"{key}_TRUST_MFA", "0").lower() in ("1", "true", "yes"),
                    "oauth_pkce_enabled": True,
                },
            }
        )
    return apps


def oidc_origins(apps: list[dict]) -> list[str]:
    """The providers' origins: the sign-in button's form is sent on to them."""
    from urllib.parse import urlsplit

    return sorted({"{0.scheme}://{0.netloc}".format(urlsplit(a["settings"]["server_url"]))
                   for a in apps})  # fmt: skip


SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": oidc_apps(os.environ)}}
SOCIALACCOUNT_ADAPTER = "patronshield.accounts.adapter.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # linking by e-mail is ours, library checked
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False
# Second-factor methods (RFC 8176) in an ID token's `amr` that count as the provider's MFA.
OIDC_MFA_AMR = ("mfa", "otp", "hwk", "swk", "sc")
# One cache for every process (used TOTP codes are remembered there, so a code works once):
# files under var/ on one machine, Redis when REDIS_URL is set.
# "public": the rendered public pages and PDFs, one copy per content version for every
# process, kept across restarts (patronshield/public/rendered.py).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
    },
    "public": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "public-cache"),
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}
# Login throttling: five failures for one e-mail from one address lock that pair out for
# 15 minutes. Not the address alone (a branch's desks share one), not the e-mail alone
# (anyone could lock the director out); the same answer whether the account exists or not.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"  # the sign-in form's field (the e-mail address)
AXES_USERNAME_CALLABLE = "patronshield.accounts.throttle.username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/locked_out.html"
AXES_VERBOSE = False
# Behind reverse proxies, the client's address is taken from X-Forwarded-For, counted from the
# right (what a client writes itself stays on the left): TRUSTED_PROXY_COUNT proxies in front
# (nginx or Caddy alone: 1); TRUSTED_PROXY_IPS, optionally, the addresses of those beyond the
# nearest as X-Forwarded-For lists them (a CDN's network). 0, the default: X-Forwarded-For is
# ignored, so a client cannot pick its own address. django-axes reads it through django-ipware,
# whose count leaves out the nearest proxy (its address is REMOTE_ADDR); allauth counts it.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
TRUSTED_PROXY_IPS = [ip.strip() for ip in env("TRUSTED_PROXY_IPS").split(",") if ip.strip()]
if TRUSTED_PROXY_IPS and len(TRUSTED_PROXY_IPS) != TRUSTED_PROXY_COUNT - 1:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("TRUSTED_PROXY_IPS: one address per proxy beyond the nearest")
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1 if TRUSTED_PROXY_COUNT else None
AXES_IPWARE_PROXY_TRUSTED_IPS = TRUSTED_PROXY_IPS or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if TRUSTED_PROXY_COUNT else ("REMOTE_ADDR",)
)
IPWARE_STRICT = False  # more hops than expected: still the one the nearest proxy vouches for
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT  # allauth's own per-address limits
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages of the staff interface. Every user-facing string is translatable.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "patronshield" / "locale"]
USE_I18N = True
TIME_ZONE = "America/Detroit"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "patronshield" / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Background work: django.tasks with the database backend; Redis (django-tasks-rq) when
# REDIS_URL is set, for deployments that outgrow one machine. "heartbeat" carries only the
# worker's heartbeat (notifications/health.py), after "default", so it never delays an alert.
TASK_QUEUES = ["default", "heartbeat"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}
if REDIS_URL := env("REDIS_URL"):
    INSTALLED_APPS.append("django_rq")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": TASK_QUEUES}}
    RQ_QUEUES = {q: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 120} for q in TASK_QUEUES}
    REDIS_CACHE = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    CACHES = {
        "default": REDIS_CACHE,
        "public": {**REDIS_CACHE, "KEY_PREFIX": "public", "TIMEOUT": None},
    }


def mailer_from_url(url: str) -> dict:
    """EMAIL_URL: smtp://user:pass@host:port, smtp+tls://… (STARTTLS), smtps://… (TLS),
    or console:// (print messages; the default)."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url or "console://")
    if parts.scheme == "console":
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme not in ("smtp", "smtp+tls", "smtps"):
        raise ValueError(f"EMAIL_URL: unknown scheme {parts.scheme!r}")
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": parts.hostname or "localhost",
            "port": parts.port or (465 if parts.scheme == "smtps" else 25),
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_tls": parts.scheme == "smtp+tls",
            "use_ssl": parts.scheme == "smtps",
            "timeout": 10,
        },
    }


MAILERS = {"default": mailer_from_url(env("EMAIL_URL"))}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "patronshield@localhost")
# Links in messages (acknowledge, open the encounter) point here.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Roster webhooks go only to public addresses (not this machine, a private network or a
# cloud's metadata service), checked when saved and at each send; 1 lifts this, e.g. for a
# receiver on the library's own network.
WEBHOOK_ALLOW_PRIVATE = envbool("PATRONSHIELD_WEBHOOK_ALLOW_PRIVATE")
# Texts (and status callbacks) through Twilio: a contact with a phone gets text messages when
# these are set. TWILIO_API_URL replaces https://api.twilio.com (a regional edge, a test).
TWILIO_ACCOUNT_SID = env("TWILIO_ACCOUNT_SID")
TWILIO_AUTH_TOKEN = env("TWILIO_AUTH_TOKEN")
TWILIO_FROM = env("TWILIO_FROM")
TWILIO_API_URL = env("TWILIO_API_URL").rstrip("/")
# The library the public pages (/rights/, /resources/, /events/) serve when the database
# holds several; consortium members are also served under /l/<slug>/.
PATRONSHIELD_PUBLIC_LIBRARY = env("PATRONSHIELD_PUBLIC_LIBRARY")

# Uploads (document photos and PDFs, the officer's receipt, records files): a file larger
# than this is refused, and no more of it than this is ever held in memory or on disk.
PATRONSHIELD_UPLOAD_MAX_BYTES = envint("PATRONSHIELD_UPLOAD_MAX_MB", 30) * 1_048_576
FILE_UPLOAD_HANDLERS = [
    "patronshield.uploads.SizeLimit",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # a request with larger files writes them to /tmp
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # a request's fields, its files aside

# Security headers. Django's built-in CSP with nonces; nothing from another origin.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF, *oidc_origins(SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"])],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Sessions in the database, read through the cache (files, or Redis): a signed-in page costs
# no session query.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 12 * 3600)  # one desk shift, at most
SESSION_IDLE_SECONDS = envint("SESSION_IDLE_SECONDS", 30 * 60)  # signed out when left idle
DESK_IDLE_SECONDS = envint("DESK_IDLE_SECONDS", SESSION_COOKIE_AGE)  # desk staff: the shift
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # a monitor on the local network; it shows no data
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # A line for every task run (a heartbeat every 10 s) is noise; failures still show.
    "loggers": {"django.tasks": {"level": "WARNING"}},
}
