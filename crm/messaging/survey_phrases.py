"""The survey page's words in the customer's language (English, Spanish), kept in Python so
nothing needs compiling. A link that no longer works may not say whose it was, so its page
shows the reason in both languages."""

from __future__ import annotations

ENGLISH = {
    "title": "How did we do?",
    "hello": "Hi",
    "please_rate": "please rate our visit on",
    "with": "with",
    "rating": "Your rating (1 = poor, 5 = excellent)",
    "comment": "Anything you would like to tell us? (optional)",
    "send": "Send my answer",
    "thanks": "Thank you!",
    "thanks_text": "Your answer has reached our team. We read every one.",
    "closed": "Survey closed",
}
SPANISH = {
    "title": "¿Cómo lo hicimos?",
    "hello": "Hola",
    "please_rate": "califique nuestra visita del",
    "with": "con",
    "rating": "Su calificación (1 = mala, 5 = excelente)",
    "comment": "¿Algo que quiera contarnos? (opcional)",
    "send": "Enviar mi respuesta",
    "thanks": "¡Gracias!",
    "thanks_text": "Su respuesta llegó a nuestro equipo. Leemos todas.",
    "closed": "Encuesta cerrada",
}
# The reasons a link is closed (crm.messaging.services.surveys), in Spanish.
CLOSED_SPANISH = {
    "This survey link has expired. Thank you all the same!":
        "Este enlace de encuesta venció. ¡Gracias de todos modos!",
    "This survey link is not valid.": "Este enlace de encuesta no es válido.",
    "This survey has already been answered. Thank you!":
        "Esta encuesta ya fue respondida. ¡Gracias!",
}  # fmt: skip


def survey_phrases(language: str) -> dict[str, str]:
    return SPANISH if language == "es" else ENGLISH
