"""StreamField blocks trainers compose lessons from."""

from urllib.parse import parse_qs, urlparse

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"), max_length=200)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section heading")), ("h3", _("Sub-heading"))],
        default="h2",
        label=_("Level"),
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "courses/blocks/heading.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("Describe the image for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), max_length=300, required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "courses/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    """A video with a transcript; the transcript is what makes it accessible."""

    title = blocks.CharBlock(label=_("Title"), max_length=200)
    url = blocks.URLBlock(
        label=_("Video URL"),
        help_text=_("A YouTube or Vimeo address, or a direct link to an .mp4 or .webm file."),
    )
    transcript = blocks.RichTextBlock(
        label=pgettext_lazy("video", "Transcript"), features=RICH_FEATURES
    )

    class Meta:
        icon = "media"
        label = _("Video")
        template = "courses/blocks/video.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["embed_url"], context["file_url"] = video_sources(value["url"])
        return context


def video_sources(url: str) -> tuple[str | None, str | None]:
    """Return (iframe URL, file URL) for a video address; at most one is set."""
    parsed = urlparse(url)
    host = (parsed.hostname or "").lower()
    if parsed.path.lower().endswith((".mp4", ".webm", ".ogg")):
        return None, url
    if host.endswith("youtube.com"):
        video_id = parse_qs(parsed.query).get("v", [""])[0]
        return (f"https://www.youtube-nocookie.com/embed/{video_id}" if video_id else None), None
    if host == "youtu.be":
        return f"https://www.youtube-nocookie.com/embed/{parsed.path.lstrip('/')}", None
    if host.endswith("vimeo.com"):
        video_id = parsed.path.strip("/").split("/")[-1]
        return (f"https://player.vimeo.com/video/{video_id}" if video_id.isdigit() else None), None
    return None, None


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Link text"), max_length=200, required=False)
    description = blocks.TextBlock(label=_("Description"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Document download")
        template = "courses/blocks/document.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("key_idea", _("Key idea")), ("tip", _("Tip")), ("warning", _("Warning"))],
        default="key_idea",
        label=_("Kind"),
    )
    title = blocks.CharBlock(label=_("Title"), max_length=200, required=False)
    body = blocks.RichTextBlock(label=_("Text"), features=RICH_FEATURES)

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "courses/blocks/callout.html"


class CaseStudyBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    city = blocks.CharBlock(label=_("City"), max_length=120)
    country = blocks.CharBlock(label=_("Country"), max_length=120)
    year = blocks.IntegerBlock(label=_("Year"), min_value=1900, max_value=2100)
    what_they_did = blocks.RichTextBlock(label=_("What they did"), features=RICH_FEATURES)
    result = blocks.RichTextBlock(label=_("Result"), features=RICH_FEATURES)

    class Meta:
        icon = "site"
        label = _("Case study")
        template = "courses/blocks/case_study.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quotation"))
    attribution = blocks.CharBlock(label=_("Attribution"), max_length=250)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "courses/blocks/quote.html"


class ReflectionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock(label=_("Reflection prompt"))

    class Meta:
        icon = "help"
        label = _("Reflection")
        template = "courses/blocks/reflection.html"


class NamedCharBlock(blocks.CharBlock):
    """A text input that names itself: a ListBlock shows its items without a <label>, so the
    editor's inputs had no accessible name (axe, critical). aria-label carries the block's label."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.field.widget.attrs["aria-label"] = self.label


class TakeawaysBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120, default="Key takeaways")
    items = blocks.ListBlock(NamedCharBlock(label=_("Takeaway"), max_length=400), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Key takeaways")
        template = "courses/blocks/takeaways.html"


class ResourceBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    url = blocks.URLBlock(label=_("Address"))
    description = blocks.TextBlock(label=_("Description"), required=False)


class ResourcesBlock(blocks.ListBlock):
    def __init__(self, **kwargs):
        super().__init__(ResourceBlock(), **kwargs)

    class Meta:
        icon = "link"
        label = _("Further resources")
        template = "courses/blocks/resources.html"


class LessonStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=RICH_FEATURES, icon="pilcrow")
    image = ImageBlock()
    video = VideoBlock()
    document = DocumentBlock()
    callout = CalloutBlock()
    case_study = CaseStudyBlock()
    quote = QuoteBlock()
    reflection = ReflectionBlock()
    takeaways = TakeawaysBlock()
    resources = ResourcesBlock()
