from django.core.management.base import BaseCommand

from hoshin.search.services import search_rebuild


class Command(BaseCommand):
    help = "検索索引を作り直します（計画・施策・取組・評価シート・公表した市民の声）。"

    def handle(self, *args, **options):
        count = search_rebuild()
        self.stdout.write(self.style.SUCCESS(f"検索索引を作り直しました（{count} 件）。"))
