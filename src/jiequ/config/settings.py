"""Settings from the environment (12-factor).

Everything that differs between a laptop and a server comes from an environment variable:
JIEQU_DEBUG, JIEQU_SECRET_KEY, DATABASE_URL, JIEQU_ALLOWED_HOSTS, JIEQU_MAP_TILE_URL, ...
Production adds `jiequ.config.production` on top of this module.
"""

import os
import secrets
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# The checkout root (src/jiequ/config/settings.py → three levels up); var/ lives there.
BASE_DIR = Path(os.environ.get("JIEQU_HOME", PACKAGE_DIR.parent.parent))
VAR_DIR = Path(os.environ.get("JIEQU_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)
# The partition's compiled loops (numba) are cached here, not beside the installed code, which
# may be read-only in production.
os.environ.setdefault("NUMBA_CACHE_DIR", str(VAR_DIR / "numba"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _development_secret_key() -> str:
    # Generated once and kept under var/ so sessions survive restarts on a developer's machine.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("JIEQU_DEBUG")
SECRET_KEY = os.environ.get("JIEQU_SECRET_KEY") or _development_secret_key()
ALLOWED_HOSTS = env_list("JIEQU_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("JIEQU_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "jiequ.core",
    "jiequ.accounts",
    "jiequ.areas",
    "jiequ.ledger",
    "jiequ.party",
    "jiequ.members",
    "jiequ.development",
    "jiequ.life",
    "jiequ.coverage",
    "jiequ.councils",
    "jiequ.cases",
    "jiequ.outbox",
    "jiequ.surveys",
    "jiequ.services",
    "jiequ.positions",
    "jiequ.offers",
    "jiequ.volunteers",
    "jiequ.api",
    "jiequ.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jiequ.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records the acting user on every history row (change log).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Locks out repeated failed log-ins (django-axes); must come last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jiequ.config.urls"
WSGI_APPLICATION = "jiequ.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jiequ.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'jiequ.sqlite3'}",
        conn_max_age=int(os.environ.get("JIEQU_DB_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "jiequ.accounts.backends.RoleBackend",
]
# Five wrong passwords for one user name from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("JIEQU_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Chinese first; English through the same translation catalogue.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
NODE_MODULES = Path(os.environ.get("JIEQU_NODE_MODULES", BASE_DIR / "node_modules"))
# Front-end libraries come from npm at set-up (package-lock.json) and are served from here.
STATICFILES_DIRS = [
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve straight from the finders outside production, so no collectstatic step is needed.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["jiequ.api.permissions.RolePermission"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Jiequ 街区 API",
    "DESCRIPTION": "JSON API of Jiequ. Every endpoint is scoped to the caller's region.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several apps name a choice set "state", "level" or "category": give each its own name.
    "ENUM_NAME_OVERRIDES": {
        "CaseLevelEnum": "jiequ.cases.models.Level",
        "CaseStateEnum": "jiequ.cases.models.State",
        "OrganisationLevelEnum": "jiequ.party.models.Level",
        "OrganisationCategoryEnum": "jiequ.party.models.Category",
        "ServiceCategoryEnum": "jiequ.services.models.Category",
        "EntityStateEnum": "jiequ.ledger.models.EntityState",
        "RegionLevelEnum": "jiequ.areas.models.RegionLevel",
        "MeetingStateEnum": "jiequ.councils.models.MeetingState",
        "TopicStateEnum": "jiequ.councils.models.TopicState",
        "BookingStateEnum": "jiequ.positions.models.BookingState",
        "TransferStateEnum": "jiequ.members.models.TransferState",
        "NeedStateEnum": "jiequ.services.models.NeedState",
        "ResourceStateEnum": "jiequ.services.models.ResourceState",
        "ProjectStateEnum": "jiequ.services.models.ProjectState",
        "VolunteerStateEnum": "jiequ.volunteers.models.VolunteerState",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("JIEQU_LOG_LEVEL", "INFO")},
    # django-axes logs every successful log-in at INFO; keep only its warnings.
    "loggers": {"axes": {"level": "WARNING"}},
}

# Maps: the tile URL is a setting. Empty means "no tiles": the map still draws its own shapes.
# JIEQU_MAP_TILE_CRS says which coordinate system the tiles use (Chinese providers use gcj02);
# the server then shifts every point to match.
JIEQU_MAP = {
    "TILE_URL": os.environ.get("JIEQU_MAP_TILE_URL", ""),
    "TILE_CRS": os.environ.get("JIEQU_MAP_TILE_CRS", "wgs84"),
    "ATTRIBUTION": os.environ.get("JIEQU_MAP_ATTRIBUTION", ""),
    "MAX_ZOOM": int(os.environ.get("JIEQU_MAP_MAX_ZOOM", "19")),
}

JIEQU_IMPORT_MAX_ROWS = int(os.environ.get("JIEQU_IMPORT_MAX_ROWS", "20000"))
JIEQU_IMPORT_MAX_BYTES = int(os.environ.get("JIEQU_IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
