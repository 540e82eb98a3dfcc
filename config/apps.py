from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """The project itself as an app: its admin templates and project-wide commands."""

    name = "config"
    verbose_name = "Project"
