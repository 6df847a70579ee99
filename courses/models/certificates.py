from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #1f4e79."))


@register_snippet
class CertificateTemplate(models.Model):
    """How a course's certificate looks; trainers and editors edit it as a snippet."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    heading = models.CharField(_("heading"), max_length=120, default="Certificate of completion")
    statement = models.CharField(
        _("statement"),
        max_length=250,
        default="has successfully completed the course",
        help_text=_("Printed between the learner's name and the course title."),
    )
    issuer_name = models.CharField(_("issuing organisation"), max_length=200, default="Capacitas")
    signatory_name = models.CharField(_("signatory name"), max_length=120)
    signatory_title = models.CharField(_("signatory title"), max_length=200)
    signature_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("signature image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    background_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("background image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    primary_colour = models.CharField(
        _("primary colour"), max_length=7, default="#1f4e79", validators=[hex_colour]
    )
    accent_colour = models.CharField(
        _("accent colour"), max_length=7, default="#c8a951", validators=[hex_colour]
    )
    is_default = models.BooleanField(
        _("default template"),
        default=False,
        help_text=_("Used by courses that do not choose a template."),
    )

    panels = [
        FieldPanel("name"),
        MultiFieldPanel(
            [FieldPanel("heading"), FieldPanel("statement"), FieldPanel("issuer_name")],
            heading=_("Wording"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("signatory_name"),
                FieldPanel("signatory_title"),
                FieldPanel("signature_image"),
            ],
            heading=_("Signatory"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("logo"),
                FieldPanel("background_image"),
                FieldPanel("primary_colour"),
                FieldPanel("accent_colour"),
            ],
            heading=_("Design"),
        ),
        FieldPanel("is_default"),
    ]

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="one_default_certificate_template",
            )
        ]

    def __str__(self) -> str:
        return self.name
