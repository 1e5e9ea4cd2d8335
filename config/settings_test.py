"""Test settings: the real settings with tasks run inline and fast password hashing."""

import os
import tempfile

from config.settings import *  # noqa: F403
from config.settings import DATABASES, HUEY

HUEY = {**HUEY, "immediate": True}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file rather than shared memory: the live server of the browser tests then gives each
    # request thread its own connection, as gunicorn's threads have. Threads sharing the one
    # in-memory connection fail ("database table is locked") when a page loads several panels
    # at once. One file per test run, so runs side by side do not meet.
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"servicecrm-test-{os.getpid()}.sqlite3")
    }
# The per-address limits of the public pages and webhooks would trip on a suite that calls them
# from one address in the same minute; their own tests set a limit.
PUBLIC_PAGE_REQUESTS_PER_MINUTE = 0
WEBHOOK_REQUESTS_PER_MINUTE = 0
