"""The WSGI application gunicorn serves (``gunicorn -c gunicorn.conf.py config.wsgi``).

Django's handler, with the search endpoints' plain requests answered in front of it
(``search_index.api.lean_wsgi``: the same answers without the handler's per-request
work; issue 11).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_wsgi_application()

from search_index.api.lean_wsgi import SearchFirst  # noqa: E402  (needs the apps set up)

application = SearchFirst(django_application)
