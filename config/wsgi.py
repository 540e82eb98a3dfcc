"""The WSGI application gunicorn serves (``gunicorn -c gunicorn.conf.py config.wsgi``).

Django's handler, wrapped by the applications ``settings.WSGI_FRONTS`` names (as
``MIDDLEWARE`` names middlewares, so the project imports no app): the search endpoints'
plain requests are answered in front of it by ``search_index.api.lean_wsgi``, the same
answers without the handler's per-request work (issue 11).
"""

import os
from collections.abc import Callable, Iterable
from typing import Any

from django.core.wsgi import get_wsgi_application

WSGIApplication = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_wsgi_application()


def with_fronts(application: WSGIApplication) -> WSGIApplication:
    """``application`` wrapped by each of ``settings.WSGI_FRONTS``, innermost first."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    for front in getattr(settings, "WSGI_FRONTS", []):
        application = import_string(front)(application)
    return application


application = with_fronts(django_application)
