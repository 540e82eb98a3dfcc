"""The Django project: settings, URLs, WSGI/ASGI entry points, health, request plumbing.

Also a small app (``config.apps.ProjectConfig``) so that checks over every app, such as
``manage.py verify_schemas``, have a home that is none of the apps they check.
"""
