"""Settings for Stoxothesia, read from the environment (and an optional `.env`).

Development needs no configuration at all; production sets DEBUG=false, SECRET_KEY,
ALLOWED_HOSTS and DATABASE_URL. See `.env.example` for every variable.
"""

from pathlib import Path

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Real environment variables win over the file: read_env does not overwrite them.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- Core -------------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=True)
_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("Set SECRET_KEY when DEBUG is off.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

MUNICIPALITY_NAME = env.str("MUNICIPALITY_NAME", default="Δήμος Ηρακλείου")
MUNICIPALITY_NAME_EN = env.str("MUNICIPALITY_NAME_EN", default="Municipality of Heraklion")
# Named on the public pages, in the accessibility statement and in the open data's catalogue as
# the address for questions and feedback.
MUNICIPALITY_CONTACT_EMAIL = env.str("MUNICIPALITY_CONTACT_EMAIL", default="info@heraklion.gr")
MUNICIPALITY_CONTACT_PHONE = env.str("MUNICIPALITY_CONTACT_PHONE", default="")
MUNICIPALITY_WEBSITE = env.str("MUNICIPALITY_WEBSITE", default="https://www.heraklion.gr")
# The SMART check of draft goals (goals/smart.py) warns of a title copied in this many
# directorates of a cycle or more.
SMART_COPIED_TITLE_DIRECTORATES = env.int("SMART_COPIED_TITLE_DIRECTORATES", default=3)

# --- Applications -----------------------------------------------------------------------------
INSTALLED_APPS = [
    # Django admin, with a site that asks for the second factor (stoxothesia/admin_site.py).
    "stoxothesia.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    # The libraries' apps, under names Django admin shows in Greek (stoxothesia/apps.py).
    "stoxothesia.apps.LoginAttemptsConfig",
    "django_otp",
    "stoxothesia.apps.TOTPDevicesConfig",
    "stoxothesia.apps.RecoveryCodesConfig",
    "stoxothesia.apps.BackgroundTasksConfig",
    "stoxothesia",
    "directorates",
    "goals",
    "meetings",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Here, not with the others below: it needs no more than these before it.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before CSRF, so that it also sees the refusals of CsrfViewMiddleware.
    "stoxothesia.middleware.RefusalLogMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "stoxothesia.middleware.TwoFactorMiddleware",
    "stoxothesia.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "stoxothesia.middleware.PrivatePagesMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "stoxothesia.urls"
WSGI_APPLICATION = "stoxothesia.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "stoxothesia.context_processors.municipality",
                "stoxothesia.context_processors.navigation",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    # WAL lets readers and one writer work at once; a busy timeout makes writers wait.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication ---------------------------------------------------------------------------
AUTH_USER_MODEL = "directorates.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "directorates.backends.UsernameOrEmailBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "directorates.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# OWASP ASVS level 2 (V2.1): length over composition. At least 12 characters, no upper limit of
# our own, any Unicode character, no rules about digits, capitals or symbols (so no
# NumericPasswordValidator); common passwords and ones close to the person's name are refused.
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day

# Sessions end after a working day, and when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 9)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-axes: five wrong passwords for one account from one address lock them out for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
# Failures count against the account, whichever spelling or e-mail was typed, and against the
# client's address as the security log sees it (behind PROXY_COUNT proxies).
AXES_USERNAME_CALLABLE = "directorates.backends.lockout_username"
AXES_CLIENT_IP_CALLABLE = "directorates.audit.client_address"
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "directorates.views.lockout"

# Two-factor authentication (django-otp): required for the roles in directorates/roles.py
# TWO_FACTOR_REQUIRED and for everyone who may use Django admin; offered to everyone else.
OTP_TOTP_ISSUER = "Stoxothesia"

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "el"
LANGUAGES = [("el", _("Greek")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
TIME_ZONE = "Europe/Athens"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
# Genitive months after a day, 24-hour times, English dates day first (stoxothesia/formats/).
FORMAT_MODULE_PATH = ["stoxothesia.formats"]

# --- Static and uploaded files ----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Forms ------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail and background tasks --------------------------------------------------------------
# EMAIL_URL as django-environ reads it (smtp+tls://user:password@host:587, consolemail://),
# turned into Django 6.1's MAILERS.
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
_smtp_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS", False),
    "use_ssl": _email.get("EMAIL_USE_SSL", False),
    "timeout": 30,
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": _smtp_options if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="stoxothesia@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# --- Cache ------------------------------------------------------------------------------------
# Shared by every application server: the database by default (the table is made by a
# migration); CACHE_URL chooses another shared cache.
CACHES = {"default": env.cache_url("CACHE_URL", default="dbcache://stoxothesia_cache")}

# The public pages and open data read a published cycle once per PORTAL_CACHE_SECONDS (a new
# progress value is public within that time; publishing or withdrawing a cycle shows at once).
PORTAL_CACHE_SECONDS = env.int("PORTAL_CACHE_SECONDS", default=60)
# Requests a minute that one API token may make (portal/api.py); past them, 429.
API_REQUESTS_PER_MINUTE = env.int("API_REQUESTS_PER_MINUTE", default=120)

TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

# --- Security ---------------------------------------------------------------------------------
# Behind reverse proxies, the client's address is read from X-Forwarded-For as the proxies wrote
# it: PROXY_COUNT of them (one when BEHIND_PROXY is on and no count is given); see
# directorates.audit.client_address.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
PROXY_COUNT = env.int("PROXY_COUNT", default=1 if BEHIND_PROXY else 0)
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if BEHIND_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Logging ----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "stoxothesia.security": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
