"""Spanish words and their weight on VADER's scale (-4..4), written for this project.

Keys are folded (lower case, no accents), so "técnico" and "tecnico" are the same word. The
weights follow VADER's: 1.5 mildly pleasant ("bien"), 3 strong ("excelente"), negative alike.
"""

from __future__ import annotations

WORDS: dict[str, float] = {
    # pleased, grateful, praising
    "excelente": 3.2, "excelentes": 3.2, "genial": 3.0, "fantastico": 3.1, "fantastica": 3.1,
    "maravilla": 3.0, "maravilloso": 3.0, "maravillosa": 3.0, "perfecto": 2.8, "perfecta": 2.8,
    "perfectamente": 2.8, "buenisimo": 3.0, "buenisima": 3.0, "bueno": 1.9, "buena": 1.9,
    "buen": 1.9, "buenos": 1.9, "bien": 1.5, "mejor": 2.0, "gracias": 1.5, "agradecido": 2.0,
    "agradecida": 2.0, "agradezco": 2.0, "amable": 2.0, "amables": 2.0, "puntual": 1.8,
    "puntuales": 1.8, "rapido": 1.2, "rapida": 1.2, "rapidos": 1.2, "rapidez": 1.5,
    "contento": 2.3, "contenta": 2.3, "contentos": 2.3, "feliz": 2.5, "felices": 2.5,
    "satisfecho": 2.0, "satisfecha": 2.0, "encantado": 2.5, "encantada": 2.5, "encanto": 2.5,
    "recomiendo": 2.0, "recomendable": 2.0, "profesional": 1.8, "honesto": 1.8, "honesta": 1.8,
    "limpio": 1.0, "limpios": 1.0, "justo": 0.8, "increible": 2.5, "gran": 1.5,
    "atentos": 1.8, "atento": 1.8, "eficiente": 2.0, "salvaron": 2.0, "listo": 0.8,
    # unhappy, angry, blaming
    "malo": -2.5, "mala": -2.5, "mal": -2.0, "pesimo": -3.2, "pesima": -3.2, "terrible": -3.0,
    "horrible": -3.0, "fatal": -3.0, "decepcionado": -2.3, "decepcionada": -2.3,
    "decepcion": -2.5, "decepcionante": -2.5, "molesto": -2.0, "molesta": -2.0,
    "enojado": -2.5, "enojada": -2.5, "furioso": -3.0, "furiosa": -3.0, "frustrante": -2.3,
    "frustrado": -2.3, "frustrada": -2.3, "inaceptable": -2.8, "grosero": -2.5,
    "grosera": -2.5, "sucio": -1.5, "sucia": -1.5, "caro": -1.2, "cara": -1.2,
    "carisimo": -2.0, "problema": -1.5, "problemas": -1.5, "queja": -1.5, "quejas": -1.5,
    "falla": -1.5, "fallando": -1.5, "roto": -2.0, "rota": -2.0, "descompuesto": -2.0,
    "descompuesta": -2.0, "ruido": -0.8, "inutil": -2.5, "basura": -2.5, "estafa": -3.0,
    "robo": -3.0, "lamentable": -2.5, "verguenza": -2.5, "colmo": -2.0, "peor": -2.5,
    "triste": -2.0, "preocupado": -1.5, "preocupada": -1.5, "cansado": -1.5, "cansada": -1.5,
    "canse": -1.5, "eternidad": -1.5, "deficiente": -2.5, "desastre": -3.0, "mentira": -2.5,
    "pena": -1.5, "error": -1.0, "rechina": -1.0, "sucios": -1.5, "grosería": -2.5,
    # emoji, common in WhatsApp messages
    "👍": 1.5, "🙏": 1.5, "❤️": 2.5, "❤": 2.5, "😊": 2.0, "🙂": 1.5, "😍": 3.0, "👌": 1.5,
    "💯": 2.0, "😡": -3.0, "😠": -2.5, "🤬": -3.5, "😤": -2.0, "👎": -2.0, "😞": -2.0,
    "😢": -2.0, "😒": -1.5,
}  # fmt: skip

# A negator turns the next three words around ("no estoy contenta", "sin problemas").
NEGATORS = frozenset(("no", "nunca", "jamas", "nadie", "ni", "tampoco", "sin", "nada"))
# Boosters add (and dampeners take) a fixed step, as VADER's B_INCR does.
BOOSTERS: dict[str, float] = {
    "muy": 0.293, "super": 0.293, "bastante": 0.293, "demasiado": 0.293, "tan": 0.293,
    "sumamente": 0.293, "realmente": 0.293, "re": 0.293, "extremadamente": 0.293,
    "muchisimo": 0.293, "poco": -0.293, "algo": -0.293, "medio": -0.293,
}  # fmt: skip
# Politeness in a request or a confirmation is not an opinion of the service.
COURTESY = frozenset(("gracias", "favor", "bien", "buenas", "buenos", "buen", "listo"))
