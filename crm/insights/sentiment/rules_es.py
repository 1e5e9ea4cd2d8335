"""Spanish phrases of appliance-service customers (Latin American usage, written without
accents because the text is folded), in the order they are tried (rules.py)."""

from __future__ import annotations

from crm.insights.sentiment.rules import Rule, rules

RULES: list[Rule] = [
    rules("sarcasm", -3.0, r"gracias por nada", r"que broma"),
    rules(
        "no complaint",
        2.0,
        r"sin (?:quejas|problemas)",
        r"nunca he tenido problemas",
        r"nada mal",
        r"arregl\w* el problema",
        r"ya no (?:gotea|hace ruido|suena|falla|se oye)",
    ),
    rules(
        "negated praise",
        -3.0,
        r"nunca mas",
        r"ultima vez que",
        r"peor que antes",
        r"el colmo",
        r"ya me canse",
        r"no me hace gracia",
        r"a nadie le importa",
        r"para nada satisfech\w",
    ),
    rules(
        "money",
        -3.0,
        r"cobr\w*(?: \w+){0,3} (?:dos veces|doble|de mas|demasiado)",
        r"doble cargo",
        r"cargo doble",
        r"dinero tirado",
    ),
    rules(
        "money",
        -2.0,
        r"reembols\w*",
        r"devuelvan\w*",
        r"devolucion",
        r"mi dinero",
        r"dinero de vuelta",
        r"mas (?:caro|que la cotizacion)",
        r"mas de lo que",
        r"pague \d+ y",
        r"cobraron (?:la visita|\d+)",
    ),
    rules(
        "repeat",
        -2.5,
        r"dej\w* de (?:funcionar|enfriar|calentar|servir|prender|secar)"
        r"(?: \w+){0,3}",
        r"(?:sigue|siguen|seguia|continua) (?:sin|igual|fallando|goteando|"
        r"caliente|haciendo|dejando|tirando|sonando|con|rechinando|caminando|marcando)",
        r"volvi\w* a (?:fallar|descompon\w*|gotear|romper\w*|dejar de|parar\w*|echar|"
        r"marcar|pasar)",
        r"sin (?:refri\w*|lavadora|secadora|estufa|horno|agua caliente|aire)",
        r"se (?:murio|paro|descompuso|rompio)(?: \w+){0,3} (?:otra vez|"
        r"de nuevo)",
        r"mism[oa] (?:error|lugar|problema|falla|fuga|ruido)",
    ),
    rules(
        "praise",
        2.5,
        r"(?:ya )?(?:enfria|funciona|calienta|congela|seca|desagua|prende|"
        r"sirve|jala)\w*(?: \w+){0,2}? (?:otra vez|de nuevo|bien|perfecto|perfectamente|"
        r"de maravilla|muy bien|normal|como nuev\w|parejo)",
        r"como nuev\w",
        r"(?:quedo|quedaron|dejo) (?:\w+ )?(?:perfect\w|list\w|excelente|muy bien)",
        r"(?:nos|me) (?:salvaron|salvo)",
        r"se salvo",
        r"ya no (?:gotea|hace ruido|suena|"
        r"falla|se oye)",
        r"los recomiendo",
        r"se los voy a recomendar",
        r"10 de 10",
        r"volveremos a llamar",
        r"sin duda",
    ),
    rules("repeat", -1.5, r"otra vez", r"de nuevo", r"nuevamente"),
    rules(
        "repeat",
        -2.0,
        r"todavia (?:no|se oye|"
        r"esta|estoy|necesita|sigue|hace|tiene)",
        r"(?:segunda|tercera|cuarta|dos|tres|"
        r"cuatro|\d) (?:visitas|veces)",
        r"(?:segunda|tercera|cuarta) (?:vez|visita)",
        r"otra semana sin",
        r"despues de (?:la|su) (?:reparacion|visita)",
    ),
    rules(
        "no-show",
        -2.0,
        r"nadie",
        r"ninguno",
        r"no (?:llego|vino|se presento|aparecio|"
        r"se presentan|llegaron|vinieron|avis\w*|me regresa\w*)",
        r"nunca (?:llego|vino|"
        r"llamaron|me llego)",
        r"esper(?:e|amos|ando)(?: \w+){0,2} (?:toda|todo|desde|\d|"
        r"horas)",
        r"llevo esperando",
        r"buzon",
        r"ni (?:probo|reviso|llamo|aviso)",
    ),
    rules(
        "no-show",
        -1.5,
        r"llego (?:\w+ ){0,3}(?:tarde|a las \d+)",
        r"horas? tarde",
        r"se (?:esta )?tard\w*",
        r"una eternidad",
        r"tardo mucho",
        r"demasiado larga",
    ),
    rules(
        "damage",
        -2.5,
        r"se (?:me )?echo a perder",
        r"echaron a perder",
        r"se pudri\w*",
        r"se descongel\w*",
        r"tirar todo",
        r"tuve que tirar",
        r"se inundo",
        r"inund\w*",
        r"charco",
        r"lleno de agua",
        r"rayo",
        r"rompio",
        r"dano",
        r"sin (?:arreglar|"
        r"probar|decir nada)",
        r"dejo todo sucio",
    ),
    rules(
        "fault",
        -1.5,
        r"no (?:enfria|funciona|calienta|congela|prende|enciende|seca|"
        r"desagua|centrifuga|jala|arranca)\w*",
        r"fuga",
        r"gote\w*",
        r"rechin\w*",
        r"ruido",
        r"no traia",
        r"olvido",
        r"grosero\w*",
    ),
    rules(
        "money",
        -1.0,
        r"carisimo",
        r"muy caro",
        r"(?:un )?cargo de \d+",
        r"nadie me (?:dijo|menciono)",
    ),
    rules(
        "praise",
        2.0,
        r"ya (?:funciona|enfria|calienta|congela|seca|desagua|quedo|hay agua"
        r" caliente|jala|sirve)\w*",
        r"sin (?:quejas|problemas)",
        r"nunca he tenido problemas",
        r"nada mal",
        r"a tiempo",
        r"puntual\w*",
        r"precio justo",
        r"vale la pena",
        r"buen (?:trabajo|servicio|precio)",
        r"lo arreglaron",
        r"se esforzo",
        r"volvio a la normalidad",
        r"honest\w*",
        r"profesional",
    ),
    rules(
        "thanks",
        2.0,
        r"mil gracias",
        r"muchas gracias",
        r"gracias por (?:atender\w*|venir|"
        r"la rapidez|todo)",
    ),
]
