from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "inclusion.accounts"
    label = "accounts"
    verbose_name = "Accounts"
