"""Introductions: the user's name however they give it ("Sam here", "it's Sam", a signature), and never
a name given to the assistant or someone else."""

from __future__ import annotations

import re

from memchat.memory import patterns as rx
from memchat.memory.language import is_word, lemma, near, roots
from memchat.memory.memories import Proposal, Subject
from memchat.memory.occupations import OCCUPATIONS
from memchat.memory.phrasings.home import KNOWN_PLACES, PEOPLES_NAMES
from memchat.memory.phrasings.words import CAP, DIETS, NOT_NAMES, PLACE
from memchat.memory.statements import OTHERS, RELATIONS, framed, own_words

# A name is never the pronoun that starts a clause ("I'm Lucia btw" names Lucia, not "I'm Lucia").
# (a title before it is part of it: "Please address me as Dr. Okafor", "I'm Dr Ama Mensah")
_TITLE = r"(?:Dr|Mr|Mrs|Ms|Mx|Miss|Prof|Rev|Revd)\.?"
# (a title alone is no name, though its full stop looks like a sentence's end: "I am Dr. Lim Boon Keat" is not "Dr";
# and a name may run to three words: "Lim Boon Keat")
_NAME = (rf"(?P<name>(?:{_TITLE} (?={CAP}))?(?!{_TITLE}(?:\s|$))(?!(?:I|I'm|Im|I've|I'd|I'll)\b)(?![\w'-]*\d){CAP}"
         rf"(?: (?!(?:I|I'm|Im)\b){CAP}){{0,2}})")
# What hands the assistant a fact to keep, or the context of a question, before the user says who they are: "If
# you're going to remember anything, remember I'm Hamish", "For context I'm Chidi, he's asking where the report is".
_HANDED = (r"(?i:(?:please |pls |just |and |but |oh and )?(?:remember|note|keep in mind|bear in mind|don't forget|"
           r"do not forget)(?: that)?|for context|for reference|for the record|for info|fyi|just so you know|jsyk|"
           r"so you know|heads up)")
# (and asked of the assistant as a favour: "I would be grateful if you'd remember that I am Rhiannon")
_HANDED_AT = (r"(?:^|[:,;]\s*|\b(?i:and|but|so|if you'd|if you would|if you could|if you'll|if you will|would you|"
              r"could you|can you|will you)\s+)")
_HANDED_BEFORE = re.compile(rf"{_HANDED_AT}{_HANDED},?\s+(?=(?i:i'm|im|i am) $)")
# The greetings a message opens with, one list for the capitalised and the lower-case patterns ("yo sam here").
_GREETINGS = (r"hi+|hey+|hello+|hiya|heya|howdy|yo|"
              # and the greetings of other languages that open English messages: "Salam, Bilal here."
              r"(?:as-?)?sala+m(?: (?:alaikum|alaykum|aleikum))?|namaste|hola|ol[aá]|ciao|bonjour|salut|hallo|hej|hei|"
              r"greetings|sup|wassup|"
              # and the greetings of English elsewhere: "g'day, Jarrah here", "oi! ana clara aqui"
              r"g'?day|oi+|good (?:morning|afternoon|evening)|kia ora|howzit|sawubona|jambo|habari|mabuhay")
_GREETING = rf"(?i:{_GREETINGS}|good (?:morning|afternoon|evening)|morning|evening)"
# A greeting that may open a message before what it says: "Hi, Sam here", "Hola! Soy Sofía".
_OPENING_GREETING = rf"^(?:{_GREETING}[,!]?\s+)?"
# The marks on a letter that a name is spelt with: "Björn with the umlaut", "José w/ an accent".
_MARKS = r"(?:umlaut|accent|acute|grave|tilde|cedilla|dots|dot|hyphen|apostrophe|circumflex)"
# What the writer's name is followed by when they say it is them on the line: "Sam here", "Aoife checking in again".
# (never "here we come": "Leeds here we come" greets a place; nor "here" before a verb: "So, Sam here is my brother")
# (and "here" as other languages say it: "Lukas hier", "bruno aqui")
_ON_THE_LINE = (r"(?:hier|aqui|aqu\u00ed|ici)\b|"
                r"here(?!\s+(?:we|i|you|they)\s+(?:come|go|are)\b|\s+(?:is|was|has|had|says|said|thinks|wants|needs|"
                r"will|would|can|could)\b)|speaking|again|writing|typing|checking in|reporting (?:back|in)")
# "That's me" said of the user, not "that's me told" or "that's me done for the day" (said to someone named).
_THATS_ME = (r"(?:that's|that is|thats) me(?! (?:told|done|off|sorted|finished|out|gone|away|up|set|ready|going|"
             r"for|in for)\b)")
# The pronouns a name goes by, in brackets after it: "Yuki (she/her)".
_PRONOUNS = r"\((?i:she/her|he/him|they/them|she/they|he/they)\)"
_NAMING = (r"my name is|my name's|my names|the name is|my (?:nmae|naem|nam|nme|anme) is|"
           # (a bare "name's" is the user's, never another's: "Got a new dog, her name's Luna")
           r"(?<!\bher )(?<!\bhis )(?<!\bits )(?<!\btheir )(?<!\byour )(?<!\bour )(?<!'s )name's|the name's|"
           r"my name is actually|"
           # (whichever of the user's names it is: "My given name is Beulah", "my actual name is Tomasz", "My surname
           # is Otieno"; never a middle or a maiden name, which no one calls them by)
           r"my (?:first|full|given|christian|real|actual|proper|legal|birth|last|family|sur) ?name is|my surname is|"
           r"i'm called|i am called|call me|i go by|go by|"
           # (whoever calls the user so: "my mates call me Thandi", "the whole family calls me Bea")
           r"(?:everyone|everybody|most people|people|they|folks|(?:my |the |all my |the whole )?(?:friends|mates|pals|"
           r"family|fam|homies|lads|girls|team|class|colleagues|coworkers|co-workers))(?: all| just| usually)? "
           r"(?:call|calls) me|"
           r"known as|(?:know|knows|knew) me as|you can call me|"
           # the name the user was given at their christening, which they still go by: "I was christened Dafydd"
           r"i was (?:christened|baptised|baptized)|"
           # the user put down by name, asked of the assistant: "You may put me down as Njeri Kamau", "book me in under
           # Ade" (never by someone else: "The teacher put me down as Absent")
           r"(?:(?<![\w ])|(?<=\byou can )|(?<=\byou may )|(?<=\bu can )|(?<=\bplease )|(?<=\bpls )|(?<=\bjust ))"
           r"(?:put|list|book|sign|enter|register) me (?:down |in |up )?(?:as|under)|"
           # who named the user, and a name on a document of theirs: "my parents named me Priya"
           r"(?:named|christened|called) me|the name on my (?:passport|licence|license|card|id|account|booking|"
           r"ticket|birth certificate)(?: is|'s)?|"
           r"(?:address|refer to) me as|name here is|name here's|i (?:answer|respond) to|i'm known as|i am known as|"
           # the name put down for the user: "you can put my name down as Farid", "book it under my name, Ade"
           r"my name (?:down |up )?as|under my name,?|"
           # and as other languages name the user, in an English message: "me chamo Rafael, sorry my english..."
           r"me chamo|meu (?:nome|name) (?:\u00e9|e)|me llamo|mi nombre es|je m'appelle|mi chiamo|"
           r"ich hei(?:\u00df|ss)e|"
           r"mera (?:naam|nam)|nazywam si\u0119|sou (?:o|a)")
# the name the user signs their own texts with: "I've signed it Siobhan", "I always sign my emails Bronwyn", "I've
# started signing emails "Fatima (the tall one)"" (never another's: "My brother signs his emails Reggie"; nor a
# sign-off's word: "I signed it Best"; nor whom one signs up: "I signed Marcus, Ben and Jo up")
_SIGNED = re.compile(rf"\b(?i:i|i've|i have|i'll|ive)(?: (?i:always|usually|normally|just|already|now|still|then|have|"
                     rf"been|started|start|taken to|tend to|like to))* (?i:sign|signed|signing)(?: (?i:off))?"
                     rf"(?: (?i:it|them|this|that|everything|(?:(?:the|my|all my|our|work|all) )?(?:emails?|mails?|"
                     rf"letters?|cards?|messages?|notes?|texts?|cover letters?|posts?))(?: (?i:off))?"
                     rf"(?: (?i:as|with))?| (?i:as|with)) [\"\u201c]?"
                     rf"(?!(?i:best|regards|kind|warm|warmest|cheers|thanks|thank|love|yours|"
                     rf"sincerely|all|many)\b){_NAME}"
                     rf"(?=[\"\u201d]?\s*(?:[.!,;:()]|$|\s(?i:but|so|because|since|cause|cos|now|these days|at work|"
                     rf"x+)\b|(?<=\s)and (?![A-Z])))")
_BARE_NAME_IS = re.compile(rf"(?:^|,\s*)(?i:name is|name's|name =) {_NAME}(?=\s*(?:[,.!;:)]|$)|\s(?i:and|but|btw|i|"
                           rf"i'm|im)\b)")
# What "name is" with "my" dropped follows, when it is the user's: a request of theirs and no one else named: "pls write
# my linkedin summary, name is Tomasz" (never "my cat, name is Miso", "help my brother, name is Tom", "new app, name
# is Nova").
_BARE_NAME_IS_AFTER = re.compile(r"^(?!.*\b(?:" + "|".join(sorted(OTHERS | RELATIONS)) + r"|startup|company|"
                                 r"business|shop|app|brand|band|project|channel|podcast|book|blog|website|site|game|boat|car|"
                                 r"restaurant|cafe|café|bakery|salon|store|product|club|character|hero|pet|baby)s?\b)"
                                 r"(?:.*\b(?:pls|plz|please|help|write|fix|make|draft|need|can you|could you)\b.*|\s*)"
                                 r",\s*(?:name is|name's|name =)\s*$", re.I)
# "I am" as other languages say it, opening an English message: "Hola! Soy Sofía", "Jestem Kasia, help with...",
# "Ich bin Lukas." (a name the language does not know: "soy milk" is a drink)
_ABROAD_I_AM = r"(?:soy|jestem|ich bin|je suis|sono|eu sou|mai|main)"
_ABROAD_INTRO = re.compile(rf"{_OPENING_GREETING}(?i:{_ABROAD_I_AM}) (?!\S*'s\b){_NAME}"
                           rf"(?=\s*(?:[,.!;:)]|$|[^\w\s])| (?i:hoon|hu|and|from|aqui|here)\b)")
# Introducing oneself, however the wish to is put: "Let me introduce myself: Pavel", "I want to introduce myself: Ola".
_INTRODUCED = re.compile(rf"^(?i:let me |allow me to |i |i want to |i would like to |i'd like to )?(?i:introduce|"
                         rf"introducing) myself\b[^:\n]{{0,30}}:\s*{_NAME}(?=\s*[.!,]|$)")
# A text of the user's asked to be signed from a bare name, with "me" dropped: "sign it from Anneke please, the letter
# to the landlord" (never with a title, someone else's or a list: "sign it from Mr Jones", "from Grandma", "from Tom
# and Jess", "from Karen, my boss")
_SIGNED_FROM = re.compile(rf"^(?:(?i:pls|please|and|ok|also|just) )*(?i:sign|signing) (?i:it|this|that|them|the "
                          rf"(?:letter|email|mail|card|message|note|text))(?: (?i:off))? (?i:from) "
                          rf"(?!{_TITLE} |(?i:santa|father christmas|the|us|all)\b){_NAME}(?!,? (?i:and|my|our|his|her|"
                          rf"the|who)\b)(?=\s*(?:[.!,;:)]|$|\s+(?i:pls|please|thanks|x+)\b))")
# Who is on the line said as German and Polish speakers say it ("hier ist", "tu jest"): "here is Marta from Kraków, I
# need help with my CV" (a name the language does not know: "Here is Chapter One.", "here is Part 2")
_HERE_IS = re.compile(rf"{_OPENING_GREETING}(?i:here is|heres|here's|hier ist) (?!\S*'s\b){_NAME}"
                      rf"(?=\s*(?:[,.!;:]|$)|\s(?i:from|aus|again|speaking|writing|and)\b)")
# "I am" with its "I" dropped, as it is typed fast: "Hi, am Ahmed, a student from Egypt" (a name the language does
# not know, or one said with where or what the user is from: "Am Sure." is no name)
_AM = re.compile(rf"{_OPENING_GREETING}(?i:am) (?!\S*'s\b){_NAME}(?=\s*(?:[,.!;:]|$)|\s(?i:from|and|here|btw)\b)")
_NAME_PATTERNS = (
    re.compile(rf"\b(?i:{_NAMING}) {_NAME}"),
    re.compile(rf"^{_NAME}(?: (?i:is my name|is my (?:first|given|christian|last|family|sur) ?name|is the name|"
               rf"naam hai mera|mera naam hai|hai mera naam)"
               rf"|'s (?i:the name|my name))\b"),  # (and in Hindi: "Arjun naam hai mera")
    # "name is" without "my" after "but" ("my friends call me zosia but real name is Zofia")
    re.compile(rf"(?:^|,\s*|\b(?i:but|and)\s+)(?i:(?:real|full|first|actual|proper) name is) {_NAME}"),
    # and with "my" dropped, after the request or at the start: "pls fix my CV, name is Tomasz and..." (never after
    # someone else: "my cat, name is Miso", read in `names`)
    _BARE_NAME_IS,
    _ABROAD_INTRO,
    _HERE_IS,
    _AM,
    # a name as others call the user, said as a habit of theirs or of people the user is among: "my mum is the only
    # one who still calls me Gemma Louise", "everyone at work calls me Dev" (a name, never a word of fondness:
    # "Grandad calls me Trouble"; nor a word of the moment: "he calls me Lazy")
    re.compile(rf"\b(?i:everyone|everybody|people|friends|folks|they|colleagues|team|family|still|only)\b"
               rf"[^,.;:!?]{{0,30}}?\b(?i:calls|call) me {_NAME}"),
    # a signature asked for in the user's own name: "sign it from me Chidi", "sign it off from me, Ada"
    re.compile(rf"\b(?i:sign|signed|signing)\b(?:(?! (?i:for|to)\b)[^.;:!?,]){{0,25}}?\b(?i:from me),? {_NAME}"
               rf"(?!,? (?i:and)\b)(?=\s*(?:[.!,;:)]|$|\s+(?i:pls|please|thanks|x+)\b))"),
    _SIGNED_FROM,
    _SIGNED,
    # a profile's name and adult age, then what the user is: "Ingrid, 52, freshly divorced and cooking for one" (not
    # what someone else does or is, nor a place's weather: "Tom, 45, works in sales", "Sarah, 30, my flatmate",
    # "Paris, 25, sunny")
    re.compile(rf"^{_NAME}, (?:1[6-9]|[2-9]\d), (?=[a-z])(?![a-z]+s\b)(?!(?:my|our|his|her|their)\b)"
               rf"(?!(?:[a-z]+ ){{0,3}}?(?:degrees|sunny|warm|hot|"
               rf"cold|humid|rainy|windy|cloudy|freezing|chilly|mild|muggy)\b)"),
    # the name said as what to call the user instead of a title: "u can just say Rosalie, not maam"
    re.compile(rf"\b(?i:say|use|go with|stick with|stick to)(?: (?i:just|only))? (?!{_GREETING}\b){_NAME},? "
               rf"(?i:not|instead of|rather than) (?i:sir|ma'?am|madam|madame|miss|mister|mr|mrs|ms|boss|dear)\b"),
    # the user put down by name in a request, then "that's me": "put Marisol as the host on the invite, that's me"
    re.compile(rf"\b(?i:put|list|add|write|sign|book|make|mark)\b[^,.!?]{{0,20}}? {_NAME}(?: [a-z][\w'-]*){{1,6}},? "
               rf"\(?(?i:{_THATS_ME})\b"),
    # a name with an apology for it: "Agnieszka - sorry long name haha - can you..."
    re.compile(rf"^{_NAME}\s*[-\u2013\u2014,(:]\s*(?i:sorry|yes|yeah|i know|ik|lol|haha)[,!]?\s+"
               rf"(?:(?i:a|such a|bit of a)\s+)?"
               rf"(?i:(?:long|hard|weird|difficult|tricky|funny|unusual|big) name|mouthful)\b(?! (?i:for)\b)"),
    re.compile(rf"^(?:{_GREETING}(?i: there| all| everyone)?[,!]?\s+)?{_NAME}"
               rf"(?: {_PRONOUNS})?(?: (?i:from) {PLACE})?,? (?i:{_ON_THE_LINE})\b"),
    # a name with the pronouns it goes by, and a profile's name, adult age and place: "Yuki (she/her), first time
    # here", "Mateo, 29, Cape Town." (a child's age is someone else's: "Ben, 7, wants a trampoline")
    re.compile(rf"^{_NAME} {_PRONOUNS}"),
    re.compile(rf"^{_NAME}, (?:1[6-9]|[2-9]\d), (?:[a-z]+ (?:from|in) )?{PLACE}(?=\s*[.!,]|$)"),  # "nurse from Accra"
    # what to call the user, said as what will do: "Just Omar is fine, nobody uses my full name"
    re.compile(rf"^(?i:just) {_NAME},? (?i:is fine|is good|will do|works)\b(?=.*\b(?i:name|call|calls|called)\b)"),
    re.compile(rf"^(?:{_GREETING}(?i: there| all| everyone)?[,!]?\s+)?(?i:it's|its|it is) (?i:only |just )?(?i:me),? "
               rf"{_NAME}\b"),
    # a name with the long one it is short for: "Lou (short for Louise) here", "Lou, short for Louise."
    # (never an acronym nor a day: "NHS, short for National Health Service", "Mon, short for Monday")
    re.compile(rf"{_OPENING_GREETING}(?=[A-Z][a-z])(?!(?i:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\b)"
               rf"{_NAME},? \(?(?i:short for) (?P<long>{CAP})(?=\s*(?:[),.!;]|$| here\b))"),
    # an introduction announced, then the name: "Introducing myself properly this time: Aoife."
    _INTRODUCED,
    # an aside that says who writes: "Me again (Omar).", "Sam Okafor (that's me) needs...", "Quick one from Yuki:"
    re.compile(rf"^(?i:me|me again|it's me|it's me again|its me|hi,? me),? \({_NAME}\)"),
    re.compile(rf"^{_NAME} \((?i:that's me|that is me|thats me|me)\)"),
    # the name said as who the user is: "Zanele is me, the one who asked about braai" (never "Tom is me and my
    # brother", "Leeds is me all over")
    re.compile(rf"^{_NAME} (?i:is me)(?=\s*(?:[,.!;:\u2013\u2014-]|$))"),
    # (a greeting from somewhere is from a place: "Hello from Lisbon!")
    re.compile(rf"^(?i:(?:a )?(?:quick )?(?:one|question|q|note|message) from) {_NAME}(?=\s*[:,!.-]|$)"),
    # who the assistant is talking to: "You're talking to Priya by the way."
    re.compile(rf"^(?i:you're|you are|youre) (?i:talking|chatting|speaking) (?i:to|with) {_NAME}"
               rf"(?=\s*(?:[,.!;]|$|(?i:by the way|btw|now|today)\b))"),
    # a name, then the greeting of a first meeting or "that's me": "Priya Novak, pleased to meet you"
    re.compile(rf"^{_NAME},? (?i:(?:pleased|nice|good|great|lovely|glad) to (?:e-?)?meet you|{_THATS_ME})\b"),
    re.compile(rf"\b(?i:as|from) {_NAME},?(?: (?i:please|pls))? \(?(?i:{_THATS_ME})\b"),
    # the name given with how it is spelt or said: "it's Rhys with an h after the r", "It's Niamh, pronounced Neeve"
    # (or as it is typed fast, and with the mark on a letter: "Hannah (w/ an h at the end)", "its Zoë w/ the dots")
    re.compile(rf"{_OPENING_GREETING}(?:(?i:it's|its|it is|i'm|im|i am) )?{_NAME},? \(?"
               rf"(?=(?i:(?:with|w/|without|w/o) (?:an? |one |two |a double |double |a silent |no |the )"
               rf"(?:[a-z]|{_MARKS})\b|spelt|spelled|pronounced)\b)"),
    # "my name" said before the name it is: "please use my name Yuki", "Spell my name, Siobhan, right"
    # (and with "is" dropped, as learners of English say it: "my name Ahmed and I need help with a form")
    re.compile(rf"\b(?i:my (?:first |full |real )?name)[,:]? (?!(?i:tag|badge|day|card|plate|change|sake)\b){_NAME}"
               rf"(?=\s*(?:[,.!;:)]|$)|\s(?i:and|but|from|here|btw|i|i'm|im|i am)\b)"),  # "with my name: Felipe"
    re.compile(rf"^(?i:name): {_NAME}\b"),
    re.compile(rf"^{_NAME},? (?i:by the way|btw)\b"),
    # (after thanks to a mate: "cheers mate, Callum by the way")
    re.compile(rf"^(?i:cheers|thanks|ta) (?i:mate|man|pal|all|guys),? {_NAME},? (?i:by the way|btw)\b"),
    re.compile(rf"^(?i:quick intro|intro|about me|a bit about me|introductions?|me|new here|first time here)"
               rf"\s*[:=\u2013\u2014-]\s*{_NAME}"
               rf"(?=\s*(?:[,.;!]|$|\s-\s))"),
    # "Signed, a very tired Ana"
    re.compile(rf"^(?i:signed|sincerely),? (?:(?i:a|an|one|your) (?:\w+ ){{0,3}})?{_NAME}\s*[.!]?$"),
    # (and the closings of a formal letter, a middle initial after the name: "Yours faithfully, Rev. Gwilym Pryce",
    # "Respectfully, Winston A. Clarke")
    re.compile(rf"^(?i:yours truly|yours sincerely|yours faithfully|yours respectfully|respectfully|sincerely yours|"
               rf"yours|kind regards|warm regards|best regards|with (?:kind |best )?regards|with thanks|"
               rf"with gratitude|gratefully|many thanks|best wishes|regards|love|warmly|best|"
               rf"all the best|take care|speak soon|god bless|blessings),?\s+{_NAME}(?: [A-Z]\.(?: {CAP})?)?"
               rf"\s*[.!]?$"),  # "Yours truly, Ingrid."
    re.compile(rf"^(?i:myself)[:,]?\s+{_NAME}(?=\s*(?:[,.;!]|$|\s(?i:from|here|and)\b))"),  # "Myself Mateo, from Pune"
    re.compile(rf"^(?:{_GREETING}[,!]?\s+)*(?i:it's|its|it is|this is) {_NAME}"
               rf"(?:[.!,]|\s+(?i:again|here|speaking|writing|from|btw|by the way)\b|$)"),
    re.compile(rf"^{_NAME} (?i:is what) (?i:everyone|everybody|people|they|my friends|most people|folks) "
               rf"(?i:call|calls) me\b"),
    # (and after a dash, which parts a clause as a comma does: "sorry, should have said at the start - I'm Fiona")
    re.compile(rf"(?:^|[:,]\s*|\s[-\u2013\u2014]\s+|{_GREETING}[,!]?\s+|(?i:myself)[:,]?\s+|{_HANDED_AT}{_HANDED}[,:]?\s+|"
               rf"^(?:(?i:so|well|ok|okay|anyway|right|and|oh|btw|also|yeah|yes|first|firstly|first off|ps)[,:]?\s+)+)"
               rf"(?i:i'm|i am|im) {_NAME}"
               rf"(?=\s*(?:[.!,;:()\u2013\u2014]|\s-\s|$|"
               rf"\b(?:and|here|by the way|btw|nice|from|but|again|too|also|aged|who)\b|"
               rf"\s(?i:x+|xo+)\s*$))"),  # (and a kiss: "Hi I'm Jo x")
)
# The patterns whose words say the name is the user's, so a request before it is still theirs: "write a card for my
# oga, sign it from me Chidi", "list Genevieve as the organiser, that's me" (never in a story: _FICTION).
_OWNED = frozenset(pattern for pattern in _NAME_PATTERNS if "from me" in pattern.pattern
                   or pattern.pattern.endswith("\\(?(?i:" + _THATS_ME + ")\\b")) | {
    _BARE_NAME_IS, _INTRODUCED, _SIGNED_FROM}
_NEGATED_BEFORE = re.compile(r"\b(?:not|never|don't|dont|do not|no longer|n't|nobody|no one|no-one|noone)\b[^,.;:]*$",
                             re.I)  # (and no one calls them it: "I go by Lena, nobody has called me Magdalena")
# A name the user was called once is no name they give: "My teacher used to call me Sam".
_PAST_BEFORE = re.compile(r"\b(?:used to|use to|back then|as a (?:kid|child)|at school)\b[^,.;:]*$", re.I)
# ...nor one the words after it set in the past: "Mum called me Maggie when I was little", "...as a kid".
_PAST_AFTER = re.compile(r"^[^,.;:]{0,30}?\b(?:when (?:i|we) (?:was|were)|as (?:a|kids|children)\b(?: \w+)? "
                         r"(?:kid|child|baby|girl|boy|teen|teenager)|growing up|back then|back in the day|at school|"
                         r"in school|years ago|once upon)\b", re.I)
# A feast or a season is no name, nor the word of agreeing: "It's Eid btw", "It's Ramadan.", "Same here."
# A relative, a title or a pronoun is none either ("Sorry, Mum here", "Could you call me Sir?", "That's my name"), nor
# a conjunction that opens a sentence ("Since that's my name...").
_NOT_A_NAME = NOT_NAMES | OTHERS | OCCUPATIONS | RELATIONS | frozenset(
    "same ramadan eid diwali hanukkah hanukah chanukah passover thanksgiving lent advent holi navratri vesak pentecost "
    "hogmanay sir madam maam ma'am boss chief captain king queen prince princess master lord lady dude bro champ "
    "that this what which who whoever there since because as cause cos coz and but "
    # and the colour of a heritage: "Just so you know I'm Black British"; and a star sign: "For context I'm Scorpio"
    "black white brown mixed aries taurus gemini virgo libra scorpio sagittarius capricorn aquarius pisces "
    # and a word of fondness someone calls the user: "Grandad calls me Trouble"
    "love darling babe baby honey hun hon sweetie sweetheart sunshine trouble kiddo buddy pal dear petal chicken duck "
    "mate superstar sleepyhead gorgeous beautiful handsome cutie munchkin pumpkin "
    # and what a child calls a parent: "My daughter calls me Mama"
    "mama mamma mummy mommy mom momma papa pa daddy dada nana nan nanna granny gran grandma grandpa".split())
# A discourse word a message opens with, before an introduction that opens it: "oh it's Dave btw", "yeah Kwame, that's
# me", "sorry, Beatriz here".
_OPENING = re.compile(r"^(?:(?:"
                      # (and an apology for how the message is typed, read first: "sorry for the typos, Ingrid here")
                      r"(?:sorry|apologies|excuse me) (?:for|about) (?:the |my |all the |any )?(?:typos?|spelling|"
                      r"english|grammar|mistakes?|long message|late reply|bad english|caps)|"
                      r"ah+|oh|ooh|yeah|yes|yep|ya|ok|okay|so|well|anyway|sorry|oops|um+|erm+|uh+|and|also|btw|"
                      r"right|lol|haha+|hehe+|lmao|"
                      # and a title the writer greets the assistant with: "sir this is ramesh speaking"
                      r"sir|ma'?am|madam|boss|"
                      # and a friend's word for whoever is addressed: "bro its haziq here", "ok guys, Sam here"
                      r"bro|bruh|bruv|dude|fam|mate|guys|girl|bestie)[,!]?\s+)+", re.I)
# The label of a reply to the assistant's question, no request of its own: "Answer to your question: yes my name is
# Olumide" (what it answers is the user's only when it says so: "Answer to your question: it's Lisbon" is no name).
_REPLIED = re.compile(r"^(?:(?:in )?answer(?:ing)? to|re|replying to) (?:your|the) (?:question|q)(?: you asked)?"
                      r"\s*[:,\u2013\u2014-]\s*", re.I)
# Who is on the line in Indian English, said of a name the language does not know: "Arjun this side, please suggest..."
_THIS_SIDE = re.compile(rf"{_OPENING_GREETING}{_NAME},? (?i:this side)\b")
# A request to call the user by a name is an introduction, asked as a question too: "Can you call me Sophie from now
# on?" (never a name in a story or a game: "Can you call me Captain in the game?")
# (and as a wish: "I'd rather you call me Lou", "I'd like to be called Lou", "I prefer to be called Lou")
_ASKED_TO_CALL = (r"^(?i:(?:(?:can|could|would|will) you|would you mind|"
                  r"(?:i'd|id|i would|i) (?:much )?(?:rather|prefer|like|love)(?: it)?(?: if)?(?: you)?(?: to)?)"
                  r"(?: please| pls| just| kindly)* "
                  r"(?:(?:call|calling|called|address|addressing|refer to|referring to) me(?: as)?|"
                  r"(?:be|being) called))")
_CALL_ME = re.compile(rf"{_ASKED_TO_CALL} {_NAME}")
# Who writes, as the one from a chat before, in a message that greets or of a word the language does not know: "Hi!
# Mateo from the other day, hope you're well." ("Leftovers from last night, still ok?" is food)
_FROM_BEFORE = re.compile(rf"{_OPENING_GREETING}{_NAME},? (?i:again )?"
                          r"(?i:from (?:the other day|yesterday|last (?:time|week|night|month)|earlier|before|"
                          r"this morning))(?: (?i:again))?(?=\s*(?:[,.!;]|$))")
_GREETED = re.compile(rf"^\s*{_GREETING}\b")
_FICTION = re.compile(r"\b(?:story|game|role[- ]?play|character|pretend|scene|poem|song|script|novel|rap|skit)\b",
                      re.I)
# The message says it answers what the user is to be called: "Mei. just Mei. you asked what to call me".
_ASKED_NAME = re.compile(r"\byou (?:asked|asked me|wanted to know|were asking|wanted)(?: (?:for|about))? "
                         r"(?:what to call me|what i'm called|what i am called|what (?:my|me) name is|my name|who i am|"
                         r"who this is|who you're talking to|who you are talking to)\b", re.I)
_ANSWER = re.compile(rf"^(?i:just |only |it's |its |it is )?{_NAME}\s*(?:[.!]|$)")
# A name the message says is the user's, after it, wherever it stands (in quotes too): "it should start with "Aisha"
# since thats my name" (not a name of theirs for something: "Luna, that's my name for her")
_THATS_MY_NAME = re.compile(rf"{_NAME}[\"'\u201d\u2019]?[^\w\n]{{0,6}}(?:(?i:since|as|because|cause|cos|coz|bc) )?"
                            r"(?i:that's|thats|that is|it's|its) my (?:first |real |full )?name\b(?! for\b)")
_LOWER_NAME = re.compile(r"(?:(?:^|[:,]\s*)(?:(?:" + _GREETINGS + r"|(?P<plain>ok|okay|so|ok so|okay so|"
                         r"well|right|anyway))[,!]?\s+)(?:i'm|i am|im)|"
                         r"\b(?:" + _NAMING + r"))"
                         # (what follows the name: an end, or a word that starts something else: "everyone knows me as
                         # rahul but my passport says...", "call me kenji not mr tanaka")
                         r" (?P<name>[a-z][\w'-]+)(?=\s*(?:[.!,]|$|\b(?:and|btw|here|again|lol|by the way|but|not|pls|"
                         r"please|instead|so)\b))"
                         r"|^(?:(?:" + _GREETINGS + r")[,!]?\s+)(?P<here>[a-z][\w'-]+),? (?:" + _ON_THE_LINE + r")\b"
                         r"|^(?:me|name|myself)\s*[=:]\s*(?P<equals>[a-z][\w'-]+)(?=\s*(?:[,.!]|$))"
                         r"|^(?:(?:" + _GREETINGS + r")[,!]?\s+)?(?:it's|its|it is|this is)(?: me,?)? "
                         # (or the user as the assistant knows them: "its sam ur fave user lol")
                         r"(?P<again>[a-z][\w'-]+)(?:,?\s+(?:" + _ON_THE_LINE + r"|from|ur|your)\b|\s*[.!]|\s*$)"
                         # a name the language knows too, as the user back or with their age, or before "here" in
                         # another language: "wade here, back again with more questions", "kyle here, 34, dad of two",
                         # "paulo aqui"
                         r"|^(?:(?:" + _GREETINGS + r")[,!]?\s+)?(?P<back>[a-z][\w'-]+),? (?:(?:here|speaking),? "
                         r"(?:back again\b|(?:1[6-9]|[2-9]\d),)|(?:aqui|hier)\b)"
                         # a name as the message's first word, then "btw" or that the writer is on the line ("yuki
                         # typing, on my mums phone"), or after "names" for "name's" ("names priya by the way"): only a
                         # word the language does not know ("vegan btw" is a diet)
                         r"|^(?:names |name is )?(?P<unknown>[a-z][\w'-]+),? (?:btw\b|by the way\b|"
                         # (or by an aside in brackets or an emoji: "callum here (yes like the guy)", "aroha here 😊")
                         r"(?:here|speaking|typing|writing|hier|aqui)(?=\s*(?:[^\w\s]|$)))"
                         # and the capitalised patterns' shapes, of a word the language does not know: "sneha this
                         # side", "ifeoma is my name o", "this is kwame, how do i..."
                         r"|^(?:(?:" + _GREETINGS + r")[,!]?\s+)?(?P<side>[a-z][\w'-]+),? this side\b"
                         # the greeting of a first meeting after "i'm" and a word the language does not know: "i'm aiko
                         # nice to meet u", "im tunde, glad to meet you"
                         r"|^(?:(?:" + _GREETINGS + r")[,!]?\s+)?(?:i'm|im|i am) (?P<met>[a-z][\w'-]+),? (?:nice|glad|"
                         r"pleased|happy|good) to meet\b"
                         # the name with how it is spelt, typed fast: "its björn w/ the umlaut", "zoe with 2 dots"
                         r"|^(?:(?:" + _GREETINGS + r")[,!]?\s+)?(?:(?:it's|its|it is|i'm|im|i am) )?"
                         r"(?P<spelt>[a-z][\w'-]+),? \(?(?:(?:with|w/|without|w/o) "
                         r"(?:an? |one |two |2 |a double |double |a silent |no |the )(?:[a-z]|" + _MARKS + r")\b|"
                         # (or how it is said: "it's aoife, pronounced ee-fa")
                         r"(?:pronounced|spelt|spelled|said like|sounds like)\b)"
                         # the user from a chat before, or as the one who is: "nadia from earlier", "zanele is me"
                         r"|^(?:(?:" + _GREETINGS + r")[,!]?\s+)?(?P<earlier>[a-z][\w'-]+),? (?:again )?from "
                         r"(?:earlier|yesterday|the other day|last (?:time|week|night)|before|this morning)\b"
                         r"|^(?P<isme>[a-z][\w'-]+) is me\b(?! (?:and|too)\b)"
                         r"|^(?:(?:" + _GREETINGS + r")[,!]?\s+)?(?:here is|heres|here's) (?P<hereis>[a-z][\w'-]+)"
                         r"(?=\s*(?:[,.!]|$)|\s(?:from|again|speaking|writing)\b)"
                         r"|^(?:(?:" + _GREETINGS + r")[,!]?\s+)?" + _ABROAD_I_AM + r" (?P<iam>[a-z][\w'-]+)"
                         r"(?=\s*(?:[.!,]|$)| (?:hoon|hu)\b)"
                         r"|^(?P<named>[a-z][\w'-]+) is my name\b"
                         r"|^(?:(?:" + _GREETINGS + r")[,!]?\s+)?this is (?P<plainly>[a-z][\w'-]+),"
                         # two words before "here" as other languages say it: "oi! ana clara aqui"
                         r"|^(?:(?:" + _GREETINGS + r")[,!]?\s+)?(?P<abroad>[a-z][\w'-]+ [a-z][\w'-]+),? "
                         r"(?:aqui|hier)\b"
                         # who is on the line after a greeting, then what they want: "sup its rafi, quick q"
                         r"|^(?:" + _GREETINGS + r")[,!]?\s+(?:it's|its|it is|this is) (?P<greeted>[a-z][\w'-]+),"
                         r"(?!\s*not\b)"
                         # the name after the user says they introduce themselves: "forgot to intro myself lol, zanele,
                         # nice to meet u" (never whom to: "introduce myself to my neighbours")
                         r"|\b(?:intro|introduce|introduced|introducing) myself\b(?![^,:]*\bto\b)[^,:.!?]{0,20}[,:]\s*"
                         r"(?P<introduced>[a-z][\w'-]+)(?=\s*(?:[,.!]|$))"
                         # a name with the long one it is short for: "im jem (short for jemima...)"
                         r"|^(?:(?:" + _GREETINGS + r")[,!]?\s+)?(?:(?:i'm|im|i am|it's|its) )?"
                         r"(?P<short>[a-z][\w'-]+),? \(?short for (?P<long>[a-z][\w'-]+)"
                         # a text signed from the user by name: "sign it from me, siobhan xx"
                         r"|\b(?:sign|signed|signing)\b[^.;:!?,]{0,25}?\bfrom me,? (?P<fromme>[a-z][\w'-]+)"
                         r"(?=\s*(?:[.!,]|$)|\s+(?:pls|please|thanks|x+)\b)")
# A name alone as the message's first sentence, then said to be the user or said again alone: "marisol!! thats me lol",
# "Kwame. just Kwame. whats a good name for a barbershop" (a word the language does not know: "Pizza. just pizza.")
_NAME_ALONE = re.compile(rf"^\s*(?:{_GREETING}[,!]?\s+)?(?P<name>[A-Za-z\u00C0-\u024F][\w'\u00C0-\u024F-]+)\s*[.!]+\s*"
                         rf"(?:(?i:(?:yes|yeah|yep|yup|ya),? )?(?i:{_THATS_ME})\b|(?i:just|only) (?P=name)\s*[.!]|"
                         rf"(?i:it's|its|it is) me\b)")
# A profile's name and adult age typed in lower case, then what the user is after: "lucas, 24, looking for a gym
# routine" (never a list's or a price's: "eggs, 12, flour", "rice, 20, beans")
_LOWER_PROFILE = re.compile(r"^(?P<name>[a-z][\w'-]+), (?:1[6-9]|[2-9]\d), (?:(?:just |currently |still )?"
                            r"[a-z]+ing|from|new|single|married|student|uni student|m|f|male|female|mum|mom|dad|guy|"
                            r"girl|living|based)\b")
# What "it's" says of a place, not who is on the line: "its cold here", "it's late here".
_STATES = frozenset("cold hot warm late early dark quiet busy dead boiling freezing humid sunny rainy windy wet "
                    "snowing raining pouring chaos mad wild grim bleak grey gray".split())
# The words before "aqui" or "hier" that are no name: "tudo bem aqui", "ich bin hier", "estou aqui".
_ABROAD_WORDS = frozenset("tudo todo bem bien tá ta ich bin sind wir alles gut je suis estou estoy sono estamos "
                          "está esta eu yo moi io tô to".split())
# A name put right against a misspelling of it, in a message about how it is written: "keep the accent when you write
# my bio, it's Chloé not Chloe" (a place put right is no name: "it's Austria not Australia" is no slip of one letter).
_RESPELT = re.compile(rf"\b(?i:it's|its|it is) (?P<name>{CAP}),? (?i:not) (?P<other>{CAP})\b")
_ABOUT_SPELLING = re.compile(r"\b(?:name|spell|spelt|spelled|spelling|accent|accents|pronounce|pronounced)\b", re.I)
_LOWER_SIGNED = re.compile(r"^\s*(?:thanks|thank you|cheers|ta|many thanks|thx)\b[^\n]*\n\s*(?P<name>[a-z]{2,12})\s*$")
# (a sign-off may end in kisses: "Thank you so much!! Ingrid x")
# Thanks with a name and kisses after it on the same line: "thanks hun, aoife xx" (the kisses sign it off; "Cheers Sam,
# you're a star x" thanks someone).
_KISSED = re.compile(r"^\s*(?i:thanks|thank you|cheers|ta|many thanks|thx)\b[^\n.!?]*?,\s*(?P<name>[A-Za-z][a-z]{1,11})"
                     r"\s+(?i:x+|xo+)\s*$")
# A signature under a lower-case message, after a dash: "ok ill try that, thx\n- mateo".
_LOWER_DASHED = re.compile(r"\n\s*[-\u2013\u2014]+\s*(?P<name>[a-z]{3,12})\s*$")
_THANKS_SIGNED = re.compile(rf"^\s*(?i:thanks|thank you|cheers|ta|many thanks|thx)\b[^\n.!?]*[.!]+\s+"
                            rf"(?P<name>{CAP})(?:\s+(?i:x+|xo+))?\s*$")
# A phone's signature names its owner: "Sent from Kwame's iPhone".
_DEVICE_SIGNED = re.compile(rf"\n\s*(?i:sent from) (?P<name>{CAP})'s (?i:iphone|ipad|phone|galaxy|pixel|android|"
                            rf"mobile)\s*$")
_SIGN_OFFS = frozenset("bye goodbye thanks cheers later night x xx xxx xo again so love best regards lol ta "
                       "thx".split())
_SIGNATURE = re.compile(rf"\n\s*(?:[\u2013\u2014-]+\s*|(?i:cheers|thanks|best|regards|love|yours),?\s*\n?\s*)"
                        rf"(?P<name>{CAP}(?: {CAP})?)\s*$")


def names(message: str) -> list[Proposal]:
    text = own_words(message)
    found = []
    asked_who = False
    # (a title's full stop ends no sentence: "Please address me as Dr. Okafor")
    # (nor does a middle initial's: "Respectfully, Winston A. Clarke")
    for sentence in rx.findall(rf"(?:\b(?:Dr|Mr|Mrs|Ms|Mx|Prof|Rev|Revd)\.(?= {CAP})|(?<= [A-Z])\.(?= {CAP})|"
                               rf"[^.!?\n])+[.!?]*", text):
        body = sentence.strip()
        answer = rx.match(rf"{_NAME}(?=\s*(?:[,.!]|$| here\b| -| from\b))", body) if asked_who else None
        if answer and answer.group("name").split()[0].casefold() not in NOT_NAMES | OTHERS | OCCUPATIONS:
            found.append(Proposal(Subject.NAME, _name(answer.group("name"))))  # "Who am I? Ingrid, a nurse."
        # (and the riddle of who writes: "Guess who's back? Tomasz!")
        # (and "Remember me? Sam from last week.")
        asked_who = bool(rx.fullmatch(r"(?i:(?:so,? )?who am i\??|about me:?|me\?|"
                                      r"guess who(?:'s| is) (?:back|here)\??|(?:do you |d'you )?remember me\??)", body))
        if rx.match(_ASKED_TO_CALL, _OPENING.sub("", body)) and not _FICTION.search(body):
            body = body.rstrip("?")
        elif body.endswith("?"):  # "my name is Kwame, can you help me?": the question is the last clause
            cut = ",".join(rx.split(r"(?<=[,;:])", body)[:-1]).rstrip(",;: ")
            # (with no comma, the question starts at its word, typed fast: "Soy Sofía 🙂 can you explain me...")
            asked = rx.search(r"\s(?:(?:so|and|but|ok|pls|please)\s+)?(?:can|could|would|will|what|whats|what's|"
                              r"where|how|why|who|which|is|are|do|does|any)\b", body, re.I)
            opens = rx.match(r"\W*(?:can|could|would|will|what|whats|what's|where|how|why|who|which|is|are|do|does|"
                             r"did|am|was|were|should|shall|may|any)\b", body, re.I)
            body = cut or (body[:asked.start()].rstrip(" ,;:") if asked and not opens else "")
        if not body or rx.search(r"\b(?i:call you|name you|your name|you're called|you are called)\b",
                                          body):
            continue
        opened = _OPENING.sub("", body) or body  # the capitalised patterns read past "oh", "yeah", "sorry"
        this_side = _THIS_SIDE.match(opened)
        unknown = [this_side] if this_side and not is_word(this_side.group("name").split()[0]) else []
        before_now = _FROM_BEFORE.match(opened)
        first = before_now.group("name").split()[0].casefold() if before_now else ""
        if before_now and lemma(first) == first and (_GREETED.match(text) or not is_word(first)):  # "Leftovers from"
            unknown.append(before_now)
        matches = [match for pattern in (*_NAME_PATTERNS, _CALL_ME) for match in pattern.finditer(opened)]
        for match in [*unknown, *matches]:
            name = match.group("name")
            before = opened[:match.start("name")]
            if match.re is _BARE_NAME_IS and before.strip() and not _BARE_NAME_IS_AFTER.search(before):
                continue  # ("my cat, name is Miso": the name of what was named before it)
            bare = rx.sub(rf"^{_TITLE} ", "", name).split()[0].casefold()
            if match.re in (_ABROAD_INTRO, _HERE_IS, _AM) and is_word(bare) and not (
                    match.re is _AM and rx.match(r",? (?i:from|a|an) ", opened[match.end("name"):])):
                continue  # ("Soy Milk." is a drink, "Here is Chapter One." a heading)
            before = _REPLIED.sub("", before)
            handed = _HANDED_BEFORE.search(before)
            if handed and not _FICTION.search(body):  # (what hands the fact over frames none of it: "If you're going
                before = before[handed.end():]  # to remember anything, remember I'm Hamish")
            if _NEGATED_BEFORE.search(before) or _PAST_BEFORE.search(before) or _PAST_AFTER.match(
                    opened[match.end("name"):]) or (framed(before) and not rx.match(_ASKED_TO_CALL, before)
                                                    and (match.re not in _OWNED or _FICTION.search(body))):
                continue  # "Don't call me Bob", "Pretend my name is Bob", "Mum called me Bob as a kid"
            long = match.groupdict().get("long")  # (the name a short one is short for)
            if long and long.casefold() in _NOT_A_NAME:
                continue
            first = rx.sub(rf"^{_TITLE} ", "", name).split()[0].casefold()  # "Nurse here" is a job, "Vegan here" a diet
            not_a_name = _NOT_A_NAME  # "Everyone here is...": a pronoun, no name
            inflected = is_word(first) and lemma(first) != first and not first.endswith("s")  # "Been here"
            if match.re is _SIGNED and {*name.casefold().split()} & OCCUPATIONS:
                continue  # a role signed with is no name: "I signed it as Acting Manager"
            if first not in not_a_name and first not in DIETS and not rx.search(r"-[a-z]", name) and not inflected \
                    and not _adverb(first) and not _adjective(first):
                found.append(Proposal(Subject.NAME, _name(name)))
        # (past a title or "lol" the message opens with: "sir this is ramesh speaking")
        # (a lower-case writer's words in capitals are shouted, and keep them lower-case: "isabela with ONE L")
        low = rx.sub(r"\b[A-Z]{2,}\b|(?<![\w'])(?!I\b)[A-Z]\b(?!')", lambda shout: shout.group(0).lower(), body)
        lowered = _LOWER_NAME.search(low) or _LOWER_NAME.search(_OPENING.sub("", low))
        # (a lower-case writer's "I" capitalised by their keyboard: "hello this is connor speaking I'm using...")
        if lowered and rx.sub(r"\bI\b", "i", low) == low.lower():
            shape = next(group for group in ("name", "here", "again", "equals", "unknown", "side", "named", "plainly",
                                             "back", "abroad", "met", "spelt", "earlier", "isme", "iam", "hereis",
                                             "greeted", "introduced", "short", "fromme")
                         if lowered.group(group))
            # (only of a word the language does not know)
            strange = shape in ("unknown", "side", "named", "plainly", "met", "spelt", "earlier", "isme", "iam",
                                "hereis", "greeted", "introduced", "fromme")
            name = lowered.group(shape)
            if name not in body or (shape == "again" and name in _STATES):
                continue  # (a name shouted is no name typed; nor a state of the place: "its cold here")
            if shape == "short" and (is_word(lowered.group("long")) or lowered.group("long") in _NOT_A_NAME):
                continue  # (the long one a name the language does not know: "im ded (short for dead)" is no name)
            # after a mere "ok so im", a word of the language is a state ("ok so im hungry"), not a name
            plain = lowered.group("plain") and is_word(name)
            # (nor is an inflected word of the language: "its freezing here in ghent")
            inflected = is_word(name) and ((lemma(name) != name and not name.endswith("s"))
                                           or (name.endswith(("ing", "ed")) and len(roots(name)) > 1))
            before = lowered.string[:lowered.start()]
            unknown = not strange or not (is_word(name) or name in (*DIETS, *OCCUPATIONS, *OTHERS))
            if lowered.group("back") or lowered.group("abroad"):  # (never a word of a state: "same here, back again")
                unknown = not {*name.split()} & {*NOT_NAMES, *_NOT_A_NAME, *DIETS, *OCCUPATIONS, *_ABROAD_WORDS}
            if name not in NOT_NAMES and unknown and not plain and not inflected \
                    and not _NEGATED_BEFORE.search(before) and (not framed(before) or (
                        shape == "fromme" and not _FICTION.search(body))):  # ("write a bday msg... from me, siobhan")
                found.append(Proposal(Subject.NAME, name))
    opening = rx.match(r"\s*([^.!?\n]+[.!?]*)", text)
    answer = _ANSWER.match(opening.group(1).strip()) if opening and _ASKED_NAME.search(text) else None
    if answer and answer.group("name").split()[0].casefold() not in _NOT_A_NAME:
        found.append(Proposal(Subject.NAME, _name(answer.group("name"))))  # "Mei. just Mei. you asked what to call me"
    # (the name may be quoted, but "that's my name" is the user's own words: not 'He said "Tom, that's my name"')
    own = rx.search(r"(?i:that's|thats|that is|it's|its) my (?:first |real |full )?name\b", text)
    said = _THATS_MY_NAME.search(rx.split(r"\n\s*\n", message.strip().replace("\u2019", "'"))[0]) if own else None
    if said and said.group("name").split()[0].casefold() not in _NOT_A_NAME:
        found.append(Proposal(Subject.NAME, _name(said.group("name"))))
    profile = _LOWER_PROFILE.match(text) if text.split(",")[0] == text.split(",")[0].lower() else None
    who = profile.group("name") if profile else ""
    if who and who not in {*_NOT_A_NAME, *DIETS, *OCCUPATIONS} and lemma(who) == who and not (
            is_word(who) and who.endswith(("ing", "ed", "ly"))):
        found.append(Proposal(Subject.NAME, who))  # "lucas, 24, looking for a gym routine"
    alone = _NAME_ALONE.match(text)
    if alone and not is_word(alone.group("name").casefold()) and alone.group("name").casefold() not in _NOT_A_NAME:
        found.append(Proposal(Subject.NAME, alone.group("name")))  # "Kwame. just Kwame.", "marisol!! thats me lol"
    respelt = _RESPELT.search(text)
    if respelt and near(respelt.group("name").casefold(), respelt.group("other").casefold()) \
            and _ABOUT_SPELLING.search(text) and respelt.group("name").casefold() not in _NOT_A_NAME:
        found.append(Proposal(Subject.NAME, respelt.group("name")))
    lowered_sign = _LOWER_SIGNED.search(message.rstrip())
    if (lowered_sign and message == message.lower() and lowered_sign.group("name") not in _SIGN_OFFS | NOT_NAMES
            and lemma(lowered_sign.group("name")) == lowered_sign.group("name")):
        found.append(Proposal(Subject.NAME, lowered_sign.group("name")))  # "cheers for that\naoife"
    kissed = _KISSED.search(message.rstrip())
    if kissed and kissed.group("name").casefold() not in _SIGN_OFFS | NOT_NAMES | OTHERS and not _announced(message):
        found.append(Proposal(Subject.NAME, kissed.group("name")))
    dashed = _LOWER_DASHED.search(message.rstrip())
    if (dashed and message == message.lower() and dashed.group("name") not in _SIGN_OFFS | NOT_NAMES | OTHERS
            and lemma(dashed.group("name")) == dashed.group("name") and not _announced(message)):
        found.append(Proposal(Subject.NAME, dashed.group("name")))
    thanked = _THANKS_SIGNED.search(message.rstrip())
    if thanked and thanked.group("name").casefold() not in _SIGN_OFFS | NOT_NAMES and not _announced(message):
        found.append(Proposal(Subject.NAME, thanked.group("name")))  # "Cheers for the help! Aoife"
    device = _DEVICE_SIGNED.search(message.rstrip())
    if device and device.group("name").casefold() not in NOT_NAMES and not _announced(message):
        found.append(Proposal(Subject.NAME, device.group("name")))
    signature = _SIGNATURE.search(message.rstrip())
    if signature and ("\n\n" in message or rx.search(r"\n\s*[\u2013\u2014-]", message)) and not _announced(message):
        found.append(Proposal(Subject.NAME, signature.group("name")))
    # A known place is no name, unless people are named it too: "Lisbon here, checking what to wear" is where the user
    # is ("Austin here" may be Austin).
    return [p for p in found if p.value.casefold() not in KNOWN_PLACES or p.value.casefold() in PEOPLES_NAMES]


def _adverb(word: str) -> bool:
    """A manner word made of a word with "-ly" ("Hypothetically speaking", "Honestly here"), never a short name that
    ends so ("Sally", "Holly", "Emily")."""
    return len(word) > 6 and word.endswith("ly") and is_word(word) and is_word(word[:-2])


def _adjective(word: str) -> bool:
    """A word of what one is made with "-ic" ("For context I'm Autistic", "I'm Dyslexic btw"), never a short name
    that ends so ("Eric") nor one the language does not know ("Dominic", "Ludovic")."""
    return len(word) > 5 and word.endswith("ic") and is_word(word)


def _announced(message: str) -> bool:
    return own_words(message).count("\n") < message.strip().count("\n") - 2


def _name(name: str) -> str:
    """A name with a surname, unless the second word is not part of it ("Sam Here")."""
    parts = name.split()
    return parts[0] if len(parts) > 1 and parts[1].casefold() in NOT_NAMES | {"by", "btw", "again"} else name
