"""Addresses that depend on the language the page is read in."""

from __future__ import annotations

from django import template

from courses.selectors.catalogue import catalogue_url as catalogue_address

register = template.Library()


@register.simple_tag(takes_context=True)
def catalogue_url(context) -> str:
    """The course catalogue in the active language (courses.selectors.catalogue.catalogue_url)."""
    return catalogue_address(context.get("request"))
