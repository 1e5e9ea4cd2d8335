"""The portal's words in the customer's language (English, Spanish), kept in Python so nothing
needs compiling: `phrases_for(customer.language_preference)` gives the page its table, and
tests check that both tables say the same things."""

from __future__ import annotations

from crm.core.words import appliance_type_word
from crm.customers.models import ContactMethod, FrequencyPreference

ENGLISH = {
    "title": "Your service page",
    "hello": "Hello",
    "intro": "Here are your appliances and visits with us. This page is for you alone: "
    "please do not share its link.",
    "sections": "Sections of this page",
    "upcoming": "Upcoming visits",
    "no_upcoming": "No visits booked.",
    "confirmed": "Confirmed",
    "confirm": "Confirm this visit",
    "reschedule": "Ask to reschedule",
    "reschedule_note": "Which days or times suit you better? (optional)",
    "between": "between",
    "technician": "Technician",
    "past": "Past visits",
    "no_past": "No past visits yet.",
    "done": "What was done",
    "paid": "You paid",
    "appliances": "Your appliances",
    "no_appliances": "No appliances on file.",
    "places": "Your addresses",
    "age": "Age",
    "years": "years",
    "year": "year",
    "under_a_year": "less than a year",
    "age_unknown": "install date not on file",
    "warranty_until": "Under warranty until",
    "warranty_ended": "Warranty ended",
    "warranty_unknown": "No warranty on file",
    "plan": "Your maintenance plan",
    "no_plan": "You have no maintenance plan.",
    "visits_a_year": "visits a year",
    "per_year": "a year",
    "from_to": "Covers",
    "renews": "Renews by itself",
    "ends": "Ends unless renewed",
    "covered": "Appliances covered",
    "preferences": "How we contact you",
    "preferred_method": "Preferred way to reach you",
    "frequency": "How often we may write",
    "language": "Language",
    "consent_messages": "Messages about your visits",
    "consent_offers": "Offers and news",
    "no_address": "No address on file for this channel.",
    "save_preferences": "Save my choices",
    "request": "Request service",
    "appliance": "Appliance",
    "other_appliance": "Another appliance (not listed)",
    "problem": "What is the problem?",
    "days": "Days that suit you",
    "send_request": "Send my request",
    "saved": "Your choices are saved.",
    "visit_confirmed": "Thank you: your visit is confirmed.",
    "reschedule_asked": "Thank you: we will call you to find a new time.",
    "request_sent": "Thank you: we have your request and will contact you soon.",
    "visit_gone": "This visit is no longer booked.",
    "fix_below": "Please check the form below.",
    "problem_length": "Describe the problem in 5 to 2000 characters.",
    "note_length": "Your note is too long: at most 500 characters.",
    "questions": "Questions? Call us at",
}
SPANISH = {
    "title": "Su página de servicio",
    "hello": "Hola",
    "intro": "Aquí están sus equipos y sus visitas con nosotros. Esta página es solo para "
    "usted: no comparta su enlace.",
    "sections": "Secciones de esta página",
    "upcoming": "Próximas visitas",
    "no_upcoming": "No hay visitas programadas.",
    "confirmed": "Confirmada",
    "confirm": "Confirmar esta visita",
    "reschedule": "Pedir otra fecha",
    "reschedule_note": "¿Qué días u horas le convienen más? (opcional)",
    "between": "entre",
    "technician": "Técnico",
    "past": "Visitas anteriores",
    "no_past": "Todavía no hay visitas anteriores.",
    "done": "Lo que se hizo",
    "paid": "Usted pagó",
    "appliances": "Sus equipos",
    "no_appliances": "No hay equipos registrados.",
    "places": "Sus direcciones",
    "age": "Antigüedad",
    "years": "años",
    "year": "año",
    "under_a_year": "menos de un año",
    "age_unknown": "sin fecha de instalación",
    "warranty_until": "En garantía hasta el",
    "warranty_ended": "La garantía terminó el",
    "warranty_unknown": "Sin garantía registrada",
    "plan": "Su plan de mantenimiento",
    "no_plan": "No tiene plan de mantenimiento.",
    "visits_a_year": "visitas al año",
    "per_year": "al año",
    "from_to": "Vigencia",
    "renews": "Se renueva solo",
    "ends": "Termina si no se renueva",
    "covered": "Equipos incluidos",
    "preferences": "Cómo le contactamos",
    "preferred_method": "Forma preferida de contacto",
    "frequency": "Con qué frecuencia podemos escribirle",
    "language": "Idioma",
    "consent_messages": "Mensajes sobre sus visitas",
    "consent_offers": "Ofertas y novedades",
    "no_address": "No tenemos su dirección para este medio.",
    "save_preferences": "Guardar mis preferencias",
    "request": "Pedir servicio",
    "appliance": "Equipo",
    "other_appliance": "Otro equipo (no está en la lista)",
    "problem": "¿Cuál es el problema?",
    "days": "Días que le convienen",
    "send_request": "Enviar mi pedido",
    "saved": "Sus preferencias están guardadas.",
    "visit_confirmed": "Gracias: su visita está confirmada.",
    "reschedule_asked": "Gracias: le llamaremos para buscar otra fecha.",
    "request_sent": "Gracias: recibimos su pedido y le contactaremos pronto.",
    "visit_gone": "Esta visita ya no está programada.",
    "fix_below": "Revise el formulario de abajo.",
    "problem_length": "Describa el problema en 5 a 2000 caracteres.",
    "note_length": "Su nota es demasiado larga: como máximo 500 caracteres.",
    "questions": "¿Preguntas? Llámenos al",
}
WEEKDAYS = {
    "en": {"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday",
           "fri": "Friday", "sat": "Saturday", "sun": "Sunday"},
    "es": {"mon": "Lunes", "tue": "Martes", "wed": "Miércoles", "thu": "Jueves",
           "fri": "Viernes", "sat": "Sábado", "sun": "Domingo"},
}  # fmt: skip
FREQUENCIES_ES: dict[str, str] = {
    FrequencyPreference.MINIMAL: "Lo mínimo",
    FrequencyPreference.MODERATE: "De vez en cuando",
    FrequencyPreference.FREQUENT: "Con frecuencia",
}
METHODS_ES: dict[str, str] = {
    ContactMethod.EMAIL: "Correo electrónico",
    ContactMethod.PHONE: "Teléfono",
}
LANGUAGES = {"en": "English", "es": "Español"}


def portal_language(tag: str) -> str:
    """`es`, `es-MX` -> "es"; anything else -> "en" (the portal speaks these two)."""
    return "es" if tag.lower().startswith("es") else "en"


def phrases_for(tag: str) -> dict[str, str]:
    return SPANISH if portal_language(tag) == "es" else ENGLISH


def appliance_name(kind: str, label: str, language: str) -> str:
    """The appliance type in the page's language (`label` is the English choice label)."""
    return appliance_type_word(kind, label, language)


def frequency_name(value: str, label: str, language: str) -> str:
    return FREQUENCIES_ES.get(value, label) if language == "es" else label


def method_name(value: str, label: str, language: str) -> str:
    return METHODS_ES.get(value, label) if language == "es" else label
