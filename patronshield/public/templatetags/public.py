from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def purl(context, name, **kwargs):
    """A public page's URL, under /l/<slug>/ when the current page is."""
    match = context["request"].resolver_match
    if match and (slug := match.kwargs.get("library")):
        kwargs["library"] = slug
    return reverse(f"public:{name}", kwargs=kwargs)
