"""Django settings, all read from the environment (and ``.env`` when present)."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Written by ``make services``; real environment variables win over it.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-set-SECRET_KEY-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "django_opensearch_dsl",
    "catalog",
    "tutorials",
    "administrate",
    "search_index",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "catalog.urls"
WSGI_APPLICATION = "catalog.wsgi.application"

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
    }
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

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "search_index.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
}
SPECTACULAR_SETTINGS = {"TITLE": "Catalog search API", "VERSION": "1.0.0"}

OPENSEARCH_HOSTS = env.list("OPENSEARCH_URL", default=["http://127.0.0.1:9250"])
OPENSEARCH_DSL = {
    "default": {
        "hosts": OPENSEARCH_HOSTS,
        "timeout": env.float("OPENSEARCH_TIMEOUT", default=10.0),
        "retry_on_timeout": True,
        "max_retries": 3,
        # One pooled connection per bulk worker (and a few for searches).
        "pool_maxsize": 8,
    }
}
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    # opensearch-py logs every 404 (an alias that does not exist yet) as a warning.
    "loggers": {"opensearch": {"level": "ERROR"}},
}
