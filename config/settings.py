"""ServiceCRM settings. Zero environment variables give the embedded default (see README)."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext

from config.env import (
    env_bool,
    env_int,
    env_list,
    env_str,
)
from crm.core.private_files import private_dir, private_text_once

# Lets admin classes and querysets be subscripted for the type checker.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
# Database, secret key, queue, cache and e-mail files: created readable by their owner only.
VAR_DIR = private_dir(Path(env_str("VAR_DIR", str(BASE_DIR / "var"))))


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept under var/."""
    from_env = env_str("SECRET_KEY", "")
    if from_env:
        return from_env
    return private_text_once(VAR_DIR / "secret_key", make=secrets.token_urlsafe(50))


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "http://127.0.0.1:8000")

# `manage.py serve` (what `make run` starts): web server address, size and the admin login.
HOST = env_str("HOST", "127.0.0.1")
PORT = env_int("PORT", 8000)
WEB_WORKERS = env_int("WEB_WORKERS", 2)  # gunicorn processes
WEB_THREADS = env_int("WEB_THREADS", 4)  # threads per process (gthread)
ADMIN_USERNAME = env_str("ADMIN_USERNAME", "admin")
ADMIN_PASSWORD = env_str("ADMIN_PASSWORD", "")  # empty: generated once into var/admin-password
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90)  # a new API token expires after this many days

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "huey.contrib.djhuey",
    "ninja",
    "auditlog",
    "axes",
    "csp",
    "crm.core",
    "crm.audit",
    "crm.technicians",
    "crm.customers",
    "crm.appliances",
    "crm.plans",
    "crm.jobs",
    "crm.reviews",
    "crm.referrals",
    "crm.activities",
    "crm.engagement",
    "crm.messaging",
    "crm.llm",
    "crm.insights",
    "crm.office",
    "crm.accounts",
    "crm.portal",
    "crm.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Serves collected static files from gunicorn (make run collects them under var/static).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "crm.core.middleware.LoginRequiredMiddleware",
    "crm.core.middleware.RolePolicyMiddleware",
    # The audit trail's actor: the signed-in user or API token's user (docs/adr/0010).
    "crm.audit.context.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "crm" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "crm.core.roles.role_context",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "servicecrm.sqlite3"),
            # WAL and a busy timeout let the web server and the worker share the file.
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

HUEY_SHUTDOWN_TIMEOUT_S = env_int("HUEY_SHUTDOWN_TIMEOUT_S", 25)
HUEY = {
    "huey_class": "huey.RedisHuey" if REDIS_URL else "huey.SqliteHuey",
    "name": "servicecrm",
    # djhuey silently uses DEBUG when "immediate" is missing: always set it.
    "immediate": env_bool("HUEY_IMMEDIATE", False),
    "connection": {"url": REDIS_URL} if REDIS_URL else {"filename": str(VAR_DIR / "huey.sqlite3")},
    "consumer": {
        "workers": env_int("HUEY_WORKERS", 2),
        "worker_type": "thread",
        # SIGTERM (what process managers and `make run` send) lets running tasks finish, up to
        # HUEY_SHUTDOWN_TIMEOUT_S; a second signal interrupts them.
        "graceful_signal": "TERM",
        "shutdown_timeout": HUEY_SHUTDOWN_TIMEOUT_S,
    },
}

# The audit trail (docs/adr/0010): django-auditlog writing to our entry, which knows the customer.
AUDITLOG_LOGENTRY_MODEL = "audit.AuditEntry"
AUDITLOG_STORE_JSON_CHANGES = True  # old and new values as JSON (null stays null)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Password guessing (django-axes, counted in the database): LOGIN_FAILURE_LIMIT failures for a
# username, or from an address, within LOGIN_LOCKOUT_MINUTES lock that username or address out for
# LOGIN_LOCKOUT_MINUTES (each failure expires on its own); an admin unlocks at
# /admin/axes/accessattempt/ or with `manage.py axes_reset_username <name>`.
# Then Django's model backend, bringing the user's role (crm.core.roles) with the user row.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "crm.core.auth.RoleModelBackend",
]
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = dt.timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_USE_ATTEMPT_EXPIRATION = True
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one locks
AXES_CLIENT_IP_CALLABLE = "crm.core.throttling.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_SENSITIVE_PARAMETERS: list[str] = []  # the log names the username and address locked out
AXES_VERBOSE = False  # no banner on every manage.py command
# Behind a reverse proxy (nginx, a load balancer) that sets X-Forwarded-For and
# X-Forwarded-Proto: the client's address and HTTPS are read from those headers.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
# Public doors without login, per client address and minute (0: no limit): the survey and
# unsubscribe pages; the provider webhooks (Meta and Twilio post from few addresses, in bursts).
PUBLIC_PAGE_REQUESTS_PER_MINUTE = env_int("PUBLIC_PAGE_REQUESTS_PER_MINUTE", 30)
WEBHOOK_REQUESTS_PER_MINUTE = env_int("WEBHOOK_REQUESTS_PER_MINUTE", 6000)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_HOURS", 12) * 3600  # a working day, then sign in again
# HTTPS=true (production, TLS in front): redirect http to https, HSTS, cookies over TLS only.
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers check over plain HTTP
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", HTTPS)
if BEHIND_PROXY:
    # The proxy says whether the client used HTTPS; it must overwrite this header, never pass on
    # the client's own.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content-Security-Policy (django-csp): our own origin only; no inline script or style and no
# eval (pages and htmx need neither: behaviour is in static files).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns at start-up when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000_000
# Nameplate photos (issue 15): var/nameplates, or S3-compatible storage (docs/operations.md).
NAMEPLATE_STORAGE = env_str("NAMEPLATE_STORAGE", "local")


def _nameplate_storage() -> dict[str, Any]:
    if NAMEPLATE_STORAGE == "s3":
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": env_str("NAMEPLATE_S3_BUCKET", ""),
                "endpoint_url": env_str("NAMEPLATE_S3_ENDPOINT_URL", "") or None,
                "region_name": env_str("NAMEPLATE_S3_REGION", "") or None,
                "access_key": env_str("NAMEPLATE_S3_ACCESS_KEY_ID", "") or None,
                "secret_key": env_str("NAMEPLATE_S3_SECRET_ACCESS_KEY", "") or None,
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        }
    if NAMEPLATE_STORAGE != "local":
        raise ValueError(f"NAMEPLATE_STORAGE must be local or s3, got {NAMEPLATE_STORAGE!r}")
    return {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": str(private_dir(VAR_DIR / "nameplates")),
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    }


STORAGES["nameplates"] = _nameplate_storage()
MEDIA_ROOT = VAR_DIR / "media"  # the default storage's files (never served without login)

# EMAIL_HOST set: SMTP (unless EMAIL_BACKEND says otherwise); neither: files in var/sent-email.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = str(VAR_DIR / "sent-email")
EMAIL_HOST = EMAIL_HOST or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ServiceCRM <service@example.com>")

# The business: company, appointment and review rules, the LLM and messaging (its own module).
from config.settings_business import *  # noqa: E402, F403

# CSV import of customers (crm/office/importing, docs/adr/0005-csv-import-with-tablib.md).
IMPORT_MAX_MB = env_int("IMPORT_MAX_MB", 50)  # larger uploads are refused (413)
IMPORT_KEEP_HOURS = env_int("IMPORT_KEEP_HOURS", 24)  # an unconfirmed upload waits this long

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The LLM SDKs log every HTTP request at INFO.
        "httpx": {"level": "WARNING"},
        # The consumer (run_huey) installs its own handler; don't print its lines twice.
        "huey": {"propagate": False},
    },
}
