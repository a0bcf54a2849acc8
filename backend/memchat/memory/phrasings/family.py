"""The user's family: relatives named in passing ("our kids A and B"), partners, pets, never another
person's relatives."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from memchat.memory import patterns as rx
from memchat.memory.language import is_word, lemma, tokens
from memchat.memory.memories import Proposal, Subject
from memchat.memory.phrasings.words import CAP, I_AM, MONTHS, NOT_NAMES, matches
from memchat.memory.statements import NO_RELATIVE, OTHERS, RELATIONS, Clause, Speaker, own_words, sentences

# The words for a parent or grandparent that name the user by their children: "Mum to Noor", "Grandma of three".
_PARENTS = (r"mum|mom|dad|mother|father|parent|mama|papa|grandmother|grandfather|grandparent|grandma|grandpa|granny|"
            r"grandad|granddad|nan|nana")
# The words for one's partner, which "the" makes one's own in speech: "Me, the wife and the kids".
_PARTNERS = r"wife|husband|partner|fiance|fiancee|girlfriend|boyfriend|hubby|other half"
# How many children one has, standing for them: "My two, Noor (7) and Ana (4), are off school".
_COUNTS = ("two", "three", "four", "five")
BROOD = "|".join((*_COUNTS, "lot"))


def family(clause: Clause) -> Iterator[Proposal]:
    # "My kids Ana and Ben won't go to bed" still names them: a negation does not undo a relation, unless it
    # denies the relation itself ("I don't have a dog called Rex").
    if clause.unrelated:
        return
    if NO_RELATIVE.search(clause.sentence):  # "Ilocano is my mother tongue" names no mother
        clause = replace(clause, text=NO_RELATIVE.sub("native ", clause.text),
                         sentence=NO_RELATIVE.sub("native ", clause.sentence))
    text = clause.text
    relation = _RELATION
    if clause.speaker is Speaker.KIN:
        yield from _subject(clause)
    name = rf"(?P<name>{CAP})"
    # (each name may carry its age in brackets: "Noor (7) and Ana (4)")
    names_list = _NAMES
    # (a place is no name: "I live in Leeds, my sister in York")
    not_a_place = r"(?<!\bin )(?<!\bto )(?<!\bfrom )(?<!\bat )(?<!\bnear )(?<!\bof )(?<!\bIn )"
    # "The kids (Ana and Ben)", "The grandkids, Ben and Otto, are staying", "with Lena and Otto, my two daughters"
    for match in [*rx.finditer(rf"\b(?i:the) {relation}s?(?: \(|, ){names_list}", text),
                  *rx.finditer(rf"{not_a_place}{names_list}, (?i:my|our) (?:(?i:two|three|four|both|little|lovely) )?"
                               rf"{relation}s?\b", clause.sentence)]:
        rel = match.group("rel").casefold()
        if _related(rel):
            for person in _people(match.group("names")):
                yield Proposal(Subject.FAMILY, f"{_singular(rel)} {person}")
    for match in rx.finditer(rf"\b(?i:my|our) (?P<brood>{BROOD})(?:, | \(){names_list}", text):
        for person in _people(match.group("names")):
            yield Proposal(Subject.FAMILY, f"my {match.group('brood').casefold()}: {person}")
    for brood, person in counted(clause.sentence):
        yield Proposal(Subject.FAMILY, f"my {brood}: {person}")
    # one's partner as "the" partner beside oneself: "Me, the wife and the kids...", "The hubby and I..."
    for match in rx.finditer(rf"(?:\b(?i:me),? (?i:and )?|^)(?i:the) (?P<rel>(?i:{_PARTNERS}))\b(?!'s| of\b)", text):
        if not match.group(0).casefold().startswith("the") or rx.match(r"(?i:the \w+(?: \w+)? and (?:i|me))\b",
                                                                        text[match.start():]):
            yield Proposal(Subject.FAMILY, match.group("rel").casefold())
    # a relative named, then taken up by a pronoun: "Had to take Pepper to the vet, she's our cat"
    for match in rx.finditer(rf"\b(?i:she's|he's|she is|he is) (?i:my|our) {relation}\b", clause.sentence):
        named = _antecedent(clause.sentence[:match.start()])
        if named and _related(match.group("rel").casefold()):
            yield Proposal(Subject.FAMILY, f"{match.group('rel').casefold()} {named}")
    for match in rx.finditer(rf"\b(?i:my|our) {relation}s?(?:,? | \(){names_list}", text):
        rel = match.group("rel").casefold()
        if _related(rel) or rel in _FOND:
            for person in _people(match.group("names")):
                yield Proposal(Subject.FAMILY, f"{_singular(rel)} {person}")
    # An appositive, between commas or in brackets: "Ana, my daughter, ...", "Ben (my son) has a cold".
    for match in rx.finditer(rf"(?:^|, )(?:\w+ ){{0,5}}?{not_a_place}{name}(?:,| \() ?(?i:my|our) {relation}\b",
                             clause.sentence):
        if match.group("rel").casefold().split()[-1] in RELATIONS:
            yield Proposal(Subject.FAMILY, f"{match.group('rel').casefold()} {match.group('name')}")
    for match in rx.finditer(rf"\b(?i:my|our) {relation}s?(?:'s?)?(?: (?i:names?))? (?i:are|is|'re) "
                             rf"(?i:called |named )?"
                             rf"{names_list}", text):
        rel = match.group("rel").casefold()  # "Our kids are Ana and Noor."
        if _related(rel):
            for person in _people(match.group("names")):
                yield Proposal(Subject.FAMILY, f"{_singular(rel)} {person}")
    # (with "my" left off, only one's children, two or more named: "Kids are Ollie (9) and Freya (6)", never "Dogs are
    # Labradors" nor "Kids are Trouble")
    for match in rx.finditer(rf"^(?i:the )?(?P<rel>(?i:kids|children|boys|girls|twins|grandkids|grandchildren))"
                             rf"(?:'s?)?(?: (?i:names?))? (?i:are|'re) (?i:called |named )?{names_list}", text):
        people = _people(match.group("names"))
        if len(people) > 1:
            for person in people:
                yield Proposal(Subject.FAMILY, f"{_singular(match.group('rel').casefold())} {person}")
    # ("rip my uncle tariq, he was the best" is one gone)
    if _lowered(clause.sentence) and not _gone(clause.sentence):  # "my husband aoife says hi": in lower case, a name
        # is no verb's form
        # an appositive in brackets, in lower case: "otto (my son) wont stop singing"
        for match in rx.finditer(r"(?:^|, )(?P<name>[a-z][\w'-]+) \((?:my|our) (?P<rel>[a-z-]+(?: [a-z-]+)?)\)",
                                 clause.sentence):
            if _related(match.group("rel")) and _lower_name(match.group("name")):
                yield Proposal(Subject.FAMILY, f"{match.group('rel')} {match.group('name')}")
        # (with a word of its own between: "my twin brother ollie gets half my cake", "our baby girl nia is teething")
        for match in rx.finditer(rf"(?:\b(?:my|our) (?P<mod>(?:{_MODIFIER}) )?|^(?:the )?)(?P<rel>[a-z-]+)"
                                 r"(?: (?:are|is|called|named))? (?P<names>[a-z][\w'-]+(?: and [a-z][\w'-]+)?)",
                                 text):
            rel, mod = match.group("rel"), match.group("mod") or ""
            if rel in _HAILS and not match.group(0).startswith(("my ", "our ")):
                continue  # "bro jules is coming round": said to anyone
            if _singular(rel) != rel and " and " not in match.group("names"):
                continue  # "my sisters gp in leeds": a plural before one word is a possessive without its apostrophe
            if rel in RELATIONS or rel.rstrip("s") in RELATIONS:
                people = match.group("names").split(" and ")
                # (a word the language knows names a relative only before what they do, or at the sentence's end:
                # "my son leo is sick", "our pup pepper ate my sock"; never "for my cousin wedding, what to pack",
                # "for my son next sunday" or "sorry, pet peeve, carry on")
                acts = _acts(clause.sentence[clause.sentence.find(text) + match.end():] if text in clause.sentence
                             else text[match.end():])
                for person in people:
                    if _lower_name(person) and (acts or not is_word(person)):
                        yield Proposal(Subject.FAMILY, f"{mod}{_singular(rel)} {person}")
    # (its "is" or its "'s" left off, as many say it who learnt English later: "my wife name is Ana", "my dog name
    # Rocky")
    for match in rx.finditer(rf"\b(?i:my|our) {relation}(?:'s| is|s)? (?i:name is|name|called|named) {name}", text):
        if match.group("rel").casefold().split()[-1] in RELATIONS:
            yield Proposal(Subject.FAMILY, f"{match.group('rel').casefold()} {match.group('name')}")
    # A name, then whose it is, without the comma between: "Kofi my son wants to study medicine", "leo my son wont
    # eat anything green" (the name no word the language knows: "Sorry my son is shouting" names no one).
    # (a word the language knows only before what the relative does: "leo my son wont eat", never "Love my son to bits")
    for match in rx.finditer(rf"^(?:(?i:{_LEADS}) )?(?P<name>{CAP}|[a-z][\w'-]+) (?i:my|our) {relation}\b"
                             rf"(?:(?P<does> (?i:{_DOES})\b)|(?=,? [a-z]))", clause.sentence):
        person, rel = match.group("name"), match.group("rel").casefold()
        named = _unknown_name(person, clause.sentence) or (match.group("does") and _may_name(person, clause.sentence))
        if named and (_related(rel) or rel in _FOND):
            yield Proposal(Subject.FAMILY, f"{rel} {person}")
    # A pet by its name, then what it is: "Mochi the cat has started sleeping in the sink".
    for match in rx.finditer(rf"^(?:(?i:{_LEADS}) )?(?P<name>{CAP}|[a-z][\w'-]+) the (?P<rel>{_PETS})\b"
                             rf"(?= (?:is|was|has|keeps|won't|wont|just|still|always|never|[a-z]+s)\b)",
                             clause.sentence):
        person = match.group("name")
        # ("the cat" after it says it is named, so a capitalised word the language knows may be its name too: "Biscuit
        # the dog", never "Sorry the dog is barking" or "Today the cat was sick")
        if _unknown_name(person, clause.sentence) or _may_name(person, clause.sentence):
            yield Proposal(Subject.FAMILY, f"{match.group('rel')} {person}")
    # What a relative is called, with "my" left off or the name in lower case: "Boyfriend's name is Elliot", "my
    # wife's name is siobhan btw".
    for match in rx.finditer(rf"(?:^(?!(?i:my|our) )|\b(?i:my|our) )(?i:{relation})(?:'s| is) "
                             rf"(?i:name is|called|named) (?P<name>{CAP}|[a-z][\w'-]+)", clause.sentence):
        person, rel = match.group("name"), match.group("rel").casefold()
        if rel.split()[-1] in RELATIONS and (person[0].isupper() or _lower_name(person)):
            yield Proposal(Subject.FAMILY, f"{rel} {person}")
    for match in rx.finditer(rf"^{name}(?:'s| (?i:is)) (?i:my|our) {relation}\b", text):
        if match.group("rel").casefold().split()[-1] in RELATIONS:
            yield Proposal(Subject.FAMILY, f"{match.group('rel').casefold()} {match.group('name')}")
    for match in rx.finditer(rf"(?<!^)\b{name}\b[^,.;!?]*, (?i:my) (?P<rel>youngest|eldest|oldest|little one|baby)\b",
                             clause.sentence):
        yield Proposal(Subject.FAMILY, f"{match.group('rel')} {match.group('name')}")
    for match in rx.finditer(rf"\b(?i:i'm married to|i am married to|married to|engaged to) {name}", text):
        yield Proposal(Subject.FAMILY, f"married to {match.group('name')}")
    for match in rx.finditer(rf"^{name} (?i:and i|and me) (?i:have been|'ve been|are|got|were|just got) "
                             rf"(?i:happily |finally |recently )?(?i:married|engaged)\b", text):
        yield Proposal(Subject.FAMILY, f"married to {match.group('name')}")  # "Priya and I have been married..."
    # A pet or child one has, got or took in, named: "We have a dog called Rex", "Got a cat named Luna",
    # "We adopted a rabbit, Biscuit, last month".
    for match in rx.finditer(rf"(?:^(?i:got|just got|(?P<took>adopted|rescued))|"
                             rf"\b(?i:(?:i|we) (?:have|have got|'ve got|got|just got|"
                             rf"(?P<taken>adopted|rescued|just adopted|just rescued|took in))|i've got|we've got|"
                             rf"there's)) "
                             rf"(?:(?i:a|an|two|three|four|five|one) )?{relation}s?(?: (?i:too|as well|also))?"
                             rf"(?:,? (?i:called|named) |, ){name}",
                             text):
        rel = match.group("rel").casefold()
        # one adopts or rescues only an animal (or a child), so any one word names it: "a greyhound, Dash"
        adopted = bool(match.group("took") or match.group("taken")) and len(rel.split()) == 1 and rel not in OTHERS
        if rel.split()[-1].rstrip("s") in RELATIONS or adopted:
            yield Proposal(Subject.FAMILY, f"{_singular(rel)} {match.group('name')}")
    for match in rx.finditer(rf"\b(?:(?i:i|we) (?i:have|have got|got)|(?i:i've|we've|ive) (?i:got )?) ?"
                             rf"(?i:two|three|four|five|six|a|an|one) "
                             rf"{relation}s?,? {names_list}", text):
        if match.group("rel").casefold().split()[-1].rstrip("s") in RELATIONS:
            for person in _people(match.group("names")):
                yield Proposal(Subject.FAMILY, f"{_singular(match.group('rel').casefold())} {person}")
    for match in matches(rf"\b(?:i'm|i am|im) (?:a |an )?(?P<value>(?:{_PARENTS}) (?:of|to) (?:\w+))", text):
        yield Proposal(Subject.FAMILY, match.group("value"))
    # A parent to children named: "Mum to Noor and Ben", "I'm dad to Otto".
    for match in rx.finditer(rf"(?:^|\b(?i:i'm|i am|im) )(?i:a |an )?(?i:{_PARENTS}) "
                             rf"(?i:of|to) {names_list}", text):
        parent = rx.search(rf"(?i:{_PARENTS}) (?i:of|to)", match.group(0)).group(0)
        for person in _people(match.group("names")):
            yield Proposal(Subject.FAMILY, f"{parent.casefold()} {person}")
    # A count of pets or children, then their names: "Two cats at home: Luna and Pepper."
    for match in rx.finditer(rf"^(?i:two|three|four|five) {relation}s?(?: (?i:at home|here|in the house))?\s*[:,-]\s*"
                             rf"{names_list}", text):
        rel = match.group("rel").casefold()
        if _related(rel):
            for person in _people(match.group("names")):
                yield Proposal(Subject.FAMILY, f"{_singular(rel)} {person}")
    # A parent's count, then the names: "Mum of two here, Ana and Milo.", "Grandma of three: Ben, Lena and Ana."
    for match in rx.finditer(rf"(?i:{_PARENTS}) (?i:of|to) (?i:two|three|four|five)"
                             rf"(?: (?i:kids|children|boys|girls|grandkids|grandchildren))?(?: (?i:here))?[,:]? "
                             rf"{names_list}", clause.sentence):
        parent = match.group(0).split()[0].casefold()
        for person in _people(match.group("names")):
            yield Proposal(Subject.FAMILY, f"{parent} of {person}")
    # A pet or child, then its name: "I've got a cat and her name is Luna", "we have a son, his name's Ben".
    for match in rx.finditer(rf"\b(?i:have|got|adopted|rescued) (?i:a|an) {relation},? (?i:and )?"
                             rf"(?i:her|his|its|their) "
                             rf"(?i:name is|name's|names are|name) {name}", text):
        rel = match.group("rel").casefold()
        if rel.split()[-1] in RELATIONS:
            yield Proposal(Subject.FAMILY, f"{rel} {match.group('name')}")
    for match in matches(r"^(?:my|our) (?P<rel>wife|husband|partner|fiance|fiancee|girlfriend|boyfriend) and i\b",
                         text):
        yield Proposal(Subject.FAMILY, match.group("rel"))
    # One's partner unnamed, in what only a couple shares: "Me and my wife have been together two years",
    # "Anniversary with my husband tomorrow!", "Date night with my partner tonight!"
    for shared in (rf"^me and my (?P<rel>{_PARTNERS}) (?:have|'ve) been together\b",
                   rf"^(?:our |an? )?(?:anniversary|date night|honeymoon) with my (?P<rel>{_PARTNERS})\b"):
        for match in matches(shared, text):
            yield Proposal(Subject.FAMILY, match.group("rel").casefold())
    # A household stated without names: "I'm married", "we have three kids", "I've got a 5-year-old son".
    for match in matches(rf"\b{I_AM} (?:happily |newly |recently |now )?(?P<value>married|engaged|a widow|a widower|"
                         rf"widowed|a single (?:mum|mom|dad|parent))\b(?! to\b)", text):
        if not clause.negated:
            yield Proposal(Subject.FAMILY, match.group("value"))
    # (or with no count, the ones people have several of at once: "we have twins, both 3", "I've got cats")
    for match in matches(r"\b(?:i|we)(?: have|'ve got| have got| got)\s+(?P<value>twins|triplets|kids|children|"
                         r"grandkids|grandchildren|cats|dogs)\b"
                         r"(?!,? (?:called|named|who|that|and (?:her|his|their) name))"
                         # (children over for the day are no household: "We have kids coming over")
                         r"(?! (?:coming|over|visiting|staying|round|around|here|tonight|today|tomorrow|for)\b)",
                         text):
        if not clause.negated:
            yield Proposal(Subject.FAMILY, match.group("value").casefold())
    # A household's count with its "I" dropped: "Got three grandkids under five", "have two cats and a husband".
    for match in matches(r"^(?:got|have got|have|'ve got)\s+(?P<value>(?:two|three|four|five|six) (?P<rel>[a-z-]+))\b"
                         r"(?! (?:coming|over|visiting|staying|round|around|here|tonight|today|tomorrow|for)\b)", text):
        if not clause.negated and match.group("rel") in RELATIONS and match.group("rel") not in ("boys", "girls"):
            yield Proposal(Subject.FAMILY, match.group("value"))
    # A child born: "We had a baby girl last month!!", "just had a baby in march" (never a shower or a tooth).
    for match in matches(r"(?:\b(?:i|we)(?: just)? |^(?:just )?)had (?:a|our|my)(?: first| second| third| little)? "
                         r"(?P<value>baby(?: girl| boy)?|son|daughter)\b"
                         r"(?! (?:shower|tooth|teeth|sitter|monitor|food|bath|photo|scan|steps|brother|sister))", text):
        if not clause.negated:
            yield Proposal(Subject.FAMILY, match.group("value"))
    for match in matches(r"\b(?:i|we)(?: have|'ve got| have got| got)\s+"
                         r"(?P<value>(?:a|an|one|two|three|four|five|six|[1-9]) "
                         r"(?:[\w-]+ )??(?P<rel>[a-z-]+))\b"
                         r"(?!,? (?:called|named|(?-i:[A-Z])|and (?:her|his|its|their) name))", text):
        rel = match.group("rel").casefold()
        if not clause.negated and (rel in RELATIONS or rel.rstrip("s") in RELATIONS) and rel not in ("family", "boy",
                                                                                                     "girl"):
            yield Proposal(Subject.FAMILY, match.group("value"))


# A relation may carry up to two modifiers of its own: "my lovely wife Priya", "my 5-year-old son Ben", "my teenage
# daughter Lena" (the last word must be a relation; a modifier may not be another person).
_RELATION = (r"(?:(?:two|three|four|five|2|3|4|5) )?(?P<rel>other half|(?:[a-z0-9\u00e9-]+ ){0,2}?"
             r"[a-z\u00e9-]+?)")


def asked(message: str) -> Iterator[Proposal]:
    """A relative named in what the clause reader sets aside, a question or a request: "Can you suggest a gift for my
    wife Priya?", "help me write a sorry text to my gf zoe". The user's own relative is theirs whatever they ask;
    only the name after "my" is read, never what the sentence says of them, and never in a role the assistant is
    asked to play ("Pretend you're my husband Mark"), nor a name asked for."""
    for sentence in sentences(own_words(message)):
        if rx.search(_PLAYED, sentence, re.I):
            continue
        for match in rx.finditer(rf"\b(?i:my|our) {_RELATION}s?(?:,? | \(){_NAMES}", sentence):
            rel = match.group("rel").casefold()
            if _related(rel) or rel in _FOND:
                for person in _people(match.group("names")):
                    if person.casefold() not in NOT_NAMES and person.casefold() not in MONTHS:
                        yield Proposal(Subject.FAMILY, f"{_singular(rel)} {person}")
        yield from _taken_up(sentence)
        yield from _dropped_my(sentence)
        yield from _dropped_my_lower(sentence)
        yield from _elder(sentence)
        if _lowered(sentence) and not _gone(sentence):  # "...to my gf zoe": in lower case, a name the language does
            # not know
            for match in rx.finditer(rf"\b(?:my|our) (?P<mod>(?:{_MODIFIER}) )?(?P<rel>[a-z-]+) "
                                     r"(?P<name>[a-z][\w'-]+)\b", sentence):
                # (a plural before one word is a possessive without its apostrophe: "my sisters gp in leeds")
                rel, name, mod = match.group("rel"), match.group("name"), match.group("mod") or ""
                # (a word the language knows, when a verb of the relative's follows: "my boyfriend jake thinks
                # pineapple on pizza is a crime, back me up"; never "is my son normal?")
                does = rx.match(r" [a-z]", sentence[match.end():]) and _acts(sentence[match.end():])
                if rel in RELATIONS and _singular(rel) == rel and (
                        _unknown_name(name, sentence) or (does and _lower_name(name))):
                    yield Proposal(Subject.FAMILY, f"{mod}{rel} {name}")


# What one calls one's own parent or grandparent, said as their name without "my": "mum keeps sending me memes", "Nan's
# making her trifle again", "dad's 50th is next month". (Only these: "kids" or "the dog" without "my" are as often
# anyone's.)
_ELDERS = frozenset("mum mom mam mama mummy mommy dad daddy papa nan nana nanna gran granny grandma grandpa grandad "
                    "granddad".split())
# What the elder does then: a verb of theirs, "'s" with a doing or a birthday ("'s making", "'s 80th"); never "Mum's the
# word", "Dad jokes are the worst" nor "Mum, the wifi is down"; nor where they live or work ("Dad lives in Leeds" is his
# home, and says nothing of the user's). What they say or want of the user is theirs to say, and
# the sentence is left to the rules that read reported speech: "Mum says I should learn Spanish", "Dad keeps telling me
# I'm a natural chef".
_ELDER_DOES = (r"'s (?:[a-z]+ing|got|been|\d+(?:st|nd|rd|th)|birthday|bday)\b|"
               r" (?:is|was) [a-z]+ing\b|"
               r" (?:keeps|loves|hates|refuses|won't|wont|can't|cant|just|still|always|never|finally|texts|calls|sends|"
               r"makes|gets)\b")
_SAYS = re.compile(r"\b(?:says?|saying|said|tells?|telling|told|thinks?|thought|reckons?|wants?|insists?|asks?|asking|"
                   r"wishes|hopes|expects|believes|swears|claims)\b", re.I)


def _elder(sentence: str) -> Iterator[Proposal]:
    match = rx.match(rf"(?i:{_BEFORE_SUBJECT})(?P<rel>[A-Za-z]+)(?={_ELDER_DOES})", sentence.strip())
    # (what they say is read up to the clause's end: "grandma is knitting me a scarf, what do i even say")
    theirs = rx.split(r"[,;:]| and | but ", sentence.strip()[match.end():])[0] if match else ""
    if match and match.group("rel").casefold() in _ELDERS and not _gone(sentence) and not (
            _STORY.search(sentence) or _SAYS.search(theirs)):
        yield Proposal(Subject.FAMILY, match.group("rel"))


# A relative named where a sentence opens with its "my" left off, as typed in haste, then what they do: "sister Olga
# getting married in june", "dog Biscuit ate a sock", "daughter Zofia have 16" (a verb of theirs after the name, its
# "-ing" without "is" too). A title is no relation ("Father Ted is on", "Sister Mary Joseph", "Uncle Sam wants you"), a
# word said of anyone's names no one ("Baby Driver is great"): so a capitalised relation only before a name the language
# does not know, and never a title's word or a word as often anyone's; nor a relative gone, nor a story's part.
_TITLES = frozenset("father mother sister brother uncle aunt auntie grandpa grandma granny nan".split())
_STORY = re.compile(r"\b(?:story|stories|poem|character|novel|roleplay|role-play|script|film|movie|book|series|show|"
                    r"song|game)\b", re.I)


def _dropped_my(sentence: str) -> Iterator[Proposal]:
    match = rx.match(rf"(?:(?i:{_LEADS}),? )*(?P<rel>[\w\u00e9-]+) (?P<name>{CAP}) (?P<rest>[\w'-]+)", sentence.strip())
    if not match or _gone(sentence) or _STORY.search(sentence):
        return
    rel, name, rest = match.group("rel"), match.group("name"), match.group("rest").casefold()
    folded = rel.casefold()
    if folded not in RELATIONS or _singular(folded) != folded or name.casefold() in _NO_NAMES or (
            name.casefold() in MONTHS or name.casefold() in NOT_NAMES or folded in ("boy", "girl", "family")):
        return
    if rel[0].isupper() and (folded in _TITLES or folded in _GENERIC or not _unknown_name(name, sentence)):
        return
    # (a past form the language knows too: "threw", "bit")
    past_form = lemma(rest) != rest and not rest.endswith("s")
    if _acts(rest) or past_form or rest in ("have", "want", "not", "no", "and") or (
            rest.endswith("ing") and len(rest) > 4):
        yield Proposal(Subject.FAMILY, f"{folded} {name}")


# What one calls a sibling or a friend alike, and says to anyone ("bro zaid is here" may be said to a friend): one's own
# only with a word of kin before it ("little bro zaid").
_HAILS = frozenset("bro sis bae lad lass girl boy man".split())


def _dropped_my_lower(sentence: str) -> Iterator[Proposal]:
    """The same in lower case, where only a word the language does not know is a name, or one in brackets, said as a
    name: "little bro zaid won't stop playing fortnite", "wife (rosa) wants a surprise dinner"."""
    if not _lowered(sentence):
        return
    match = rx.match(rf"(?:(?:{_LEADS}),? )*(?P<mod>(?:{_MODIFIER}) )?(?P<rel>[a-z\u00e9-]+) "
                     r"(?:\((?P<held>[a-z][\w'-]+)\)|(?P<name>[a-z][\w'-]+)) (?P<rest>[\w'-]+)", sentence.strip())
    if not match or _gone(sentence) or _STORY.search(sentence):
        return
    rel, name, rest = match.group("rel"), match.group("held") or match.group("name"), match.group("rest")
    if rel not in RELATIONS or _singular(rel) != rel or rel in _GENERIC or name in _SLANG or (
            rel in _HAILS and not match.group("mod")):
        return
    if (_unknown_name(name, sentence) or (match.group("held") and _lower_name(name))) and (
            _acts(rest) or (rest.endswith("ing") and len(rest) > 4)):
        yield Proposal(Subject.FAMILY, f"{match.group('mod') or ''}{rel} {name}")


# What is typed in chat between words, never a name: "sis ngl i'm tired", "mum (lol) wants a dog".
_SLANG = frozenset("lol lmao lmfao omg ngl istg fr tbh idk imo smh rn bc cuz tho pls plz ikr btw fyi irl jk lowkey "
                   "highkey deadass fam bruh ofc def prob".split())


# A role the assistant is asked to play, in which "my husband" is the part ("Pretend you're my husband Mark"), or a
# name asked for rather than given ("What should I call my new puppy, Biscuit or Pepper?").
_PLAYED = (r"\b(?:pretend|act as|act like|play|be|you're|you are|youre|as if you were|call|name)\b[^.!?]*"
           r"\b(?:my|our)\b")
# What people fondly call their child, which names a relative as a relation does: "My little one, Noor, is teething".
_FOND = frozenset(("little one", "baby", "youngest", "eldest", "oldest", "little man", "little lady", "baby girl",
                   "baby boy", "firstborn", "first-born", "middle one", "middle child"))
_AGE = r"(?: \(\d{1,2}\))?"
_AND = r"(?:, | and | & | \+ )"  # between the names of a list: "Ana, Ben and Otto", "Ana + Otto"
_PERSON = rf"(?!I\b){CAP}"  # the user beside them is none of them: "My wife Priya and I ..."
_NAMES = rf"(?P<names>{_PERSON}{_AGE}(?:{_AND}{_PERSON}{_AGE})*)"


# What a relative does right after being named: "leo my son wont eat anything green".
_DOES = (r"is|was|has|had|won't|wont|can't|cant|doesn't|doesnt|isn't|isnt|keeps|just|still|always|never|loves|hates|"
         r"turns|starts|gets|says")
# What may lead a sentence before the name it opens with: "honestly biscuit the hamster is the boss here".
_LEADS = "honestly|so|and|but|ok|okay|well|lol|also|btw"
# The animals people keep and name: "Mochi the cat".
_PETS = ("dog|cat|puppy|pup|kitten|rabbit|bunny|hamster|parrot|budgie|tortoise|horse|pony|ferret|goldfish|gerbil|"
         "guinea pig|lizard|snake|hen|chicken")


# What is never a relative's name: a word of the rules, another person, a relation.
_NO_NAMES = NOT_NAMES | OTHERS | RELATIONS


def _lowered(sentence: str) -> bool:
    """A sentence typed in lower case, where a name has no capital: a word shouted in capitals is no name's ("my sister
    maya took my charger AGAIN"), nor is "I" ("my son theo says I snore")."""
    return bool(rx.search(r"[a-z]", sentence)) and not rx.search(r"\b[A-Z\u00C0-\u00DE][a-z\u00DF-\u00FF]", sentence)


def _unknown_name(word: str, sentence: str) -> bool:
    """A word that opens a sentence is a name there when the language does not know it ("Ines", "rafi"; never
    "Sorry", "Garden"), it names no relation or other person, and in lower case only in a lower-case sentence."""
    folded = word.casefold()
    if is_word(folded) or folded in _NO_NAMES or len(word) < 2 or folded.endswith("'s"):
        return False
    return word[0].isupper() or (_lowered(sentence) and _lower_name(word))


# The words that open a sentence before "the dog" without naming it: "Sorry the dog is barking", "Today the cat was
# sick". (No library tags a sentence's first word as a name or an adverb without a model; the list is short.)
_OPENERS = frozenset("sorry today tonight yesterday now then also well so and but yeah yes no oh ok okay finally again "
                     "apparently meanwhile plus anyway maybe here there why how when where what who guess please "
                     "thankfully luckily sadly basically literally seriously suddenly honestly".split())


def _may_name(word: str, sentence: str) -> bool:
    """A word the language knows that may still be a name before "the cat" or "my son" ("Biscuit", "luna"): no opener,
    no inflected form ("Walked the dog"), no relation or other person; in lower case only in a lower-case sentence."""
    folded = word.casefold()
    return ((word[0].isupper() or _lowered(sentence)) and folded not in _OPENERS and folded not in _NO_NAMES
            and not folded.endswith(("ly", "'s")) and lemma(folded) == folded and len(word) > 2)


def counted(sentence: str) -> list[tuple[str, str]]:
    """A list of names, then one's children by the same count: "Packed lunches for Ben, Noor and Lena done, my three
    are out the door" is three children, Ben, Noor and Lena (the count must agree: "Lunch with Ana and Ben, my three are
    at school" names no one)."""
    count = rx.search(rf"\b(?i:my|our) (?P<brood>{'|'.join(_COUNTS)}) (?i:are|were|have|had)\b", sentence)
    if not count:
        return []
    brood = count.group("brood").casefold()
    return [(brood, person) for match in rx.finditer(rf"(?<=[a-z] ){_NAMES}", sentence[:count.start()])
            for people in [_people(match.group("names"))] if len(people) == _COUNTS.index(brood) + 2
            for person in people]


def _people(names: str) -> list[str]:
    """The names of a list, without the ages they carry or a possessive's 's: "Noor (7) and Ana (4)" is Noor and Ana,
    "My son Theo's teacher" names Theo."""
    return [rx.sub(r"'s$", "", rx.sub(_AGE + "$", "", person)) for person in rx.split(_AND, names)]


# A word a pronoun cannot take up: after a preposition it is a place or a time ("to Leeds", "in May").
_NO_ANTECEDENT = frozenset("in at to from near of on by for".split())


def _antecedent(before: str) -> str:
    """The last name before a pronoun, not the sentence's first word when the language knows it ("Had")."""
    words = rx.findall(r"[\w'-]+", before)
    for index in range(len(words) - 1, -1, -1):
        word = words[index]
        if not rx.fullmatch(CAP, word) or word.casefold() in _NO_NAMES:
            continue
        if (index and words[index - 1].casefold() in _NO_ANTECEDENT) or (index == 0 and is_word(word.casefold())):
            continue
        return word
    return ""


def _related(relation: str) -> bool:
    """"wife", "little sister", "5-year-old son": a relation, its modifiers naming no one else."""
    words = relation.split()
    if relation == "other half" or not words:
        return relation == "other half"
    # (a plural's s may be left off by the pattern: "in-law" of "in-laws")
    return ((words[-1] in RELATIONS or words[-1].rstrip("s") in RELATIONS or f"{words[-1]}s" in RELATIONS
             or words[-1] in _KEPT) and not OTHERS & set(words[:-1]))


# The animals a farm or a stable keeps and names, one's own as a pet is: "Our mare, Bonnie, is lame on the off fore".
_KEPT = frozenset("mare gelding stallion foal filly colt donkey alpaca ewe heifer cockatiel canary".split())


_FUNCTION_WORDS = frozenset("and are is was were will would can could just has had have the a an who that which "
                            "also still never always really so too very not got gets love like hate want need "
                            "go went come came make made say said think know loves likes".split())


# What a relative's own clause may open with before the relation: "and my son is 15", "honestly my husband snores".
_BEFORE_SUBJECT = r"(?:(?:and|but|so|also|plus|honestly|ugh|lol|btw|well|ok|okay|yeah|now|then|oh),? )*"
# What may stand between "my" and the relation, still the user's own: "my little brother", "our baby girl".
_KIN_MODIFIERS = frozenset("little big older younger elder eldest youngest baby twin new lovely teenage".split())
_MODIFIER = "|".join(sorted(_KIN_MODIFIERS))
# The relations that, said without "my", are as often anyone's, in general: "Kids are exhausting", "Dogs are smarter".
_GENERIC = frozenset("family baby babies kid kids child children boy boys girl girls teenager toddler newborn pet pets "
                     "dog dogs cat cats puppy puppies kitten kittens twins youngest eldest oldest".split())
# What a clause says of a relative gone: "my dad passed away in may", "my nan would be 90 today".
_GONE = re.compile(r"\b(?:died|dead|passed|passing|funeral|rip|late|ex|would|would've|anymore|any more|no longer|"
                   r"lost)\b", re.I)


def _gone(text: str) -> bool:
    """What a clause says of a relative gone, but for "rip" said of something else: "rip to my sleep bc my hamster
    pickles runs all night", "rip my bank account" (never "rip to my nan", "rip grandad")."""
    for match in _GONE.finditer(text):
        after = rx.match(r" (?:to |for )?(?:my|our|the) (?P<what>[\w'-]+(?: [\w'-]+)?)", text[match.end():])
        if match.group(0).casefold() != "rip" or not after or any(
                _related(word) for word in after.group("what").casefold().split()):
            return True
    return False


# A relative's age or their home with the user, what a clause says of a relative that is the family's own fact (what
# else it says is theirs: "My sister lives in Porto" teaches nothing of the user): "is 15", "turns 70 in June", "are 3
# months old", "lives with us", "moved in with us".
_NUMBER = (r"(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
           r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)")
_YEARS_OLD = (rf"(?:nearly |almost |only |just |now )?{_NUMBER}\b"
              rf"(?: (?:and a half|months?|weeks?|years?|yrs?|yo)(?: old)?)?"
              rf"(?! ?(?:%|am\b|pm\b|:|minutes?|mins?|hours?|hrs?|miles?|km|kg|cm|feet|ft|pounds?|quid|percent|"
              rf"days?|o'clock|times?|st\b|nd\b|rd\b|th\b))")
_WITH_US = r"with (?:us|me)\b"
_OWN_FACT = (rf"(?i:(?:is|'s|are|turns|turned|just turned|will be|'ll be) {_YEARS_OLD}"
             rf"|(?:lives|live|living|moved in|moving in|has moved in|have moved in) {_WITH_US})")


# A pronoun that takes up a relative, then their age or their home with the user: "shes turning 70", "he lives with
# us".
_TAKEN_UP = (rf"\b(?i:she|he)(?i:(?:'s|s| is)? (?:turning |just turned |turns |turned |will be |'ll be )?"
             rf"{_YEARS_OLD}|"
             rf" (?:lives|has moved in|moved in|is living|'s living) {_WITH_US})")


# Someone else named between a relative and the pronoun that takes them up (their own pronouns take them up too: "my
# brother, for his birthday, he's 30").
_SOMEONE = (OTHERS | RELATIONS) - frozenset("he she they his her their he's she's they're he'd she'd they'd he'll "
                                            "she'll they'll".split())
_NEW_CLAUSE = frozenset("and but so or because cos since when if while though although".split())


def _taken_up(sentence: str) -> Iterator[Proposal]:
    """A relative unnamed, then taken up by a pronoun that gives their age or their home with the user, in a request as
    in a statement: "write a birthday message for my mum, shes turning 70", "looking after my grandad who has dementia,
    he lives with us". The relative is the last one named before the pronoun, with no one else between ("my dad's
    friend, he's 70" names no dad)."""
    for match in rx.finditer(_TAKEN_UP, sentence):
        before = sentence[:match.start()]
        named = None
        for owner in rx.finditer(r"\b(?i:my|our) (?P<words>(?:[\w\u00e9'-]+ ){0,2}?)(?P<rel>[\w\u00e9-]+)\b(?!')",
                                 before):
            named = owner
        if not named or _SOMEONE.intersection(tokens(before[named.end():])) or _gone(sentence):
            continue
        # (an object's, whom the request or the user's doing is for: "for my mum", "looking after my grandad"; a
        # relative opening a clause of their own is read by that clause: "my son wants to be an astronaut, he's 6"
        # says what he wants)
        prior = tokens(before[:named.start()])
        if not prior or prior[-1] in _NEW_CLAUSE or not before[:named.start()].rstrip()[-1:].isalpha():
            continue
        rel, words = named.group("rel").casefold(), named.group("words").casefold().split()
        if rel in RELATIONS and set(words) <= _KIN_MODIFIERS and _singular(rel) == rel:
            yield Proposal(Subject.FAMILY, rel)


def _subject(clause: Clause) -> Iterator[Proposal]:
    """The relative a relative's own clause opens with, unnamed, when the clause gives their age or their home with the
    user: "my son is 15 and wont get off his xbox", "nan lives with us now", "dad turns 70 in June". Never one gone
    ("my dad would be 80 today"), and without "my" never a word as often said of anyone's ("Kids are 5 when...")."""
    match = rx.match(rf"{_BEFORE_SUBJECT}(?P<my>(?i:my|our) )?(?P<words>(?:[\w\u00e9'-]+ ){{0,2}}?)"
                     rf"(?P<rel>[\w\u00e9'-]+) (?={_OWN_FACT})", clause.text)
    if not match or _gone(clause.text):
        return
    rel, words = match.group("rel").casefold(), match.group("words").casefold().split()
    if rel not in RELATIONS or not set(words) <= _KIN_MODIFIERS or (words and not match.group("my")):
        return
    if match.group("my") or rel not in _GENERIC or rel in ("twins", "triplets"):
        yield Proposal(Subject.FAMILY, rel)


# What a relative does, said right after their name: "my son leo is sick", "my husband sam snores", "wife ana and i".
_ACTS = frozenset(_DOES.split("|")) | frozenset(
    "are were will would can could and n & says snores wants needs thinks works lives goes does likes plays sleeps "
    "cries eats want need think work live go do like play sleep love hate have keep won't wont can't cant don't dont "
    "ate made learnt learned got went came took started "
    # (what a person or a pet does, never a thing: "my cat noodle sits on my laptop", "my brother kai texts me at 3am")
    "sits runs barks bites chews steals screams yells sings talks texts calls follows refuses sends cooks drives "
    "meows purrs reckons swears".split())


def _acts(rest: str) -> bool:
    """What follows a lower-case name: the sentence's end, or a word of what the relative does."""
    words = rx.findall(r"[\w'&]+|[^\w\s]", rest)
    if not words or (words[0] in ".!?" and len(words) == 1):
        return True
    word = words[0].casefold()
    # (a past form, regular or not: "my sister maya stole my hoodie", "my son ezra broke his arm")
    return word in _ACTS or (lemma(word) != word and not word.endswith(("s", "ing")))


def _lower_name(word: str) -> bool:
    """A lower-case word after "my son" is a name unless it is a function word or a verb's form ("plays")."""
    # (nor a pronoun that takes the relative up, as many say it who learnt English later: "my husband he is doctor")
    return word not in _FUNCTION_WORDS and word not in NOT_NAMES and lemma(word) == word and len(word) > 1 and (
        word not in _PRONOUNS) and word not in _THEIRS


_PRONOUNS = frozenset("he she it they we you him her them his hers its their me us".split())
# What is a relative's own, typed without the possessive's 's, never their name: "my son school called me today", "my
# dog food bowl", "my mum phone died".
_THEIRS = frozenset("school nursery college uni class work job phone car room bed food toys toy homework birthday bday "
                    "party dinner lunch house flat litter cage lead crate wedding graduation surgery operation "
                    "appointment exam exams results energy vibes".split())


def _singular(relation: str) -> str:
    if relation not in RELATIONS and f"{relation}s" in RELATIONS:
        return f"{relation}s"  # a word the pattern's optional plural s cut short: "missus", "in-laws"
    irregular = {"children": "child", "kids": "kid", "grandchildren": "grandchild"}
    return irregular.get(relation, relation[:-1] if relation.endswith("s") and relation[:-1] in RELATIONS
                         else relation)
