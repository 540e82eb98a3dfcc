"""Production gunicorn configuration: ``gunicorn -c gunicorn.conf.py config.wsgi``.

Threaded workers (gthread): each worker process serves ``threads`` requests at once and
keeps idle client connections open (keep-alive) in its event loop rather than in a
thread. A slow client (one that trickles its headers or body) ties up one thread, not a
whole worker, so a handful of them no longer stall ``/healthz`` as they did with two
sync workers. Slow-client protection at scale belongs to the buffering reverse proxy in
front (nginx, a cloud load balancer); these settings keep the app healthy without one.

Every value can be overridden from the environment (``GUNICORN_*``/``WEB_CONCURRENCY``).
"""

from __future__ import annotations

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
# Searches spend most of their time waiting for OpenSearch, so threads overlap well;
# two processes per core keep a stuck interpreter from taking the whole server down.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))

# A search answers or fails within its 2 s budget (settings.SEARCH_BUDGET), so a worker
# silent for 30 s is stuck and is restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Idle keep-alive connections are closed after this many seconds; behind a load balancer
# it should exceed the balancer's own idle timeout.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))

# Request-line and header limits: the storefront sends short URLs and few headers.
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190

# Recycle workers now and then, jittered so they do not all restart at once.
max_requests = 5000
max_requests_jitter = 500

# Access log as JSON lines, with the request id the app sets on every response (written
# by config.access_log: gunicorn's format-string logger cost 0.1 ms a request).
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
logger_class = "config.access_log.JsonAccessLogger"
errorlog = "-"
# The proxy in front sets X-Forwarded-*; trust it only from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
