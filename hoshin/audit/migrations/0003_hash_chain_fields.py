import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="sequence",
            field=models.PositiveBigIntegerField(null=True, verbose_name="通番"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="actor_key",
            field=models.BigIntegerField(blank=True, null=True, verbose_name="操作者ID"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="actor_name",
            field=models.CharField(blank=True, max_length=150, verbose_name="操作者名"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(default="", max_length=64, verbose_name="直前の記録のハッシュ"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="entry_hash",
            field=models.CharField(default="", max_length=64, verbose_name="ハッシュ"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, verbose_name="日時"
            ),
        ),
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sequence", models.PositiveBigIntegerField(default=0, verbose_name="最新の通番")),
                ("entry_hash", models.CharField(blank=True, max_length=64, verbose_name="最新のハッシュ")),
                ("seal", models.CharField(blank=True, max_length=64, verbose_name="検証値")),
            ],
            options={
                "verbose_name": "操作記録の末尾",
                "verbose_name_plural": "操作記録の末尾",
            },
        ),
    ]
