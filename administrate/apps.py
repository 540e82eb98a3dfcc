from django.apps import AppConfig


class AdministrateConfig(AppConfig):
    name = "administrate"
    verbose_name = "Administrate mirror"
