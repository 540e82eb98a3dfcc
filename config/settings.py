"""Django settings, all read from the environment (and ``.env`` when present)."""

from importlib.util import find_spec
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Written by ``make services``; real environment variables win over it.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Deploy mode is the default: development turns DEBUG on explicitly (``make services``
# writes DEBUG=1 to .env), so a server started without configuration never runs with the
# development key or with DEBUG on.
DEBUG = env.bool("DEBUG", default=False)
# "django-insecure-" is the prefix Django's `check --deploy` recognises as unsafe.
DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-never-use-this-key-in-production"


def _required_in_deploy_mode(name: str) -> None:
    if not DEBUG and not env.str(name, default=""):
        raise ImproperlyConfigured(
            f"{name} must be set when DEBUG is off (deploy mode). "
            f"Set {name} in the environment, or DEBUG=1 for local development."
        )


_required_in_deploy_mode("SECRET_KEY")
_required_in_deploy_mode("ALLOWED_HOSTS")
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "config.admin_site.CatalogAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # django_opensearch_dsl is used as a library (Document, fields, registry), not an app:
    # its `manage.py opensearch index …` commands would treat our alias as an index and
    # could delete or recreate it. The document registers itself when imported.
    "config.apps.ProjectConfig",
    "catalog",
    "tutorials",
    "administrate",
    "search_index",
    "search_index.admin_status",
    "search_index.storefront",
]
# The demo loader (`manage.py load_demo_catalog`, `make demo`) is a development tool: it is
# in a checkout but not in the wheel or the Docker image, so it is an app only where it is.
if find_spec("demo") is not None:
    INSTALLED_APPS.append("demo.apps.DemoConfig")

MIDDLEWARE = [
    "config.request_context.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # The search endpoints answer here, without the rest of the stack or DRF's dispatch
    # (issue 11); every other request goes on.
    "search_index.api.lean_path.SearchEndpointsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "search_index.admin_status.save_warnings.SaveWarningMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username/IP is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Admin login: after AXES_FAILURE_LIMIT wrong passwords for one username from one
# address, that pair is locked out for AXES_COOLOFF_HOURS (a success resets the count).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

# Security in deploy mode (DEBUG off): HTTPS only, behind a proxy that terminates TLS and
# says so in X-Forwarded-Proto. Each can be turned off for an unusual setup.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe health over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The storefront runs on its own origin: only the origins listed may call the API from
# a browser. Nothing is allowed by default.
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
# WSGI applications wrapped around Django's handler by config.wsgi, innermost first: the
# search endpoints' plain requests answered before the handler (issue 11).
WSGI_FRONTS = ["search_index.api.lean_wsgi.SearchFirst"]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
    {
        # The storefront page (search_index/storefront/jinja2/): its cards and facets
        # rendered several times faster than with Django's engine (BENCHMARKS.md, issue 9).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "search_index.storefront.jinja_env.environment",
            "trim_blocks": True,
            "lstrip_blocks": True,
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default="postgres://postgres@127.0.0.1:54329/catalog")
}
DATABASES["default"].setdefault("OPTIONS", {})
DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 5)
# Each test run names its own database, so concurrent runs on one server do not collide.
DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default=None)}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / ".data" / "static"

# Requests per client address for anonymous callers, e.g. "600/minute"; empty turns
# throttling off. Off by default in development, where tests and benchmarks hammer it.
ANON_THROTTLE_RATE = env.str("ANON_THROTTLE_RATE", default="" if DEBUG else "600/minute") or None
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "search_index.api.errors.exception_handler",
    "DEFAULT_PARSER_CLASSES": ["search_index.api.parsers.BoundedJSONParser"],
    # JSON only, encoded by orjson: a page of search rows (~100 KB) in 0.1 ms instead of
    # 5.6 ms with the standard library (issue 11); no browsable HTML API.
    "DEFAULT_RENDERER_CLASSES": ["drf_orjson_renderer.renderers.ORJSONRenderer"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": ANON_THROTTLE_RATE},
    # How many proxies put their address in X-Forwarded-For, so throttling counts per
    # client rather than per proxy.
    "NUM_PROXIES": env.int("NUM_PROXIES", default=None),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Catalog search API",
    "VERSION": "1.0.0",
    # The API reference page serves Swagger UI from our own static files, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# What a request may send: bodies over this many bytes, JSON nested deeper or with more
# values than this are a 400 naming the limit (the storefront's bodies are < 2 KB).
API_LIMITS = {
    "MAX_BODY_BYTES": env.int("API_MAX_BODY_BYTES", default=64 * 1024),
    "MAX_JSON_DEPTH": 20,
    "MAX_JSON_VALUES": 5000,
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# The time budget of one request (issue 13): a search answers or fails (503) within
# REQUEST_S, well inside gunicorn's worker timeout. Each OpenSearch attempt gets at most
# ATTEMPT_TIMEOUT_S; after BREAKER_FAILURES failed searches in a row the circuit opens
# and searches fail at once for BREAKER_RESET_S, then one probe goes through.
SEARCH_BUDGET = {
    "REQUEST_S": env.float("SEARCH_REQUEST_BUDGET_S", default=2.0),
    "ATTEMPT_TIMEOUT_S": env.float("OPENSEARCH_SEARCH_TIMEOUT", default=0.9),
    "RETRIES": env.int("OPENSEARCH_SEARCH_RETRIES", default=1),
    "BREAKER_FAILURES": env.int("OPENSEARCH_BREAKER_FAILURES", default=2),
    "BREAKER_RESET_S": env.float("OPENSEARCH_BREAKER_RESET_S", default=5.0),
}

# Several hosts, comma-separated; https:// URLs use TLS. Credentials come from their own
# variables (or the URL's user:password@), the CA bundle from a file; certificates are
# always verified unless OPENSEARCH_VERIFY_CERTS=0 says otherwise.
OPENSEARCH_HOSTS = env.list("OPENSEARCH_URL", default=["http://127.0.0.1:9250"])
OPENSEARCH_SECURITY = {
    "username": env.str("OPENSEARCH_USERNAME", default=""),
    "password": env.str("OPENSEARCH_PASSWORD", default=""),
    "ca_certs": env.str("OPENSEARCH_CA_CERTS", default=""),
    "verify_certs": env.bool("OPENSEARCH_VERIFY_CERTS", default=True),
}
OPENSEARCH_DSL = {
    "default": {
        "hosts": OPENSEARCH_HOSTS,
        "timeout": env.float("OPENSEARCH_TIMEOUT", default=10.0),
        "retry_on_timeout": True,
        "max_retries": 3,
        # One pooled connection per bulk worker (and a few for searches).
        "pool_maxsize": 8,
        "verify_certs": OPENSEARCH_SECURITY["verify_certs"],
        "ssl_show_warn": True,
    }
}
if OPENSEARCH_SECURITY["username"]:
    OPENSEARCH_DSL["default"]["http_auth"] = (
        OPENSEARCH_SECURITY["username"],
        OPENSEARCH_SECURITY["password"],
    )
if OPENSEARCH_SECURITY["ca_certs"]:
    OPENSEARCH_DSL["default"]["ca_certs"] = OPENSEARCH_SECURITY["ca_certs"]
# django-opensearch-dsl's save/delete signals are off: search_index.sync joins saving and
# indexing after commit instead, so a save never fails because the cluster is down.
OPENSEARCH_DSL_AUTOSYNC = False
OPENSEARCH_DSL_AUTO_REFRESH = False

# Every search-index knob in one place; defaults documented in search_index.conf.
SEARCH_INDEX = {
    "PREFIX": env.str("SEARCH_INDEX_PREFIX", default="catalog_"),
    "SHARDS": env.int("SEARCH_INDEX_SHARDS", default=1),
    "REPLICAS": env.int("SEARCH_INDEX_REPLICAS", default=0),
    "REFRESH_INTERVAL": env.str("SEARCH_INDEX_REFRESH_INTERVAL", default="1s"),
}

# JSON lines with the request id in deploy mode; plain text in development.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "config.jsonlog.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    # opensearch-py logs every 404 (an alias that does not exist yet) as a warning.
    "loggers": {"opensearch": {"level": "ERROR"}},
}
