import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Jiequ with gunicorn (or Django's development server with --dev)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("JIEQU_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("JIEQU_WORKERS", 2)))
        parser.add_argument("--dev", action="store_true", help="auto-reloading development server")

    def handle(self, *args, bind: str, workers: int, dev: bool, **options):
        self.stdout.write(f"Jiequ on http://{bind}/  (Ctrl-C to stop)")
        self.stdout.flush()
        if dev:
            os.execv(sys.executable, [sys.executable, "-m", "jiequ", "runserver", bind])
        args = [
            sys.executable,
            "-m",
            "gunicorn",
            "jiequ.config.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
        ]
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings.SETTINGS_MODULE)
        os.execv(sys.executable, args)
