"""Occupations: the nouns that name a job, so "I'm a radiographer" is work and "I'm a fan" is not.

No small runtime library lists occupations. The second set below is derived from Faker's English job
titles (faker 40.63, `faker/providers/job/__init__.py`, a list kept from the UK's occupational tables):
the head noun of each title ("Accountant, chartered" and "Tax adviser" give "accountant" and "adviser"),
less the heads that also name what is no job ("person", "worker", "runner", "buyer", "planner", "staff"...).
It is copied here rather than imported, so the Lambda bundle does not carry Faker's 2 MB for 170 words.
The first set is the everyday jobs and trades the list leaves out.
"""

from __future__ import annotations

from functools import cache

from memchat.memory.language import roots

EVERYDAY = frozenset(
    "nurse doctor teacher carpenter plumber electrician pharmacist paramedic welder baker chef cook waiter "
    "waitress barista bartender architect engineer developer programmer designer accountant lawyer solicitor "
    "barrister judge journalist writer author editor translator interpreter photographer illustrator artist "
    "musician pianist violinist singer actor actress dancer dentist vet veterinarian surgeon midwife "
    "physiotherapist therapist psychologist psychiatrist counsellor counselor scientist "
    "researcher professor lecturer tutor librarian cleaner gardener farmer fisherman builder mechanic driver "
    "pilot firefighter police officer soldier sailor student intern consultant analyst manager clerk "
    "receptionist cashier shopkeeper salesman saleswoman entrepreneur economist banker broker estate agent "
    "surveyor optician optometrist radiographer carer caregiver childminder nanny hairdresser barber "
    "beautician tailor seamstress butcher fishmonger florist postman postwoman courier technician "
    "programmer administrator secretary paralegal coder tester geologist chemist physicist biologist "
    "mathematician statistician historian archaeologist curator zookeeper ranger lifeguard coach trainer "
    "instructor plasterer roofer decorator painter joiner bricklayer locksmith glazier upholsterer "
    "blacksmith potter jeweller jeweler sculptor animator copywriter marketer recruiter auditor "
    "bookkeeper cartographer dietitian nutritionist pharmacologist anaesthetist anesthetist "
    "podiatrist chiropractor osteopath sonographer phlebotomist dispatcher controller conductor "
    "machinist operator miner logger forester shepherd beekeeper winemaker brewer sommelier "
    "housekeeper janitor caretaker porter steward stewardess guard bouncer detective "
    "officer inspector ambassador diplomat politician councillor priest vicar rabbi imam minister "
    "hygienist teller valet chauffeur usher roofer tiler "
    # what the trades call themselves in chat: "backend dev at a fintech", "been a sparky 15 years"
    "dev devops sparky chippy brickie sparkie medic doc "
    # the bench, the school, the sea, the pulpit and the screen, as letters and texts name them: "As a GP...", "I am
    # headmistress of...", "i'm a youtuber so..."
    "gp magistrate headteacher headmistress headmaster seafarer mariner chaplain pastor deacon youtuber influencer "
    "lorry truck bus taxi cab delivery crane forklift train tram".split())

FROM_FAKER = frozenset(
    "accountant actor actuary acupuncturist adjuster administrator adviser agent analyst animator "
    "arboriculturist archaeologist architect archivist artist assessor assistant astronomer attorney "
    "author banker barista barrister biochemist blower bookseller breeder brewer broker cartographer "
    "chemist chiropodist chiropractor clerk coach comptroller conservator consultant contractor "
    "controller conveyancer coordinator copywriter counsellor curator cytogeneticist dancer dealer "
    "dentist designer developer dietitian director doctor dramatherapist ecologist economist editor "
    "embryologist engineer ergonomist examiner executive firefighter forwarder fundraiser gaffer "
    "geneticist geochemist geologist geoscientist haematologist handler herbalist herpetologist "
    "homeopath horticulturist hydrogeologist hydrologist hygienist illustrator immunologist inspector "
    "interpreter journalist lawyer lecturer lexicographer librarian lobbyist manager mentor merchandiser "
    "metallurgist meteorologist microbiologist midwife mudlogger musician neurosurgeon nurse "
    "nutritionist oceanographer officer oncologist operator ophthalmologist optician optometrist "
    "organiser orthoptist osteopath paramedic pathologist pharmacist pharmacologist photographer "
    "physicist physiologist physiotherapist phytotherapist pilot podiatrist practitioner presenter "
    "printmaker processor producer professor programmer proofreader psychiatrist psychologist "
    "psychotherapist radiographer ranger researcher restorer scientist secretary seismologist solicitor "
    "specialist statistician streamer surgeon surveyor teacher technician technologist therapist "
    "toxicologist trader trainer translator treasurer tutor underwriter warden writer".split())

OCCUPATIONS = EVERYDAY | FROM_FAKER

# Jobs named by two words whose last alone names none ("a hard worker", "a people person"): from the same
# Faker titles, with the everyday ones it leaves out.
COMPOUNDS = frozenset({
    "account planner", "advice worker", "aid worker", "development worker", "ambulance person", "arts worker",
    "cabin crew", "financial planner", "guidance worker", "health visitor", "holiday representative",
    "industrial buyer", "media buyer", "media planner", "production planner", "research associate", "retail buyer",
    "sales professional", "sales representative", "social worker", "town planner", "transport planner",
    "youth worker", "care worker", "support worker", "factory worker", "key worker", "office worker",
    "sales assistant", "shop assistant", "wedding planner", "event planner", "delivery person",
    "civil servant", "public servant", "content creator",
})


@cache
def occupation_roots() -> frozenset[str]:
    """Every occupation's roots ("baker" gives "bake"), read on first use: importing this loads no lemma table."""
    return frozenset(root for job in OCCUPATIONS for root in roots(job))


# Words that say a clause is about one's work, beside what one does: "I cut hair and my clients are regulars".
WORK_WORDS = frozenset("client customer patient living shift job trade business regular booking appointment salon "
                       "workshop".split())
