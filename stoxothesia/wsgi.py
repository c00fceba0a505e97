"""WSGI entry point, served in production by gunicorn (`gunicorn stoxothesia.wsgi`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stoxothesia.settings")

application = get_wsgi_application()
