"""Hand-written timeline texts: what the office sends, what customers write back, call notes.

Keys are events; each has English ("en") and Spanish ("es") message variants and staff-written
call summaries ("call", always English). Placeholders: {first} {tech} {appliance} {day}
{window} {amount} {method} {company} {brand} {price} {referrer} {code} {outcome} {channel}.
"""

from __future__ import annotations

OUTBOUND: dict[str, dict[str, tuple[str, ...]]] = {
    "booking": {
        "en": (
            "Hi {first}, your {appliance} visit is booked for {day}, {window}. "
            "{tech} will be your technician. Reply here if you need to change it.",
            "Hello {first}! Confirming {tech} on {day}, {window}, for the {appliance}. "
            "Please make sure someone 18+ is home.",
        ),
        "es": (
            "Hola {first}, su visita para su {appliance} está programada para el {day}, "
            "{window}. {tech} será su técnico. Responda aquí si necesita cambiarla.",
            "¡Hola {first}! Confirmamos a {tech} el {day}, {window}, para su {appliance}.",
        ),
        "call": (
            "Called {first} to book the {appliance} visit for {day}, {window}; confirmed.",
            "Phoned to confirm {tech} for {day} ({window}); customer confirmed, asked us to "
            "call 30 minutes before arrival.",
        ),
    },
    "reminder": {
        "en": (
            "Reminder: {tech} is coming tomorrow ({window}) for your {appliance}.",
            "Hi {first}, just a reminder of tomorrow's appointment ({window}). See you then!",
        ),
        "es": (
            "Recordatorio: {tech} llega mañana ({window}) para revisar su {appliance}.",
            "Hola {first}, le recordamos su cita de mañana ({window}). ¡Hasta pronto!",
        ),
        "call": ("Reminder call for tomorrow's {window} visit; left a voicemail.",),
    },
    "survey": {
        "en": (
            "Thanks for choosing {company}, {first}! How did {tech} do today? Reply 1-5.",
            "How is your {appliance} working after today's visit? We'd love your feedback.",
        ),
        "es": (
            "¡Gracias por elegir {company}, {first}! ¿Cómo le fue con {tech}? Responda del 1 al 5.",
        ),
        "call": (
            "Satisfaction call after the {appliance} visit; asked the customer to rate {tech}.",
        ),
    },
    "receipt": {
        "en": ("Receipt: {amount} received by {method}. Thank you for your business!",),
        "es": ("Recibo: {amount} recibido por {method}. ¡Gracias por su preferencia!",),
        "call": ("Called to confirm the {amount} payment went through.",),
    },
    "apology": {
        "en": (
            "{first}, we're sorry about your experience. {tech}'s supervisor will call you "
            "today and the follow-up visit is at no charge.",
            "We apologize, {first}. We've booked a free return visit and credited the trip fee.",
        ),
        "es": (
            "{first}, lamentamos mucho lo ocurrido. Le llamaremos hoy y la visita de "
            "seguimiento no tendrá costo.",
        ),
        "call": ("Called to apologize; offered a free return visit, customer accepted.",),
    },
    "maintenance": {
        "en": (
            "Hi {first}, it's been about a year since we serviced your {appliance}. Want us to "
            "book the annual check-up?",
        ),
        "es": (
            "Hola {first}, ya pasó casi un año desde el último servicio de su {appliance}. "
            "¿Le agendamos la revisión anual?",
        ),
        "call": ("Called about the annual check-up for the {appliance}; will call back.",),
    },
}

INBOUND: dict[str, dict[str, tuple[str, ...]]] = {
    "thanks": {
        "en": (
            "Thank you so much! {tech} was fantastic and the {appliance} works like new.",
            "Great service today, very professional and right on time. Thanks!",
            "Just wanted to say thanks, {tech} was friendly and explained everything. Love it.",
            "Everything is working perfectly now. Excellent job, really appreciate it!",
        ),
        "es": (
            "¡Muchas gracias! {tech} fue muy amable y su {appliance} funciona perfecto.",
            "Excelente servicio, muy puntuales. ¡Gracias!",
        ),
        "call": ("Customer called to thank {tech}; very happy with the {appliance} repair.",),
    },
    "complaint": {
        "en": (
            "Very disappointed. The {appliance} stopped working again two days after the "
            "repair and nobody has called me back.",
            "{tech} was over an hour late, didn't apologize, and the {appliance} still makes "
            "the same awful noise. Frustrating and unacceptable.",
            "The bill was much higher than the quote I was given. I am not happy at all and "
            "I want an explanation. Really disappointing.",
            "The technician left a mess on my kitchen floor and the problem is still not "
            "fixed. Terrible, very disappointed.",
        ),
        "es": (
            "Estoy muy decepcionada. Su {appliance} dejó de funcionar otra vez y nadie me ha "
            "llamado.",
            "El técnico llegó una hora tarde y su {appliance} sigue fallando. Es muy frustrante.",
        ),
        "call": (
            "Customer called upset: the {appliance} failed again after the repair; angry "
            "about a second visit.",
        ),
    },
    "reschedule": {
        "en": (
            "Can we move the appointment to Friday afternoon instead?",
            "Something came up at work, is there anything later in the week?",
            "Could {tech} come after 3pm? I can't be home in the morning.",
        ),
        "es": (
            "¿Podemos cambiar la cita para el viernes por la tarde?",
            "Me surgió algo en el trabajo, ¿tienen otro horario esta semana?",
        ),
        "call": ("Customer called to move the visit later in the week.",),
    },
    "price_question": {
        "en": (
            "How much would it cost to look at my {brand} {appliance}?",
            "Do you charge for the diagnosis if I go ahead with the repair?",
            "Is it worth repairing a {appliance} this old or should I replace it?",
        ),
        "es": (
            "¿Cuánto cuesta revisar mi {appliance} {brand}?",
            "¿Cobran el diagnóstico si hago la reparación?",
        ),
        "call": ("Customer asked for a price on the {brand} {appliance}; quoted {price}.",),
    },
    "arrival_question": {
        "en": ("What time will the technician arrive?", "Is {tech} still coming today?"),
        "es": ("¿A qué hora llega el técnico?", "¿Todavía viene {tech} hoy?"),
        "call": ("Customer called asking for an arrival time; gave a 30-minute window.",),
    },
    "cancel": {
        "en": (
            "I need to cancel the visit, the {appliance} started working again.",
            "Please cancel, we decided to buy a new {appliance}.",
        ),
        "es": (
            "Necesito cancelar la visita, su {appliance} volvió a funcionar.",
            "Por favor cancelen, vamos a comprar uno nuevo.",
        ),
        "call": ("Customer called to cancel; decided to replace the {appliance}.",),
    },
}

SYSTEM: dict[str, str] = {
    "completed": "Job completed by {tech}: {outcome}",
    "cancelled": "Job cancelled at the customer's request.",
    "payment": "Payment of {amount} recorded ({method}).",
    "survey_sent": "Satisfaction survey sent by {channel}.",
    "referred": "New customer referred by {referrer} (code {code}).",
}

NOTES: tuple[str, ...] = (
    "Gate code {code}; dog in the backyard, friendly.",
    "Prefers morning appointments; works from home on Fridays.",
    "Parking on the street only, building entrance on the side.",
    "Asked us to always call before arriving.",
    "Elderly customer, speak slowly and confirm the total before leaving.",
    "Has a second property; ask which address when booking.",
    "Interested in a maintenance plan for all appliances.",
    "Owns a {brand} {appliance}; replacement quote given, thinking about it.",
    "Paid late twice; send invoice reminders by email.",
    "Very particular about shoe covers inside the house.",
)

NOTES_ES: tuple[str, ...] = (
    "Prefers a Spanish-speaking technician (Luis).",
    "Speaks Spanish; English OK for short messages.",
)

FOLLOW_UP_LOG: dict[str, tuple[str, ...]] = {
    "check_in": (
        "Called to check the {appliance} after the repair; running fine.",
        "Checked in about the {appliance}; customer happy, asked about the annual check-up.",
        "Left a voicemail asking how the {appliance} is doing.",
    ),
    "complaint": (
        "Apologized for the problem and booked a free return visit with {tech}.",
        "Spoke with the customer about the bill; credited the trip fee as goodwill.",
    ),
}

REVIEWS: dict[int, dict[str, tuple[str, ...]]] = {
    5: {
        "en": (
            "Excellent work, {tech} fixed it in under an hour.",
            "On time, friendly and explained everything. Highly recommend!",
            "Best appliance repair service we've used.",
            "",
        ),
        "es": ("Excelente servicio, {tech} fue muy puntual y amable.", ""),
    },
    4: {
        "en": (
            "Good job overall, arrived a little late but fixed the problem.",
            "Fixed quickly, a bit pricey.",
            "",
        ),
        "es": ("Buen trabajo, llegó un poco tarde.", ""),
    },
    3: {
        "en": ("Fixed eventually but it needed a second visit.", "Okay service, expensive part."),
        "es": ("Se arregló, pero necesitó dos visitas.",),
    },
    2: {
        "en": (
            "Took two visits and the part had to be ordered. Poor communication.",
            "Technician was rushed and left without testing properly. Disappointed.",
        ),
        "es": ("Dos visitas y mala comunicación. Decepcionada.",),
    },
    1: {
        "en": (
            "The {appliance} broke again within a week and nobody returned my calls. Awful.",
            "Overcharged and the problem is not fixed. Never again.",
        ),
        "es": ("Me cobraron de más y el problema sigue igual. Terrible.",),
    },
}

FOLLOW_UP_FEEDBACK: dict[bool, tuple[str, ...]] = {
    True: ("Working great since the visit.", "All good, thank you!", ""),
    False: ("Still making a noise; wants someone to come back.", "Unhappy with the price."),
}
