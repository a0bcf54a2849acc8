"""What the user has planned: a trip, a wedding, an appointment, with when it is."""

from __future__ import annotations

import re
from collections.abc import Iterator

from memchat.memory import patterns as rx
from memchat.memory.language import is_word
from memchat.memory.memories import Proposal, Subject
from memchat.memory.phrasings.home import as_typed, standing
from memchat.memory.phrasings.words import I_AM, MONTH, PLACE, WE_ARE, tidy
from memchat.memory.statements import Clause

_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
# A day of the week as it is typed short: "eye test thurs", "interview weds".
_DAY_SHORT = r"(?:mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)"
_MONTH_CAP = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_TOMORROW = r"(?:tomorrow|tmrw|tmr|2moro)"  # the word and the ways it is typed
_WHEN = (rf"(?:next (?:week|month|year|weekend|summer|spring|autumn|fall|winter|{MONTH}|{_DAY})|"
         # (a holiday by its name, this one or next: "going to Boracay this holy week", "home next christmas")
         rf"this (?:weekend|summer|spring|autumn|fall|winter|{_DAY})|(?:over|at|for|this|next) (?:christmas|easter|"
         rf"new year|"
         rf"the new year|thanksgiving|half term|half-term|the bank holiday|"
         # the festivals people travel for: "flying home to Accra for Eid", "kerala trip planned for onam"
         rf"eid|diwali|deepavali|holi|onam|pongal|navratri|durga puja|ramadan|hanukkah|chanukah|passover|"
         rf"carnaval|carnival|lunar new year|chinese new year|songkran|new year's eve|nye|hogmanay|"
         # (and the weeks off that schools, churches and countries keep: "flights to seoul for chuseok")
         rf"holy week|semana santa|golden week|chuseok|obon|spring break|reading week|study week|"
         rf"the (?:easter|christmas|summer|winter|school|mid-?term|bank) (?:holidays?|break|hols))\b|"
         rf"{_TOMORROW}|tonight|"
         # one day's part, without "on": "camping at the lake saturday night" (never a habit's "sunday afternoons")
         rf"\b{_DAY} (?:night|morning|afternoon|evening)\b(?!s)|"
         # a long weekend, the school's holidays or a day of the month as typed without "the": "camping next long
         # weekend", "over the summer holidays", "on 3rd"
         rf"(?:this|next) long weekend|on \d{{1,2}}(?:st|nd|rd|th)\b|"
         rf"in {MONTH}|on {MONTH}|this {MONTH}|"
         rf"in (?:a|two|three|four|a few|six) (?:days|weeks|months)|in the (?:summer|spring|autumn|winter)|"
         rf"{MONTH} \d{{1,2}}|\d{{1,2}}(?:st|nd|rd|th)? (?:of )?{MONTH}|for {MONTH}|the week(?:end)? after next|"
         # from a date on, and a bare day of the week right after a verb of leaving: "out of office from June 3", "We
         # leave Friday for Lima" (never "Booked the restaurant for Friday")
         rf"from {MONTH} \d{{1,2}}|from the \d{{1,2}}(?:st|nd|rd|th)\b|"
         rf"(?:(?<=leave )|(?<=leaving )|(?<=fly )|(?<=flying )|(?<=fly out )|(?<=head off )|(?<=set off )){_DAY}\b|"
         rf"over the (?:holidays|summer|weekend|break)|at the end of {MONTH}|later this (?:year|month)|soon|"
         # the holidays of a school or a season, "in" them, and a weekend a trip takes: "taking the grandkids to
         # Rotorua in the school holidays", "heading down to london for the weekend"
         rf"(?:over|in|during) the (?:school|summer|easter|christmas|winter|mid-?term|half-?term|october|february|"
         rf"spring|autumn) (?:holidays?|hols|break)|for the (?:long )?weekend\b|"
         # (a day, not the days of a habit: "hiking on Sundays")
         rf"on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?!s)|"
         rf"for (?:our|my) (?:anniversary|honeymoon|birthday)|coming up|this coming (?:week|weekend|month|{_DAY})|"
         rf"at the weekend|"
         rf"in (?:a couple of|a couple|couple of|a few|\d+) (?:days|weeks|months)|on the \d{{1,2}}(?:st|nd|rd|th)\b|"
         rf"(?:early|mid|late|the end of|end of|the start of|start of|the beginning of|beginning of)[ -]{MONTH}|"
         rf"after (?:christmas|easter|new year|the holidays)|in the new year|next (?:few )?(?:days|weeks)|"
         # a whole month: "all of May", "the whole of June"
         rf"(?:all of|the whole of|all through|throughout) {MONTH}|"
         # a time named before, pointed back to: "I'm flying to Lima that weekend"
         rf"that (?:weekend|week|day|night|morning|afternoon|evening|month)|"
         # the year's own end: "going to retire at the end of this year"
         rf"(?:the )?end of (?:this|next|the) (?:year|month))")
# This year, which holds the present too, is a plan's date only after a word that looks ahead, for one thing: "I'm
# going for Hajj this year", "hosting christmas dinner for 12 this year" (never "having a go at the cello this year",
# "going to the gym a lot this year", "off sick loads this year").
_THIS_YEAR = r"\bthis year\b"
# A season without "the" dates a trip of its kind ("city break to Seville in autumn"), never a doing: "I ski in winter".
_SEASON = r"in (?:spring|summer|autumn|fall|winter)\b"
_AHEAD = (r"(?:going (?:to (?!the |my |a |an )\w+|for|on)|gonna|hosting|getting married|retiring|emigrating|"
          r"moving (?:to|house|abroad|out|back)|off to|flying|travelling|heading)\b"
          r"(?!.*\b(?:a lot|lots|loads|more|less|every|each|always|usually|often)\b)")


def plan(clause: Clause) -> Iterator[Proposal]:
    """A plan, and for a dated plan that names no place, the place its sentence is going to: "First time going to
    Tbilisi, we leave on May 3" is Tbilisi on May 3."""
    clause = standing(clause)
    after = clause.sentence[clause.sentence.find(clause.text) + len(clause.text):]
    if clause.sentence.find(clause.text) >= 0 and rx.match(_DOUBTED, after, re.I):
        return  # a plan doubted in the clause after it: "heading to Lima next month, not sure yet"
    going = _GOING.search(clause.sentence)
    # (a known place typed in lower case is read as a capitalised one: "weekend in krakow with the girls next month")
    for proposal in list(_plans(clause)) or as_typed(_plans, clause):
        proposal = _as_said(proposal, clause.sentence)
        if going and going.group("place") not in clause.text and going.group("place") not in proposal.value:
            yield Proposal(Subject.PLAN, f"{going.group('place')}, {proposal.value}")
        else:
            yield proposal


# A plan doubted right after it is said: "..., not sure yet", "..., tbc", "..., maybe".
_DOUBTED = (r"\s*[,;:-]*\s*(?:but |though |tho )?(?:(?:i'm |im |we're )?not (?:sure|decided|certain|confirmed|definite|"
            r"booked)|(?:i |we )?(?:haven't|havent|have not|didn't|didnt) (?:decided|booked|confirmed)|tbc|tbd|maybe|"
            r"might not|or not|probably not|if (?:it|that) happens|nothing (?:booked|confirmed))\b")
_GOING = re.compile(rf"\b(?:(?i:going|off|heading|headed|flying|travelling|traveling|trip) (?i:to)|"
                    # what a trip is readied with: "Sorting my visa for Hanoi, we go in May"
                    rf"(?i:visas?|passport|jabs|vaccinations|packing|flights?|tickets?|in time|ready) (?i:for)) "
                    rf"(?P<place>{PLACE})")
# Time off taken for a place (the place follows): "Took annual leave in June so we can do Hanoi".
TIME_OFF = (rf"\b(?i:took|taken|taking|booked|got|put in for) (?i:annual |some |a week'?s? |two weeks'? |the )?"
            rf"(?i:leave|time off|days off|holiday)(?: (?P<when>(?i:{_WHEN})))?,? (?i:so) (?i:we|i) (?i:can) "
            rf"(?i:do|go to|visit|see|head to|get to)")
# The events of one's own that have a date: "eye test", "job interview", "dentist appointment".
_EVENTS = (r"(?:appointment|appt|interview|test|exam|exams|surgery|operation|scan|check-?up|audition|hearing|viva|"
           r"presentation|flight|gig|recital|"
           # the days a life passes through: "graduation is in 2 weeks", "prom's on the 14th"
           r"graduation|convocation|prom|formal|wedding|ceremony|induction|orientation)")


def _plans(clause: Clause) -> Iterator[Proposal]:
    if clause.negated:
        return
    text = clause.text
    lowered = text.casefold()
    if rx.search(r"\b(?:always|usually|normally|often|generally|typically|every (?:year|summer|winter|spring|autumn|"
                 r"week|weekend|month|time))\b"
                 # (and a day, or its part, in the plural: "doing pottery on Tuesday nights", "swimming on Fridays")
                 rf"|\b{_DAY}s\b|\b{_DAY} (?:nights|mornings|afternoons|evenings)\b", lowered):
        return  # a habit's day is no plan: "we always go camping over the summer holidays"
    # "Next stop: Lima, in March!", "March is Reykjavik for us."
    stop = rx.search(rf"^(?:(?i:next stop|next up|next destination)\s*[:,-]?|"
                     # a trip of one's own equated with where it goes: "Honeymoon's Kyoto in May!"
                     rf"(?i:(?:the |our |my )?(?:honeymoon|holiday|trip|getaway|break|vacation)(?:'s| is| will be)))"
                     rf"\s*(?P<place>{PLACE}),? (?P<when>{_WHEN})", text, re.I) or rx.search(
        rf"^(?P<when>{_MONTH_CAP}) (?i:is|will be|means) (?P<place>{PLACE})(?: (?i:for (?:us|me)))?[.!]?$", text)
    away = rx.search(rf"^(?i:(?:a |our |my )?(?:weekend|week|trip|holiday|break|city break|getaway|few days|half term|"
                     rf"half-term|"
                     rf"long weekend|fortnight|night)(?: away)? (?:in|to)) (?P<place>{PLACE})"
                     # (with whom one goes: "weekend in Lima with the girls next month")
                     rf"(?: (?i:with (?:the|my|our) [\w' ]{{1,20}}?))? "
                     rf"(?P<when>(?i:coming up|soon|{_WHEN}|{_SEASON}))", text)
    # the days counted down to a place: "Two weeks till Kyoto!!"
    counted = rx.search(rf"^(?i:only |just )?(?P<count>\d+|(?i:one|two|three|four|five|six|seven|eight|nine|ten|a few|"
                        rf"a couple of)) (?i:more )?(?P<unit>(?i:days|weeks|months|sleeps))(?i: to go)? "
                        # ("Two more sleeps and we're in Lima!")
                        rf"(?:(?i:till|until|til|'til|before)|"
                        rf"(?i:and) (?i:we're|i'm|we are|i am|we'll be|i'll be) (?i:in|off to)) "
                        rf"(?P<place>{PLACE})[.!]*$", clause.sentence)
    if counted:
        yield Proposal(Subject.PLAN, f"{counted.group('place')} in {counted.group('count')} {counted.group('unit')}")
        return
    # a trip equated with where it goes by "to", dated by its leaving, under the heading of a reply: "Replying to your
    # question: the trip is to Galway, leaving Friday morning" (the place to the date kept as said)
    trip_to = rx.search(rf"^(?:[\w' ]{{1,30}}:\s*)?(?i:(?:the |our |my )?(?:honeymoon|holiday|trip|getaway|break|"
                        rf"vacation)(?:'s| is| will be) to) (?P<plan>{PLACE},? (?i:(?:leaving|flying out|flying|"
                        rf"departing|setting off|heading off|off|going) )?(?i:{_WHEN}))", text)
    if trip_to:
        yield Proposal(Subject.PLAN, trip_to.group("plan"))
        return
    # tickets got for an event named by its own name: "got glasto tickets!!!", "Finally bagged Coldplay tickets"
    # (never "got a speeding ticket", "got parking tickets", nor a gift: "got Coldplay tickets for my sister")
    tickets = rx.search(r"^(?:(?:i|we) )?(?:just |finally )?(?:got|bought|booked|scored|bagged|snagged|nabbed) "
                        r"(?:(?:my|our|the) )?(?P<event>[\w'&-]+(?: [\w'&-]+){0,2}) tickets?\b(?! (?:for|to) (?:my|our|"
                        r"his|her|their|a|the) )", text, re.I)
    if tickets and any(word[0].isupper() or not is_word(word) for word in tickets.group("event").split()) and not (
            rx.match(r"(?:my|our|his|her|their|some|two|three|four|\d+)\b", tickets.group("event"), re.I)):
        yield Proposal(Subject.PLAN, f"{tickets.group('event')} tickets")
        return
    # the travel to a place booked for a time: "Flights to Hanoi are booked for September!"
    booked = rx.search(rf"^(?i:my |our |the )?(?i:flights?|tickets?|trains?|ferry|hotel|trip) (?i:to|in|for) "
                       rf"(?P<place>{PLACE}) (?i:is |are |'s |'re )?(?i:all |now |finally )?"
                       rf"(?i:booked|sorted|confirmed|paid for)(?: (?i:for|on))? (?P<when>(?i:{_WHEN}|{MONTH}|"
                       # (a day of the month alone: "Flights to Lima are booked for the 19th")
                       rf"the \d{{1,2}}(?:st|nd|rd|th)\b))", text)
    # (or booked for the place: "Hotel's booked for Kyoto in October")
    booked = booked or rx.search(rf"^(?i:my |our |the )?(?i:flights?|tickets?|trains?|ferry|hotel|trip|airbnb)"
                                 rf"(?i: is| are|'s|'re)? (?i:all |now |finally )?(?i:booked|sorted|confirmed) "
                                 rf"(?i:for|to) "
                                 rf"(?P<place>{PLACE}),? (?P<when>(?i:{_WHEN}))", text)
    if booked:
        when = booked.group("when")
        yield Proposal(Subject.PLAN, f"{booked.group('place')} {when if ' ' in when else 'in ' + when}")
        return
    # travel to a place booked, then the place and its date: "flights are booked, Kyoto April 12"
    booked = rx.search(rf"^(?:my |our |the )?(?i:flights?|tickets?|trains?|hotel|trip)(?:'s| is| are|'re)? "
                       rf"(?i:all |now |finally )?(?i:booked|sorted|confirmed)[,!:.]*\s+(?P<place>{PLACE}),? "
                       rf"(?P<when>{_WHEN})",
                       clause.sentence, re.I if clause.sentence.islower() else 0)
    if booked:
        yield Proposal(Subject.PLAN, f"{booked.group('place')} {booked.group('when')}")
        return
    # time off taken for a place: "Took annual leave in June so we can do Hanoi"
    off = rx.search(TIME_OFF + rf" (?P<place>{PLACE})", clause.sentence, re.I if clause.sentence.islower() else 0)
    if off:
        yield Proposal(Subject.PLAN, f"{off.group('place')} {off.group('when')}" if off.group("when")
                       else off.group("place"))
        return
    # a place readied for by its date: "Passport renewed just in time for Hanoi in April"
    readied = rx.search(rf"\b(?i:in time for|ready for|before) (?P<place>{PLACE}) (?P<when>(?i:{_WHEN}))", text)
    if readied:
        yield Proposal(Subject.PLAN, f"{readied.group('place')} {readied.group('when')}")
        return
    # a trip named by its place, planned or booked for a date: "kerala trip planned for onam with family"
    named = rx.search(rf"^(?P<trip>{PLACE} (?i:trip|holiday|getaway|break|city break|vacation|road trip)"
                      rf"(?: (?i:planned|booked|sorted|confirmed))?),?(?: (?i:for))? (?P<when>(?i:{_WHEN}|{_SEASON}))",
                      text)
    # (never what it was or would be: "mysore trip for diwali was the best")
    if named and not rx.match(r"[^,;.!?]*\b(?:was|were|is|are|would|could|sounds|looks|seems)\b", text[named.end():],
                              re.I):
        yield Proposal(Subject.PLAN, text[:named.end()])
        return
    if away:  # "Weekend away in Hanoi coming up!"
        yield Proposal(Subject.PLAN, f"{away.group('place')} {away.group('when')}")
        return
    # A place and a time with excitement, or alone: "Kyoto next month, so excited!", "Hanoi in June ✈️".
    # (or next in the run of one's days: "Work's mad this week, then Lima on May 3!")
    excited = rx.search(rf"(?:^|[,;]\s*(?i:then|and then|after that)\s+)(?P<place>{PLACE}) "
                        # (for an occasion of one's own: "Iceland for my 40th in February")
                        rf"(?P<when>(?:(?i:for (?:my|our) (?:\d+(?:st|nd|rd|th)|[\w-]+ birthday|birthday|anniversary|"
                        rf"honeymoon|hen do|stag do|hen|stag|graduation|retirement)) )?(?i:(?:on )?{_WHEN}))"
                        # (with whom one goes: "lima in june with the girls!!")
                        rf"(?: (?i:with (?:the|my|our) [\w' ]{{1,20}}?))?"
                        rf"(?:[,!]? (?i:so |super |really )?"
                        rf"(?i:excited|can't wait|cant wait|yay|woo+|here we come|finally)|\s*[.!]*$)",
                        clause.sentence.strip(),
                        re.I if clause.sentence.islower() else 0)
    if excited and not rx.match(_WHEN, excited.group("place"), re.I) and not rx.search(
            r"^[^,;]*\b(?:sounds|looks|seems|would|could|was|were|is|are)\b", clause.sentence[excited.end():], re.I):
        yield Proposal(Subject.PLAN, f"{excited.group('place')} {excited.group('when')}")  # "Kyoto next month, yay!"
        return
    # An event of the user's and its date, told in passing: "eye test on May 3, wish me luck!"
    event = rx.search(rf"^(?:(?:gotta|got to|have to|need to|must) remember |(?:don't|dont|do not) forget )?"
                      rf"(?:my |our |the )?(?P<event>[\w' -]{{0,30}}?\b{_EVENTS})"
                      # moved to another date: "My eye test's been moved to May 3", "has been pushed back to June",
                      # "Our eye test got moved to the 12th of June"
                      r"(?:'s| is| has)?(?: (?:been|got|was) (?:moved|rescheduled|changed|pushed back|pushed|put back|"
                      r"brought forward|bumped)(?: to)?)? "
                      # the hour or the part of the day before the date: "eye test first thing tomorrow"
                      r"(?:(?:first thing|early|late|at \d{1,2}(?::\d\d)? ?(?:am|pm)?) )?"
                      rf"(?P<when>(?:on|in|at|this|next|{_TOMORROW}|that|the|{MONTH})\b[^,.;!?]*|"
                      # a bare day of the week after the event, typed short or whole: "eye test thurs"
                      # (or its hour after it: "job interview thursday at 9")
                      rf"(?:{_DAY}|{_DAY_SHORT})(?= (?:morning|afternoon|evening|night)\b|\s*[,.;!?]|\s*$|"
                      rf" at \d{{1,2}}(?::\d\d)? ?(?:am|pm)?(?:\s*[,.;!?]|\s*$))"
                      rf"(?: (?:morning|afternoon|evening|night))?)", text, re.I)
    # an event of the user's somewhere, dated: "Need an outfit for a wedding in Lima in November"
    # (or opening the clause: "wedding in tbilisi on the 19th", "Hen do in Lima the weekend after next!")
    away_event = rx.search(rf"(?:\b(?i:a|the|my|our) |^)(?P<event>(?i:wedding|trip|conference|holiday|festival|"
                           rf"reunion|retreat|hen do|stag do|honeymoon|course|"
                           # a party of its kind: "hen party in Dublin in May"
                           rf"(?:hen|stag|bachelor|bachelorette|birthday|engagement|leaving|graduation) party)) "
                           rf"(?P<to>(?i:in|to|at)) "
                           rf"(?P<place>{PLACE}),? (?P<when>(?i:{_WHEN}|{_SEASON}))", text,
                           re.I if clause.sentence.islower() else 0)
    if away_event:
        yield Proposal(Subject.PLAN, " ".join(away_event.group("event", "to", "place", "when")))
        return
    dated = rx.search(rf"^(?P<when>{_MONTH_CAP} \d{{1,2}}|\d{{1,2}}(?:st|nd|rd|th)? (?:of )?{_MONTH_CAP}) (?:is|'s) "
                      r"(?:my|our) (?P<event>[\w' -]{2,30}?)(?=[,.;!?]|$)", text)
    # a date as the heading over an event: "May 3: eye test."
    dated = dated or rx.search(rf"^(?P<when>{_MONTH_CAP} \d{{1,2}}|\d{{1,2}}(?:st|nd|rd|th)? (?:of )?{_MONTH_CAP})\s*"
                               rf"[:\u2013\u2014-]\s*(?:my |our |the )?(?P<event>[\w' -]{{0,30}}?\b{_EVENTS})"
                               r"(?=[,.;!?]|$)", text)
    if dated:  # "March 12 is my dentist appointment"
        yield Proposal(Subject.PLAN, f"{dated.group('event')} on {dated.group('when')}")
        return
    # (never another's, one of a kind, or one judged or past: "her graduation is in June", "a wedding in the summer is
    # lovely", "the wedding was on the 14th")
    if event and (rx.match(r"(?:a|an|her|his|their|your|its)\b", event.group("event"), re.I) or rx.search(
            r"\b(?:is|are|was|were|would|could|sounds?|looks?|seems?)\b", event.group("when"), re.I)):
        event = None
    if event and (rx.search(_WHEN, event.group("when").casefold()) or rx.match(
            rf"(?:{_DAY}|{_DAY_SHORT})\b", event.group("when"), re.I)):
        yield Proposal(Subject.PLAN, _trimmed(f"{event.group('event')} {event.group('when')}"))
        return
    if stop:
        when = stop.group("when")
        yield Proposal(Subject.PLAN, f"{stop.group('place')} {when if ' ' in when else 'in ' + when}")
        return
    if not rx.search(_WHEN, lowered) and not rx.search(r"\b(?:planning|booked|going to|will|'ll)\b", lowered) and \
            not rx.search(_THIS_YEAR, lowered):
        return
    action = (r"(?:flying|going|heading|travelling|traveling|off|away|driving|moving|visiting|getting married|"
              r"on my way|"
              r"on our way|en route|"
              r"running|starting|start|doing(?! up\b)|"
              r"taking|sitting|planning|booked|visit|fly|go|travel|move|spend(?:ing)?|sit|"
              # a drive somewhere, as the clause reader puts "driving the NC500 in June" ("I drive the NC500 in June")
              r"drive(?= (?:to|down|up|over|across|the|through|around|round|out|back|home)\b)|"
              r"take (?:the|a) (?:train|bus|coach|ferry|boat|flight|plane|overnight train|night bus)|"
              # entering an event: "I've signed up for a marathon in May"
              r"signed up for|signing up for|registered for|entered|enrolled (?:in|on)|"
              # an application, a move abroad, a trip by how one sleeps or walks: "applying for a PhD in the autumn",
              # "we're emigrating to Canada next year", "camping in the Lake District next weekend"
              r"applying (?:for|to)|emigrating|immigrating|relocating|camping|glamping|hiking|backpacking|"
              r"interrailing|"
              r"have|having|be|leave|leaving|trip|holiday|vacation|flight|road trip|"
              r"got(?! married| engaged| back| home| (?:a|the|a new) job(?! interview))|"
              r"headed|jetting off|attending|hosting|throwing|celebrating|seeing|meeting|sitting|"
              r"(?:due|about|set|scheduled|booked) to (?:fly|go|travel|visit|leave|move|start|run|be)|"
              # "going to" as it is said: "Gonna be in Lima all of May"
              # (and "going to", "gonna" or the South's "fixin' to" before a doing of a day out: "gonna hike mt apo next
              # month", "Fixin' to go up to Nashville in the spring")
              r"(?:gonna|going to|fixing to|fixin'? to) (?:be|go|fly|visit|head|spend|hike|climb|trek|run|cycle|ride|"
              r"sail|camp|drive|tour|attend|celebrate|host|throw)\b|"
              # the present of a step in life, dated ahead: "I retire at the end of June", "we celebrate our golden
              # wedding in October" (never a feast of every year: "we celebrate Christmas in December", "we celebrate
              # our anniversary in May"; nor a habit: "I attend church on Sunday")
              r"retire|retiring|graduate|graduating|"
              r"celebrate(?= (?:my|our) (?:golden|silver|ruby|diamond|pearl|coral|\d+(?:st|nd|rd|th)|"
              r"[a-z]+(?:th|st))\b)|"
              # the duty of the formal future: "I am to attend a reunion in Cardiff on the 5th of May"
              r"to (?:attend|travel|visit|sail|fly|preach|speak|lead|be married|marry)|"
              # away from work from a date: "I'm out of office from June 3, off to Hanoi"
              r"out of (?:the )?office|on (?:annual )?leave|off work)")
    # "Lima in June, finally booked it!", "The plan is Lima in November."
    settled = rx.search(rf"^(?P<plan>{PLACE} (?:in|on|for|next|this|at|over) [^,.;!?]+)[,!.]? (?i:finally |just |all )?"
                        rf"(?i:booked|sorted|confirmed)\b|"
                        rf"\b(?i:(?:the|our|my) plan is (?:to (?:go to |visit |fly to |head to )?)?)"
                        rf"(?P<aim>[^,.;!?]+)", text)
    if settled:
        value = _trimmed(settled.group("plan") or settled.group("aim"))
        if rx.search(_WHEN, value.casefold()):
            yield Proposal(Subject.PLAN, value)
            return
    ahead = rx.search(r"\b(?:(?:can't|cannot|cant) wait for|looking forward to|"
                      r"counting down (?:the (?:days|weeks|sleeps) )?(?:to|until|till)|excited about|"
                      r"excited for) (?:my |our )?(?P<plan>.+)$", text, re.I)
    if ahead and rx.search(_WHEN, ahead.group("plan").casefold()):  # "Can't wait for my trip to Lima in June!"
        yield Proposal(Subject.PLAN, _trimmed(ahead.group("plan")))
        return
    match = rx.search(rf"(?:^|\b(?:{I_AM}|{WE_ARE}|i'll|we'll|i will|we will|i|we|i've|we've|just|"
                      # ("Finally booked Marrakesh for the 27th of September", "first time flying to Tokyo in May")
                      rf"^finally|^(?:my |our )?first (?:ever )?time|"
                      # the "I" dropped before "will": "will fly to Oslo on 3rd for a conference"
                      rf"^will(?= (?:fly|go|travel|visit|move|leave|head|drive|take the)\b)|"
                      # the user with others: "Me and the kids are going to Kyoto in June"
                      # (the "are" dropped, as chat does: "Me and my husband flying down to Jamaica for Christmas")
                      rf"^me and (?:my |the |our )?[\w' ]{{1,20}}? are|"
                      rf"^me and (?:my |the |our )?[\w' ]{{1,20}}?(?= \w+ing\b)|"
                      rf"^(?:my |the |our )?[\w' ]{{1,20}}? and i are)\s+)"
                      rf"(?P<plan>{action}\b.*)$", text, re.I)
    if match is None:
        match = rx.search(rf"\b(?:my|our) (?P<plan>[\w' ]{{2,30}}?)(?: (?:is|are)|'s) (?P<when>(?:on|in|at|this|next|"
                          # (or its date: "Our trip to Lima is June 3 to the end of the month")
                          rf"tomorrow|{MONTH} \d{{1,2}}|\d{{1,2}}(?:st|nd|rd|th)? (?:of )?{MONTH})\b.*)$", text, re.I)
        if match:  # "My sister's wedding is in June", "My interview's on May 3"
            yield Proposal(Subject.PLAN, _trimmed(f"{match.group('plan')} {match.group('when')}"))
        else:
            lead = rx.search(rf"^(?P<when>{_WHEN})[, ]+(?:{WE_ARE}|{I_AM}|i'll|we'll|i|we) (?P<plan>.+)$", lowered)
            if lead:
                start = lead.start("plan")
                yield Proposal(Subject.PLAN, _trimmed(_led(text[start:], text[:lead.end("when")])))
        return
    plan_text = match.group("plan")
    if rx.search(r"\b(?:was|were|had been)\b", plan_text, re.I):
        return  # a doing told as over: "hiking saturday morning was magical"
    if rx.match(r"me and|(?:my |the |our )?[\w' ]+ and i are", match.group(0).strip(), re.I) and not rx.search(
            rf"\b(?:to|in) {PLACE}", plan_text):
        return  # with others, only a trip to a named place is the user's plan ("Me and the kids are going to Kyoto")
    lead = rx.search(rf"^(?P<when>{_WHEN})[, ]", lowered)
    if lead:  # "Next June we're off to Lima": the date leads
        plan_text = _led(plan_text, text[:lead.end("when")])
    if not rx.search(_WHEN, plan_text.casefold()) and not rx.search(
            r"\b(?:trip|holiday|wedding|married|visit|conference|appointment|interview|course)\b", lowered) and not (
            rx.search(_THIS_YEAR, plan_text, re.I) and rx.match(_AHEAD, plan_text, re.I)):
        return
    yield Proposal(Subject.PLAN, _trimmed(plan_text))


def _as_said(proposal: Proposal, sentence: str) -> Proposal:
    """The plan with its first word as the user said it, where the clause reader put a verb for the dropped "I"
    ("driving the NC500 in June" reads as "I drive the NC500 in June"; the plan is "driving the NC500 in June")."""
    first, _, rest = proposal.value.partition(" ")
    words = [word for word in sentence.split() if word.casefold().strip(",.!?") == first.casefold()]
    if words or not first.isalpha():
        return proposal
    stem = first.casefold().removesuffix("e")
    said = [word for word in sentence.split() if word.casefold() == stem + "ing"]
    return Proposal(proposal.subject, f"{said[0]} {rest}".strip()) if said else proposal


def _led(plan: str, when: str) -> str:
    """A plan whose date led its sentence, with the date after it as it would be said there: "Next week I'm
    flying to Rome." is "flying to Rome next week" (the plan to its first stop, the date's capital dropped)."""
    return f"{rx.split(r'[,.;:!?]', plan, maxsplit=1)[0].strip()} {when[:1].lower()}{when[1:]}"


def _trimmed(text: str) -> str:
    # (a condition on the weather or the clock is no part of the plan: "a barbecue this weekend if the weather holds")
    text = rx.sub(r",?\s+(?:if|unless)\b.*$", "", text, flags=re.I)
    # (nor a question asked after it: "Travelling down to Lagos for Christmas, what's the safest way to carry cash")
    text = rx.sub(r",\s*(?:what|what's|whats|how|which|where|who|why|any|anyone|can|could|should|do|does|is|are|"
                  r"pls|please|help)\b.*$", "", text, flags=re.I)
    # (nor an aside after its date: "moving house in 3 weeks, boxes everywhere"; but where one goes is the plan's:
    # "out of office from June 3, off to Hanoi")
    # (and so after "and I", "but I": "my cousin's wedding is on the 14th and i have nothing to wear"; nor the years
    # that lead up to it: "I retire at the end of June after 38 years in the civil service")
    text = rx.sub(r"\s+after (?:\w+ )?(?:years|decades|months)\b.*$", "", text, flags=re.I)
    head, *tail = rx.split(r"\s*[,;]\s*|\s+(?=(?:and|but|so) (?:i|we|i'm|im|we're)\b)", text, maxsplit=1)
    if tail and (rx.search(_WHEN, head.casefold()) or rx.search(_THIS_YEAR, head, re.I)) and not rx.search(
            rf"\b(?i:to|in|for) {PLACE}", tail[0]):
        text = head
    words = tidy(rx.sub(r"^(?:be |have |having |planning |planning a |booked |off |got )", lambda m: m.group(0)
                         if m.group(0).strip() in ("booked", "off") else "", text)).split()
    return " ".join(words[:12])
