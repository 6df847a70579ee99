from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("learners", "0013_certificates_languages"),
    ]

    operations = [
        migrations.AddField(
            model_name="exportjob",
            name="report",
            field=models.CharField(
                choices=[("table", "Learners and courses"), ("matrix", "Compliance matrix")],
                default="table",
                max_length=10,
            ),
        ),
    ]
