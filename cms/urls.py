"""The project's URLs.

Every page a person reads carries its language (`/en/learn/`, `/es/cursos/…`): the
`i18n_patterns` below. What machines call stays where it is, whatever the language: the probes,
the Wagtail admin (it has its own language setting per user), documents, the language switch
itself, and the single sign-on endpoints that identity providers are configured with (a SAML ACS
or an OIDC callback must not change with the visitor's language). An old unprefixed address of a
page (`/learn/`, `/courses/…`) is redirected to the prefixed one by `cms.middleware.
LanguagePrefixRedirectMiddleware`, so no link in the wild breaks.
"""

from allauth.urls import build_provider_urlpatterns
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import health
from cms import views as cms_views
from learners import urls as learners_urls

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("i18n/switch/", cms_views.language_switch, name="language_switch"),
    # Single sign-on: SAML ACS/metadata/SLS, OIDC login and callback (identity providers'
    # configuration names these addresses).
    path("accounts/", include(build_provider_urlpatterns())),
    # Open Badges issuer profile, status lists and key set: credentials name these addresses.
    path("", include(learners_urls.machine_urlpatterns)),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("accounts/", include("learners.accounts.urls")),
    path("accounts/", include("allauth.account.urls")),
    path("accounts/3rdparty/", include("allauth.socialaccount.urls")),
    path("search/", cms_views.search, name="search"),
    path("", include("learners.urls")),
    path("", include(wagtail_urls)),
)

handler404 = "cms.views.page_not_found"
handler500 = "cms.views.server_error"
