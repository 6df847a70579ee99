from django.conf import settings
from django.contrib import messages
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cms.languages import address_in, language_codes, split_language
from courses.selectors.catalogue import search_content

MAX_QUERY_LENGTH = 200


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = search_content(query) if query else []
    paginator = Paginator(results, 10)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except (PageNotAnInteger, EmptyPage):
        page = paginator.page(1)
    return render(request, "cms/search.html", {"query": query, "results": page})


@require_POST
def language_switch(request):
    """The language switcher: the same page in the chosen language, or a clear word why not.

    The choice is remembered (the language cookie) for addresses without a language. A Wagtail
    page goes to its live translation; a page that has none stays where it is, with a message
    in the chosen language that says so. Every other page exists in every language.
    """
    language = request.POST.get("language", "")
    next_url = request.POST.get("next", "") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    if language not in language_codes():
        messages.error(request, _("That language is not available."))
        return HttpResponseRedirect(next_url)
    path, _sep, query = next_url.partition("?")
    if split_language(path)[0] is None:
        path = f"/{translation.get_language() or settings.LANGUAGE_CODE}{path}"
    target, same_page = address_in(request, path, language)
    if not same_page:
        with translation.override(language):
            name = translation.get_language_info(language)["name_translated"]
            messages.info(
                request,
                _(
                    "This page is not available in %(language)s yet, so it is still shown in "
                    "its original language."
                )
                % {"language": name},
                extra_tags=f"lang-{language}",
            )
    response = HttpResponseRedirect(target + (f"?{query}" if query and same_page else ""))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
