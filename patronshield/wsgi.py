import os

from django.core.wsgi import get_wsgi_application

os.umask(0o077)  # gunicorn started without `patronshield serve`: files for this account alone
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "patronshield.settings")
application = get_wsgi_application()
