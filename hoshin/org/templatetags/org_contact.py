"""``{% department_contact department %}``: the contact block of hoshin.org.contact."""

from django import template

from hoshin.org.contact import department_contact as contact_for

register = template.Library()


@register.inclusion_tag("org/_contact.html")
def department_contact(department):
    """The block, or nothing when the department (and those above it) has no details."""
    return {"contact": contact_for(department)}
