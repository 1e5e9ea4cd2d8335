"""English phrases of appliance-service customers, in the order they are tried (rules.py)."""

from __future__ import annotations

from crm.insights.sentiment.rules import Rule, rules

NT = r"(?:not|n'?t|isn'?t|is not|doesn'?t|does not|won'?t|wont|didn'?t|did not|can'?t|cant)"
DOING = (
    r"(?:cool\w*|cold|heat\w*|work\w*|drain\w*|dr(?:y|ies|ying)|spin\w*|start\w*|turn on|"
    r"light\w*|freez\w*|clean\w*|bak\w*|mak\w* ice|fix\w*)"
)
BROKEN = (
    r"(?:broke|broken|stopped|died|dead|failed|failing|fail|leak\w*|warm|flooded|sparks|"
    r"blowing hot air|error\w*|clicking|noise|noisy|rattle|shows)"
)

RULES: list[Rule] = [
    rules("sarcasm", -3.0, r"thanks for nothing", r"what a joke"),
    rules(
        "no complaint",
        2.0,
        r"no more (?:leaks?|noise|problems?|issues?)",
        r"no (?:issues|problems|complaints)",
        r"never had (?:a|any) problem",
        r"(?:noise|leak|problem) is gone",
        r"(?:fixed|solved|sorted) (?:the|my|our) "
        r"(?:problem|issue)",
    ),
    rules(
        "negated praise",
        -3.0,
        r"(?:not|never|wouldn'?t|won'?t) recommend",
        r"never again",
        r"last time i",
        r"not (?:\w+ )?(?:happy|satisfied|thrilled|"
        r"impressed|pleased)(?: \w+)*? at all",
        r"worse than (?:before|it was)",
    ),
    rules(
        "money",
        -3.0,
        r"(?:billed|charged|charge\w*)(?: \w+){0,3} (?:twice|double|two times)",
        r"double[- ]?(?:charg\w*|bill\w*)",
        r"over ?(?:charged|priced|billed)",
        r"waste of money",
        r"rip ?off",
        r"scam",
    ),
    rules(
        "money",
        -2.0,
        r"refund\w*",
        r"money back",
        r"disput\w*",
        r"chargeback",
        r"(?:higher|more) than (?:the |what )?(?:quote|quoted|estimate|you said)",
        r"quote doubled",
        r"can'?t believe i paid",
        r"(?:billed|charged) (?:me )?for (?:\d+|"
        r"two|three) hours",
        r"paid (?:for|\$?\d+)(?: \w+){0,4} and",
    ),
    rules(
        "repeat",
        -2.5,
        rf"{BROKEN}(?:[\w\"',]* ){{0,4}}(?:again|once more)",
        rf"{NT}(?: \w+)? {DOING}(?:[\w,]* ){{0,3}}again",
        r"same (?:problem|issue|noise|"
        r"spot|error|leak|thing|code)",
        r"(?:the fix|it) lasted",
        r"(?:problem|noise|error"
        r"|leak|issue)\w* (?:is |came |has come )?back",
    ),
    rules(
        "repeat",
        -2.0,
        r"still (?:not|n'?t|isn'?t|doesn'?t|won'?t|wont|can'?t|broken|leak\w*|warm|hot|noisy|"
        r"dead|waiting|the same|drip\w*|making|clicking|rattling|smells?|hearing|a bit)",
        r"another (?:week|day|no[- ]show|visit|month|morning|trip)",
        r"(?:second|2nd|third|3rd|fourth|4th|two|three|four|\d) (?:visits?|trips?|times?)"
        r"(?! (?:a|per) )",
        r"twice",
        r"(?:second|third|fourth) (?:time|message)",
        r"after (?:the|your|his|her|a) \"?(?:repair|visit|fix|install\w*)",
        r"since (?:you|he|they) (?:installed|replaced|fixed|came)",
        r"(?:worked|was) (?:fine|perfectly|great) before",
        r"hope (?:this time|it lasts)",
    ),
    # "still" alone is mild: "are you still open Saturday?" asks, it does not complain
    rules("repeat", -1.5, r"still(?! (?:coming|on\b|available|good|ok|okay|works|happy))"),
    rules(
        "no-show",
        -2.0,
        r"(?:nobody|no one|no-one|noone)(?! (?:is|will be) home)",
        r"no[- ]shows?",
        r"never (?:showed|came|arrived|called|got)",
        r"(?:didn'?t|did not|never) (?:show|come|call|arrive|even|have|answer|test)",
        r"wait(?:ed|ing) (?:since|all|for hours|\d+|five|six|three|four) ?\w*",
        r"hung up",
        r"ignor\w*",
        r"(?:no|without) (?:call|calling|tools)",
        r"stood (?:me )?up",
    ),
    rules(
        "no-show",
        -1.5,
        r"(?:hours?|an hour) late",
        r"(?:came|arrived|got here|showed up) (?:\w+ ){0,3}(?:late|at \d+)",
        r"(?:takes|took|taking) (?:forever|much longer|way longer)",
        r"way too long",
    ),
    rules(
        "damage",
        -2.5,
        r"spoil\w*",
        r"went bad",
        r"rott\w*",
        r"thawed",
        r"defrosted",
        r"throw (?:out|away)",
        r"flood\w*",
        r"puddle",
        r"water (?:all )?over",
        r"scratched",
        r"dented",
        r"damag\w*",
        r"caught fire",
        r"sparks?",
        r"burn\w*",
        r"(?:broke|broken|ruined) (?:the|my|our)",
        r"left (?:a mess|without \w+ing)",
        r"without (?:fixing|testing|saying|calling)",
        r"without (?:a |any )?(?:working|"
        r"functioning)",
        r"all over (?:the|my|our)",
    ),
    rules(
        "fault",
        -1.5,
        rf"{NT}(?: \w+)? {DOING}",
        r"stopped \w+ing",
        r"nowhere near",
        r"leak\w*",
        r"dripping",
        r"hot air",
        r"nothing (?:got |was )?(?:fixed|done)",
        r"wrong part",
        r"squeak\w*",
        r"smells?",
        r"louder",
        r"forgot",
        r"rude",
        r"rushed",
        r"could(?:'ve| have) been (?:faster|better|quicker|cheaper)",
    ),
    rules(
        "money",
        -1.0,
        r"pricey",
        r"expensive",
        r"overpriced",
        r"(?:nobody|never) (?:mentioned|told)",
        r"(?:extra|hidden|shop) (?:\$?\d+ )?\"?fee",
    ),
    rules(
        "praise",
        2.5,
        r"(?:works?|working|runs?|running|cools?|cooling|heats?|heating|"
        r"drains?|draining|dries|drying|spins?|bakes|lights?|light up|cleans|freezing|"
        r"holding temperature)(?: \w+){0,2}? (?:perfect\w*|great|fine|well|like new|"
        r"like a (?:charm|dream)|normally|properly|evenly|as it should|like it should)",
        r"(?:good|like) as new",
        r"like new",
        r"(?:great|good|excellent|amazing|awesome|fantastic|wonderful) (?:work|job|service)",
        r"like a dream",
        r"above and beyond",
        r"can'?t thank you enough",
        r"you (?:guys )?rock",
        r"10/10",
        r"saved (?:our|us|me|my)",
        r"highly recommend",
        r"will (?:definitely )?recommend",
        r"recommend you",
    ),
    rules(
        "praise",
        2.0,
        r"(?:works?|working|cools?|cooling|heats?|heating|draining|"
        r"freezing|cold|cool|hot|quiet|blowing cold) (?:\w+ )?(?:again|now)",
        r"no more (?:leaks?|noise|problems?|issues?)",
        r"no (?:issues|problems|complaints)",
        r"never had (?:a|any) problem",
        r"(?:noise|leak|problem) is gone",
        r"back to normal",
        r"problem solved",
        r"(?:is|are|was|runs?) fine now",
        r"on time",
        r"same day",
        r"in no time",
        r"honest",
        r"worth it",
        r"(?:fitting|squeezing) us in",
        r"fixed (?:it |in |what)",
        r"it'?s working",
        r"working as it should",
        r"simple fix",
        r"quick (?:fix|visit|turnaround)",
        r"fair price",
        r"(?:fast|quick|same day) service",
        r"really is fixed",
    ),
    rules("praise", 1.5, r"fixed", r"got it done", r"(?:works|working)(?! \w+ing)"),
    rules("thanks", 2.0, r"thanks (?:again|for (?:coming|the quick|the honest|the fast))"),
]
