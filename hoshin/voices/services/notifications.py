"""The acknowledgement e-mail a writer gets when the city has received their voice.

It carries the receipt number, the secret for the status page (the only other place it is
ever shown is the thanks page), the status page's address and what happens next. It never
repeats anything the writer typed (subject, text, name): the form can be filled in with
anyone's address, and an acknowledgement must not become a way to send them arbitrary text.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from hoshin.lib.city import city_name, mail_subject_tag
from hoshin.lib.fiscal import format_date
from hoshin.voices.models import CitizenVoice

logger = logging.getLogger(__name__)


def status_page_url() -> str:
    """The status page as citizens reach it (HOSHIN_BASE_URL + path), for e-mails."""
    return settings.HOSHIN_BASE_URL.rstrip("/") + reverse("voices:status")


def acknowledgement_message(*, voice: CitizenVoice, secret: str, to: str) -> EmailMultiAlternatives:
    """The acknowledgement as an e-mail: subject and text body from templates/voices/email."""
    context = {
        "voice": voice,
        "secret": secret,
        "received_label": format_date(voice.received_on),
        "reply_due_label": format_date(voice.reply_due) if voice.reply_due else "",
        "status_url": status_page_url(),
        "city_name": city_name(),
        "subject_tag": mail_subject_tag(),
    }
    subject = render_to_string("voices/email/acknowledgement_subject.txt", context)
    subject = " ".join(subject.split())
    body = render_to_string("voices/email/acknowledgement_body.txt", context)
    return EmailMultiAlternatives(subject=subject, body=body, to=[to])


def voice_acknowledge(*, voice: CitizenVoice, secret: str) -> bool:
    """E-mail the writer their receipt number and secret; False if there is no address or it failed.

    Run it after the voice is committed (``transaction.on_commit``). A failure is logged and
    swallowed: the voice is stored and the writer saw both values on the thanks page.
    """
    email = getattr(getattr(voice, "writer", None), "email", "")
    if not email or not secret:
        return False
    try:
        acknowledgement_message(voice=voice, secret=secret, to=email).send()
    except Exception:
        logger.exception("voices: acknowledgement e-mail for %s failed", voice.receipt_number)
        return False
    return True
