"""Margin's word lists, in one place: the closed-class English vocabulary the quote and
speaker rules read (reporting verbs, role and organisation nouns, gendered words, titles,
function words) and common given names by gender.

Nothing here names a particular person, outlet or article; every list is general vocabulary.
The modules that use a list import it from here (and re-export it under its old name).
"""

from __future__ import annotations

# fmt: off

# -- from quotes.py ------------------------------------------------------------

SPEAKER_PRONOUN_WORDS = {"he", "she", "they", "i", "we", "it"}

POSSESSIVE_PRONOUNS = {"his": "he", "her": "she", "their": "they"}

# Nouns for what someone said: "his remarks" speak for him.
SPEECH_NOUNS = {
    "remarks", "statement", "statements", "comments", "comment", "words", "assumption", "argument", "message",
    "speech", "tweet", "tweets", "email", "response", "answer", "reply", "testimony", "campaign-trail",
    "retort", "rhetoric", "claim", "claims", "suggestion",
}

DESCRIPTION_OPENERS = {
    "the", "a", "an", "one", "another", "his", "her", "their", "its", "our", "two", "three", "several",
    "some", "many", "most", "both", "each",
}

DOCUMENT_NOUNS = {
    "report", "reports", "statement", "study", "article", "survey", "poll", "website", "newspaper",
    "broadcast", "post", "tweet", "interview", "letter", "memo", "release", "documents", "document", "filing",
    "analysis", "story",
}

# Other things whose words an article quotes ("the sign read", "the bill says"), and gatherings of
# people who chant or answer as one ("the crowd chanted"): subjects that may speak, though neither
# a person nor an organisation.
WORD_CARRYING_NOUNS = {
    "sign", "signs", "banner", "placard", "headline", "caption", "book", "video", "ad", "bill", "law",
    "petition", "resolution", "page", "email", "editorial", "platform",
}
CROWD_NOUNS = {"crowd", "crowds", "audience", "panel", "jury", "chorus", "congregation", "delegation"}

ORG_HEAD_WORDS = {
    "department", "ministry", "party", "union", "commission", "council", "agency", "house", "office",
    "bureau", "committee", "court", "police", "service", "institute", "university", "company", "corporation",
    "bank", "group", "association", "organization", "forces", "army", "navy", "times", "post", "news",
    "network", "opposition", "government", "administration", "team", "club", "league", "federation", "zoo",
    "museum", "center", "centre", "press", "journal", "tribune", "herald", "gazette", "magazine", "foundation",
    "coalition", "alliance", "society", "board", "senate", "congress",
}

ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "gov", "sen", "rep", "jan", "feb", "aug", "sept", "sep",
    "oct", "nov", "dec", "no", "vs", "etc", "lt", "col", "capt", "prof", "inc", "corp", "co", "ltd", "mt",
    "ft", "rev", "sgt",
}

LABEL_WORDS = {
    "labeled", "labelled", "known", "dubbed", "nicknamed", "titled", "entitled", "named", "branded", "termed",
    "so-called", "billed",
}

NOUN_CONTINUATION_STOPWORDS = {
    "by", "for", "of", "in", "on", "at", "to", "from", "with", "and", "or", "but", "as", "that", "which",
    "who", "is", "was", "are", "were", "has", "have", "had", "will", "would", "could", "should", "he", "she",
    "they", "it", "said", "says", "than", "when", "while", "after", "before", "because", "if", "since",
    "into",
}

NOT_NOUN_STARTS = {
    "this", "that", "these", "those", "the", "a", "an", "his", "her", "its", "their", "our", "my", "your",
    "every", "each", "any", "some", "no", "last", "next", "again", "too", "now", "then", "here", "there",
    "not", "yet", "so", "very", "also", "only", "even", "just",
}

# "the source", "the person": news keeps these anonymous on purpose; never resolved to a name.
ANONYMOUS_NOUNS = {"source", "sources", "person", "insider", "informant", "whistleblower"}

OBLIQUE_PREPOSITIONS = {
    "by", "with", "of", "for", "to", "from", "about", "against", "at", "on", "in", "after", "before", "under",
    "over", "between", "among", "toward", "towards", "than", "including", "near", "across", "through",
    "during", "into", "via", "around",
}

NOT_A_SPEAKER = {
    "he", "she", "they", "it", "i", "we", "you", "him", "her", "them", "his", "its", "their", "who", "whom",
    "which", "that", "this", "these", "those", "itself", "himself", "herself", "themselves", "one", "someone",
    "everyone", "anyone", "nobody", "none", "all", "some", "many", "most", "half",
}

FUNCTION_WORDS = {
    "that", "by", "to", "of", "and", "the", "a", "an", "if", "when", "as", "in", "on", "for", "with", "at",
    "from", "but", "or", "because", "than", "while", "between", "after", "before", "during", "since", "until",
    "into", "through", "without", "within", "among", "against", "across",
}

MONTH_WORDS = {
    "january", "february", "march", "april", "june", "july", "august", "september", "october", "november",
    "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "yesterday",
    "today", "tomorrow",
}

PLACE_HEADS = {
    "street", "avenue", "road", "boulevard", "square", "park", "lane", "drive", "highway", "bridge", "center",
    "centre", "hall", "county", "river", "valley", "airport", "station",
}

# -- from quote_cues.py ------------------------------------------------------------

_VERB_FORMS = {
    "say": "say says said saying",
    "tell": "tell tells told telling",
    "add": "add adds added adding",
    "reply": "reply replies replied replying",
    "continue": "continue continues continued continuing",
    "recall": "recall recalls recalled recalling",
    "remember": "remembered remembers",
    "exhort": "exhort exhorts exhorted exhorting",
    "state": "state states stated stating",
    "explain": "explain explains explained explaining",
    "note": "note notes noted noting",
    "ask": "ask asks asked asking",
    "write": "write writes wrote writing",
    "tweet": "tweet tweets tweeted tweeting",
    "post": "posted",
    "insist": "insist insists insisted insisting",
    "argue": "argue argues argued arguing",
    "declare": "declare declares declared declaring",
    "announce": "announce announces announced announcing",
    "warn": "warn warns warned warning",
    "claim": "claim claims claimed claiming",
    "remark": "remark remarks remarked remarking",
    "comment": "comment comments commented commenting",
    "acknowledge": "acknowledge acknowledges acknowledged acknowledging",
    "admit": "admit admits admitted admitting",
    "concede": "concede concedes conceded conceding",
    "suggest": "suggest suggests suggested suggesting",
    "conclude": "conclude concludes concluded concluding",
    "respond": "respond responds responded responding",
    "answer": "answer answers answered answering",
    "urge": "urge urges urged urging",
    "call": "call calls called calling",
    "condemn": "condemn condemns condemned condemning",
    "describe": "describe describes described describing",
    "quip": "quip quips quipped quipping",
    "joke": "joke jokes joked joking",
    "shout": "shout shouts shouted shouting",
    "whisper": "whisper whispers whispered whispering",
    "cry": "cry cries cried",
    "observe": "observe observes observed observing",
    "testify": "testify testifies testified testifying",
    "interject": "interject interjects interjected interjecting",
    "interrupt": "interrupted interrupting",
    "marvel": "marvel marvels marveled marvelled marveling marvelling",
    "demand": "demanded demanding",
    "contend": "contend contends contended contending",
    "reason": "reasoned",
    "speculate": "speculate speculates speculated speculating",
    "grumble": "grumble grumbles grumbled grumbling",
    "grouse": "groused",
    "proclaim": "proclaim proclaims proclaimed proclaiming",
    "brag": "brag brags bragged bragging",
    "taunt": "taunted taunting",
    "sneer": "sneered sneering",
    "allege": "allege alleges alleged",
    "hint": "hinted",
    "reveal": "reveal reveals revealed revealing",
    "recount": "recount recounts recounted recounting",
    "predict": "predict predicts predicted predicting",
    "promise": "promise promises promised promising",
    "vow": "vow vows vowed vowing",
    "boast": "boast boasts boasted boasting",
    "complain": "complain complains complained complaining",
    "confirm": "confirm confirms confirmed confirming",
    "deny": "deny denies denied denying",
    "emphasize": "emphasize emphasizes emphasized emphasizing emphasise emphasises emphasised emphasising",
    "stress": "stress stresses stressed stressing",
    "assert": "assert asserts asserted asserting",
    "report": "report reports reported reporting",
    "exclaim": "exclaim exclaims exclaimed exclaiming",
    "mutter": "mutter mutters muttered muttering",
    "agree": "agree agrees agreed agreeing",
    "counter": "counter counters countered countering",
    "retort": "retort retorts retorted retorting",
    "pledge": "pledge pledges pledged pledging",
    "explain_more": "elaborated explained wondered",
    "quote": "quoted",
    "chant": "chant chants chanted chanting",
    "yell": "yell yells yelled yelling",
    "scream": "scream screams screamed screaming",
    "plead": "plead pleads pleaded pleading",
    "sigh": "sighed",
    "opine": "opine opines opined opining",
    "assure": "assure assures assured assuring",
    "lament": "lament laments lamented lamenting",
    "criticize": "criticize criticizes criticized criticizing criticise criticises criticised criticising",
    "accuse": "accuse accuses accused accusing",
    "decry": "decry decries decried decrying",
    "muse": "muse muses mused musing",
    "scoff": "scoff scoffs scoffed scoffing",
    "reiterate": "reiterate reiterates reiterated reiterating",
    "caution": "caution cautions cautioned cautioning",
    "lash": "lashed",
    "praise": "praise praises praised praising",
    "mock": "mock mocks mocked mocking",
    "slam": "slams slammed slamming",
    "blast": "blasts blasted blasting",
    "denounce": "denounce denounces denounced denouncing",
    "dismiss": "dismisses dismissed dismissing",
    "ridicule": "ridicules ridiculed ridiculing",
    "deride": "deride derides derided deriding",
    "tout": "tout touts touted touting",
    "hail": "hails hailed hailing",
    "characterize": "characterize characterizes characterized characterizing",
    "lambast": "lambast lambasts lambasted lambasting lambaste lambastes",
    "chide": "chide chides chided chiding",
    "rebuke": "rebukes rebuked rebuking",
    "cite": "citing",
    "bark": "barks barked barking",
    "snap": "snapped",
    "fume": "fumes fumed fuming",
    "gush": "gushes gushed gushing",
    "thunder": "thundered",
    "refer": "referred referring",  # "Doe, referring to herself as “…”"
    # speech said with a face: "“This is fantastic!” beamed Jane Doe"
    "beam": "beamed",
    "grin": "grinned",
    "laugh": "laughed",
    "smile": "smiled",
}

REPORTING_VERBS = {form for forms in _VERB_FORMS.values() for form in forms.split()}

# Phrasal reporting verbs: the verb form and its particle.
PARTICLE_CUES = {
    ("pointed", "out"), ("points", "out"), ("shot", "back"), ("shoots", "back"), ("fired", "back"),
    ("fires", "back"), ("went", "on"), ("goes", "on"), ("chimed", "in"), ("chimes", "in"),
}


# Forms that are often nouns ("phone calls", "notes"): need a VERB tag when tags exist.
NOUN_LIKE_FORMS = {
    "call", "calls", "note", "notes", "comment", "comments", "claim", "claims", "answer", "answers", "reply",
    "replies", "report", "reports", "state", "states", "post", "posted", "promise", "promises", "counter",
    "stress", "tweet", "tweets", "quote", "remark", "remarks", "boast", "boasts", "chant", "chants", "cry",
    "cries", "joke", "jokes", "pledge", "pledges", "quip", "quips", "retort", "retorts", "scream", "screams",
    "shout", "shouts", "vow", "vows", "warning", "whisper", "whispers", "yell", "yells", "praise", "caution",
    "lament", "laments", "tout", "saying",
}

# Forms that report speech only when a person speaks them, never as a bare modifier.
OBJECT_TAKING_VERBS = {"told", "tell", "tells", "telling", "called", "calls", "call", "asked", "asks", "urged"}

OBJECT_WORDS = {
    "me", "us", "him", "her", "them", "reporters", "journalists", "lawmakers", "supporters", "parliament",
    "congress", "the", "a", "an",
}

SKIPPABLE_BEFORE_VERB = {
    "also", "later", "then", "again", "soon", "once", "further", "simply", "just", "has", "have", "had",
    "was", "were", "is", "are", "will", "would", "did", "does", "do", "not", "n't", "never", "still",
    "recently", "previously", "earlier", "often", "repeatedly", "quickly", "finally", "reportedly",
    "publicly", "privately",
}

DETERMINERS = {
    "a", "an", "the", "another", "one", "two", "three", "four", "five", "some", "several", "many", "most",
    "this", "that", "these", "those", "his", "her", "their", "its", "our",
}

CLAUSE_WORDS = {
    "which", "who", "whom", "whose", "that", "where", "when", "while", "because", "although", "if", "and",
    "but", "or",
}

PREPOSITIONS = {"of", "for", "from", "at", "in", "on", "with", "by", "to", "about", "near", "like", "under"}

NAME_ABBREVIATIONS = {
    "jr", "sr", "mr", "mrs", "ms", "dr", "st", "gov", "sen", "rep", "gen", "lt", "col", "sgt", "prof", "rev",
    "inc", "co", "corp", "ltd", "capt", "maj", "atty", "u.s", "d", "r",
}

# -- from quote_coref.py ------------------------------------------------------------

# "spokesman" and "chairman" are left out: US news writes them for women too ("campaign
# spokesman Jane Doe", "the party's chairman").
MASCULINE_WORDS = {
    "mr", "sir", "king", "prince", "lord", "duke", "earl", "baron", "count", "emperor", "sultan", "sheikh",
    "father", "brother", "son", "husband", "uncle", "grandfather", "nephew", "boy", "man", "gentleman",
    "businessman", "councilman", "congressman", "policeman", "fisherman",
    "sportsman", "statesman", "monk", "groom", "widower", "dad", "grandson", "stepfather", "boyfriend",
    "landlord", "headmaster", "salesman", "cameraman", "craftsman", "fireman", "foreman", "frontman",
    "horseman", "layman", "serviceman",
}

FEMININE_WORDS = {
    "mrs", "ms", "miss", "madam", "madame", "dame", "lady", "queen", "princess", "duchess", "countess",
    "baroness", "empress", "mother", "sister", "daughter", "wife", "aunt", "grandmother", "niece", "girl",
    "woman", "spokeswoman", "businesswoman", "chairwoman", "councilwoman", "congresswoman", "policewoman",
    "sportswoman", "actress", "waitress", "hostess", "nun", "bride", "widow", "mum", "mom", "grandma",
    "granddaughter", "stepmother", "girlfriend", "landlady", "headmistress", "saleswoman", "stewardess",
    "heiress", "camerawoman",
}

PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}

# Singular role nouns whose referent is a person (a "he"/"she", not an "it").
# Documents whose words an article quotes ("the memo says"), and the verbs that make them
# ("X emailed supporters … The email goes on"): a definite one stands for its named author.
AUTHORED_NOUNS = {
    "report": ("report", "reported", "study", "analysis"), "statement": ("statement",),
    "study": ("study", "report", "analysis"), "survey": ("survey",),
    "letter": ("letter", "wrote"), "memo": ("memo", "memorandum"), "release": ("release", "released"),
    "email": ("email", "e-mail", "emailed", "e-mailed"), "e-mail": ("email", "e-mail", "emailed", "e-mailed"),
    "ad": ("ad", "advertisement", "commercial"), "advertisement": ("ad", "advertisement"),
    "editorial": ("editorial",), "tweet": ("tweet", "tweeted"), "post": ("post", "posted"),
    "message": ("message",), "video": ("video",), "filing": ("filing", "filed"), "lawsuit": ("lawsuit", "suit", "sued"),
    "ruling": ("ruling", "ruled"), "complaint": ("complaint",), "petition": ("petition",), "speech": ("speech",),
    "book": ("book", "wrote"), "op-ed": ("op-ed", "wrote"), "column": ("column", "wrote"),
}

# Abbreviated titles written before names, and the word a description uses for them.
TITLE_WORD_FORMS = {
    "sen.": "senator", "sen": "senator", "gov.": "governor", "gov": "governor", "rep.": "representative",
    "rep": "representative", "gen.": "general", "lt.": "lieutenant", "col.": "colonel", "capt.": "captain",
    "sgt.": "sergeant", "supt.": "superintendent", "prof.": "professor", "pres.": "president",
    "atty.": "attorney", "amb.": "ambassador", "sec.": "secretary", "rev.": "reverend", "insp.": "inspector",
}

# Two-word titles, written joined by a hyphen here ("the U.N. secretary-general", "the
# Secretary General").
# Nouns news writing uses as an epithet for a public figure it has already named, to avoid
# repeating the name: "the Ohio Republican", "the senator", "the front-runner".
EPITHET_NOUNS = {
    "senator", "governor", "congressman", "congresswoman", "lawmaker", "mayor", "candidate", "nominee",
    "incumbent", "republican", "democrat", "independent", "front-runner", "frontrunner", "billionaire",
    "businessman", "businesswoman", "mogul", "populist", "conservative", "liberal", "progressive",
}

# Roles a story's own subject is called by once the article has tied the role to someone ("… as
# the country's premier. … The premier said"); never someone unnamed standing
# beside them (not "the spokesman"). Written the first time, such a role brings in someone new.
ROLE_EPITHETS = {
    "minister", "premier", "president", "chancellor", "judge", "justice", "coach", "ceo", "chairman",
    "chairwoman", "commissioner", "actor", "actress", "singer", "rapper", "star", "author", "novelist",
    "player", "rookie", "veteran", "defenceman", "defenseman", "goaltender", "goalie", "forward",
    "quarterback", "pitcher", "striker", "captain", "pope", "king", "queen", "prince", "princess",
    "founder", "entrepreneur", "councillor", "councilor", "chief",
}

# A share of the people asked, as the subject of "said": "55 percent of voters", "six in 10 Republicans".
SHARE_WORDS = {"percent", "%", "majority", "minority", "plurality", "half", "third", "quarter", "fifth", "most"}
NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}
# What asked them: "… according to a Quinnipiac poll", "a fresh poll shows".
POLL_NOUNS = {"poll", "polls", "survey", "surveys"}

# Party words of US politics, by party letter ("the Ohio Republican", "Democrat Jane Doe").
PARTY_WORDS = {
    "republican": "R", "republicans": "R", "gop": "R", "democrat": "D", "democratic": "D", "democrats": "D",
    "independent": "I",
}

TITLE_PAIRS = {"secretary-general", "attorney-general", "governor-general", "director-general", "surgeon-general"}

# Words that make a definite description something else than its head's title holder ("the
# head of the agency", "the senator who …").
DESCRIPTION_STOP_WORDS = {"of", "for", "at", "in", "on", "from", "with", "who", "which", "that", "and", "or", "to"}

PERSON_NOUNS = {
    "spokesman", "spokeswoman", "spokesperson", "official", "officer", "minister", "president", "director",
    "manager", "chief", "leader", "secretary", "source", "resident", "farmer", "teacher", "doctor", "nurse",
    "witness", "expert", "analyst", "economist", "lawyer", "attorney", "prosecutor", "judge", "senator",
    "governor", "mayor", "ambassador", "envoy", "candidate", "voter", "student", "worker", "owner",
    "activist", "campaigner", "founder", "chairman", "chairwoman", "chair", "commander", "general", "captain",
    "coach", "player", "driver", "pilot", "passenger", "survivor", "victim", "father", "mother", "man",
    "woman", "boy", "girl", "fan", "reporter", "journalist", "editor", "correspondent", "researcher",
    "scientist", "professor", "historian", "curator", "engineer", "inspector", "detective", "sheriff",
    "diplomat", "negotiator", "adviser", "advisor", "aide", "member", "deputy", "representative", "executive",
    "head", "observer", "organiser", "organizer", "supporter", "critic", "opponent", "refugee", "migrant",
    "villager", "shopkeeper", "trader", "citizen", "neighbour", "neighbor", "friend", "colleague", "parent",
    "daughter", "son", "wife", "husband", "sister", "brother", "businessman", "businesswoman", "priest",
    "imam", "pastor", "bishop", "chancellor", "premier", "king", "queen", "prince", "princess", "councillor",
    "councilor", "lawmaker", "legislator", "politician", "soldier", "guard", "employee", "consultant",
    "professional", "person", "someone", "somebody", "one", "chef", "artist", "musician", "singer", "writer",
    "author", "poet", "actor", "producer", "nun", "monk", "rabbi", "cleric", "farmworker", "grower",
    "fisherman", "miner", "builder", "mechanic", "baker", "butcher", "tenant", "landlord", "principal",
    "headteacher", "dean", "protester", "demonstrator", "striker", "goalkeeper", "delegate", "admiral",
    "partner", "tycoon", "commissioner", "congressman", "congresswoman", "strategist", "pollster", "donor",
    "nominee", "veteran", "lobbyist", "operative", "staffer", "retiree", "homeowner", "entrepreneur",
    "investor", "billionaire", "millionaire", "celebrity", "comedian", "host", "anchor", "commentator",
    "columnist", "blogger", "pundit", "contractor", "physician", "surgeon", "sergeant", "lieutenant",
    "colonel", "major", "agent", "attendee", "participant", "chairperson",
    "president-elect", "frontrunner", "front-runner", "challenger", "incumbent", "rival", "mom", "dad",
    "grandmother", "grandfather", "uncle", "aunt", "cousin", "nephew", "niece", "widow", "widower",
    "firefighter", "policeman", "policewoman", "trooper", "spokesmen", "translator", "interpreter", "accountant", "banker", "broker", "clerk",
    "cashier", "waiter", "waitress", "bartender", "landowner", "rancher", "herder", "republican", "democrat",
}

ORGANISATION_NOUNS = {
    "department", "ministry", "party", "union", "commission", "council", "agency", "office", "bureau",
    "committee", "court", "service", "institute", "university", "company", "firm", "corporation", "bank",
    "group", "association", "organization", "organisation", "army", "navy", "government", "administration",
    "team", "club", "league", "federation", "museum", "centre", "center", "authority", "regulator", "board",
    "embassy", "hospital", "school", "network", "airline", "carrier", "charity", "alliance", "coalition",
    "movement", "campaign", "parliament", "senate", "congress", "assembly", "cabinet", "presidency", "palace",
    "kremlin", "police", "military", "opposition", "newspaper", "station", "channel", "broadcaster",
    "operator", "manufacturer", "maker", "carmaker", "producer", "retailer", "chain", "label", "studio",
    "publisher", "lab", "laboratory", "foundation", "fund", "trust", "statement", "report", "study", "survey",
    "memo", "letter", "website", "post", "document", "utility", "insurer", "automaker", "lender", "watchdog",
    "nonprofit", "non-profit", "startup", "start-up",
}

GENERIC_ORG_NOUNS = {
    "company", "firm", "organization", "organisation", "group", "airline", "carrier", "charity", "carmaker",
    "maker", "manufacturer", "retailer", "label", "broadcaster", "operator", "network", "startup", "start-up",
    "chain", "publisher", "studio", "utility", "insurer", "automaker", "lender", "nonprofit", "non-profit",
}

# Two kinds of organisation a description and a name must not mix ("the firm" is no "Ministry
# of Harbours", "the department" no "Acme Corporation"); other organisation nouns fit either.
PUBLIC_BODY_NOUNS = {
    "department", "ministry", "agency", "office", "bureau", "commission", "council", "committee", "court",
    "authority", "regulator", "board", "embassy", "parliament", "senate", "congress", "assembly", "cabinet",
    "government", "administration", "police", "military", "army", "navy",
}
COMPANY_NOUNS = {
    "company", "firm", "corporation", "corp", "bank", "airline", "carrier", "carmaker", "maker", "manufacturer",
    "retailer", "broadcaster", "operator", "startup", "start-up", "publisher", "studio", "label", "producer",
    "utility", "insurer", "automaker", "lender",
}

COLLECTIVE_PLURALS = {"police", "people", "staff", "crew", "personnel", "authorities", "officials"}

# -- from given_names.py ------------------------------------------------------------

MALE_NAMES = frozenset(
    """
aaron adam adrian alan albert alberto alex alexander alfred alfredo allan allen alvin andre andrew
andy angel anthony antonio armando arnold arthur barry ben benjamin bernard bill billy bob bobby brad
bradley brandon brent brett brian bruce bryan byron calvin carl carlos cecil charles charlie chester
chris christian christopher clarence claude clayton clifford clifton clyde cody corey cory craig
curtis dale dan daniel danny darrell darren darryl daryl dave david dean dennis derek derrick don
donald douglas duane dustin dwayne dwight earl eddie edgar eduardo edward edwin elmer enrique eric
erik ernest eugene everett felix fernando francis francisco frank franklin fred freddie frederick
gabriel gary gene george gerald gilbert glen glenn gordon greg gregory guy harold harry harvey hector
henry herbert herman howard hugh ian isaac ivan jack jacob jaime james jared jason javier jay jeff
jeffery jeffrey jeremy jerome jerry jesse jesus jim jimmie jimmy joe joel john johnnie johnny jon
jonathan jorge jose joseph joshua juan julian julio justin karl keith ken kenneth kent kevin kirk kurt
kyle lance larry lawrence leo leon leonard leroy lester lewis lloyd lonnie louis luis manuel marc
marcus mario mark marshall martin marvin mathew matthew maurice max melvin michael micheal miguel
mike milton mitchell morris nathan nathaniel neil nelson nicholas norman oscar patrick paul pedro
perry peter philip phillip rafael ralph ramon randall randy raul ray raymond reginald ricardo richard
rick ricky robert roberto rodney roger roland ron ronald ronnie ross roy ruben russell ryan salvador
sam samuel scott sean sergio seth shane shawn sidney stanley stephen steve steven ted terrance
terrence theodore thomas tim timothy todd tom tommy tony travis troy tyler tyrone vernon victor
vincent virgil wade wallace walter warren wayne wesley willard william zachary
""".split()
)

FEMALE_NAMES = frozenset(
    """
agnes alice alicia allison alma amanda amber amy ana andrea angela anita ann anna anne annette annie
april arlene ashley audrey barbara beatrice becky bernice bertha bessie beth betty beverly bonnie
brenda brittany carla carmen carol carole caroline carolyn carrie cassandra catherine cathy charlene
charlotte cheryl christina christine christy cindy claire clara claudia colleen connie constance
courtney crystal cynthia daisy danielle darlene dawn deanna debbie deborah debra delores denise
diana diane dianne dolores donna dora doris dorothy edith edna eileen elaine eleanor elizabeth ella
ellen elsie emily emma erica erika esther ethel eva evelyn felicia florence frances geraldine
gertrude gina gladys glenda gloria grace gwendolyn hazel heather heidi helen hilda holly ida irene
irma jacqueline jane janet janice jeanette jeanne jennifer jenny jessica jill joan joann joanne
josephine joy joyce juanita judith judy julia julie june karen katherine kathleen kathryn kathy katie
katrina kimberly kristen kristin kristina laura lauren laurie leah lena lillian lillie linda lisa
lois loretta lori lorraine louise lucille lucy lydia mabel mae margaret margie maria marian marie
marilyn marjorie marlene marsha martha mary maureen maxine megan melanie melinda melissa michelle
mildred minnie miriam monica myrtle nancy naomi natalie nellie nicole nina nora norma olga pamela
patricia patsy paula pauline pearl peggy penny phyllis priscilla rachel ramona rebecca regina renee
rhonda rita roberta rosa rose rosemary ruby ruth sally samantha sandra sara sarah sharon sheila
shirley sonia stacey stacy stella stephanie susan suzanne sylvia tamara tammy tanya tara teresa
theresa thelma tiffany tina tonya valerie vanessa velma vera veronica vicki vickie victoria viola
violet virginia vivian wanda wendy wilma yolanda yvonne
""".split()
)
# fmt: on


# Names of countries, US states, Canadian provinces and big cities: places whatever the tagger
# calls them (person_evidence), and no given names (bench/build_world_names.py). Lower case.
PLACE_NAMES = frozenset(
    """
    alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii idaho
    illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi
    missouri montana nebraska nevada hampshire jersey mexico york carolina dakota ohio oklahoma oregon
    pennsylvania rhode tennessee texas utah vermont virginia washington wisconsin wyoming afghanistan albania
    algeria andorra angola argentina armenia australia austria azerbaijan bahamas bahrain bangladesh barbados
    belarus belgium belize benin bhutan bolivia bosnia botswana brazil brunei bulgaria burundi cambodia cameroon
    canada chad chile china colombia congo croatia cuba cyprus czechia denmark djibouti dominica ecuador egypt
    eritrea estonia ethiopia fiji finland france gabon gambia germany ghana greece grenada guatemala guinea
    guyana haiti honduras hungary iceland india indonesia iran iraq ireland israel italy jamaica japan jordan
    kazakhstan kenya kiribati korea kosovo kuwait laos latvia lebanon lesotho liberia libya liechtenstein
    lithuania luxembourg madagascar malawi malaysia maldives mali malta mauritania mauritius moldova monaco
    mongolia montenegro morocco mozambique myanmar namibia nauru nepal netherlands nicaragua niger nigeria
    norway oman pakistan palau palestine panama paraguay peru philippines poland portugal qatar romania russia
    rwanda samoa senegal serbia seychelles singapore slovakia slovenia somalia spain sudan suriname sweden
    switzerland syria taiwan tajikistan tanzania thailand togo tonga tunisia turkey turkmenistan tuvalu uganda
    ukraine uruguay uzbekistan vanuatu venezuela vietnam yemen zambia zimbabwe europe africa asia america london
    paris berlin rome madrid moscow beijing tokyo sydney toronto vancouver montreal ottawa quebec ontario
    alberta manitoba
    """.split()
) | {
    "new york", "new jersey", "new mexico", "new hampshire", "north carolina", "south carolina", "north dakota",
    "south dakota", "rhode island", "west virginia", "new zealand", "south africa", "south korea", "north korea",
    "united states", "united kingdom", "hong kong", "saudi arabia", "sri lanka", "costa rica", "el salvador",
}  # fmt: skip
