from django.db import migrations


def create_default(apps, schema_editor):
    CertificateTemplate = apps.get_model("courses", "CertificateTemplate")
    if not CertificateTemplate.objects.filter(is_default=True).exists():
        CertificateTemplate.objects.get_or_create(
            name="Default certificate",
            defaults={
                "is_default": True,
                "heading": "Certificate of completion",
                "statement": "has successfully completed the course",
                "issuer_name": "Capacitas",
                "signatory_name": "Capacitas Training Office",
                "signatory_title": "Programme director",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("courses", "0002_quizzes")]

    operations = [migrations.RunPython(create_default, migrations.RunPython.noop)]
