"""Run queued jobs: ``manage.py run_worker`` (docs/jobs.md).

The options are those of django-tasks-db's ``db_worker`` (``--batch`` runs what is queued and
exits, ``--queue-name``, ``--interval``, ``--max-tasks``, ``--worker-id``); the worker also
beats and puts the jobs of dead workers back on the queue (``hoshin.jobs.worker``). Start as
many as you like, on any server: each job is taken by one of them.
"""

from django_tasks_db.management.commands import db_worker

from hoshin.jobs import worker


class Command(db_worker.Command):
    help = "キューに入ったジョブ（PDF作成、検索索引、メール送信など）を実行し続けます。"

    def handle(self, *args, **options):
        # db_worker builds its Worker by name: hand it ours for the duration of this command.
        original = db_worker.Worker
        db_worker.Worker = worker.HoshinWorker
        try:
            super().handle(*args, **options)
        finally:
            db_worker.Worker = original
