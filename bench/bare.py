"""A bare Django "hello" view: the yardstick bench/http_load.py measures the app against, served by
the same gunicorn options. No database, no middleware, no template.

    gunicorn bench.bare:application
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-bare-not-secret",  # noqa: S106 (a benchmark's stand-in, serves nothing)
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
)


def hello(request):
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [path("", hello)]
application = get_wsgi_application()
