from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from courses.blocks.lesson import DocumentBlock


class HomePage(Page):
    """The site's front door: presents the platform and the course catalogue."""

    headline = models.CharField(_("headline"), max_length=200, blank=True)
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    featured_heading = models.CharField(
        _("catalogue heading"), max_length=120, blank=True, default="Courses"
    )

    content_panels = Page.content_panels + [
        FieldPanel("headline"),
        FieldPanel("intro"),
        FieldPanel("featured_heading"),
    ]
    subpage_types = ["courses.CourseCataloguePage", "cms.StandardPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from courses.selectors.catalogue import catalogue_first, courses_published

        context = super().get_context(request, *args, **kwargs)
        context["courses"] = courses_published()[:6]
        context["catalogue"] = catalogue_first()
        return context


class StandardPage(Page):
    """A plain content page: about, terms, accessibility statement, help."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(
        [
            ("heading", blocks.CharBlock(form_classname="title", label=_("Heading"))),
            ("paragraph", blocks.RichTextBlock(label=_("Paragraph"))),
            # Same download block as lessons, so pages such as the toolkit list files with
            # their type and size.
            ("document", DocumentBlock()),
        ],
        blank=True,
        verbose_name=_("body"),
    )

    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
