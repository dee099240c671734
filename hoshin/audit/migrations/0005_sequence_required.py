from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_chain_existing_entries"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="sequence",
            field=models.PositiveBigIntegerField(unique=True, verbose_name="通番"),
        ),
        migrations.AlterModelOptions(
            name="auditentry",
            options={
                "ordering": ["-sequence"],
                "verbose_name": "操作記録",
                "verbose_name_plural": "操作記録",
            },
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["verb"], name="audit_audit_verb_7d4a63_idx"),
        ),
    ]
