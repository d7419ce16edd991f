import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create the local sign-in 'admin' with a generated password, shown once; "
        "if it exists, say how to sign in."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", default="admin")
        parser.add_argument("--url", default="http://127.0.0.1:8000/admin/")

    def handle(self, *args, username: str, url: str, **options) -> None:
        users = get_user_model()
        if users.objects.filter(username=username).exists():
            self.stdout.write(
                f"Sign in at {url} as '{username}' with the password shown when it was created.\n"
                f"Forgot it? Set a new one: python manage.py changepassword {username}"
            )
            return
        password = secrets.token_urlsafe(12)
        users.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Sign in at {url}\n    username: {username}\n    password: {password}\n"
                "This password is shown once: keep it. "
                f"Change it with: python manage.py changepassword {username}"
            )
        )
