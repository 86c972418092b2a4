"""Production settings: `DJANGO_SETTINGS_MODULE=jiequ.config.production`.

Behind nginx terminating TLS (see docs/deployment.md). Passes `jiequ check --deploy`.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .settings import *  # noqa: F403
from .settings import STORAGES

JIEQU_REQUIRE_FIELD_KEY = True

if not os.environ.get("JIEQU_SECRET_KEY"):
    raise ImproperlyConfigured("生产环境必须设置 JIEQU_SECRET_KEY / JIEQU_SECRET_KEY must be set")
SECRET_KEY = os.environ["JIEQU_SECRET_KEY"]
DEBUG = False

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

WHITENOISE_USE_FINDERS = False
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
