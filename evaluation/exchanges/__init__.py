"""A seeded set for recall of past exchanges: one user's earlier conversations (POOL), and messages that refer
to one of them or to none, split like evaluation/bank/: the rules in memchat.search.references and the
finder's threshold are tuned on `dev` only; `held_out` is only reported.

A probe names the exchange it means by its key in POOL, or None when the message does not refer to the
past (then no exchange may go into its prompt, even one on the same subject).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Probe:
    text: str
    means: str | None  # a key of POOL, or None: the message does not refer to an earlier conversation


# key -> (what the user said, what the assistant answered), each in a conversation of its own.
POOL: dict[str, tuple[str, str]] = {
    "lisbon": ("I'm planning a trip to Lisbon in May, any ideas?",
               "Walk the Alfama district, ride tram 28, and try pastéis de nata in Belém. A day trip to Sintra "
               "is worth it."),
    "banana": ("Can you give me a recipe for banana bread?",
               "Mash three ripe bananas, mix with 75 g melted butter, 150 g sugar, one egg and 190 g flour with a "
               "teaspoon of baking soda. Bake at 175 °C for an hour."),
    "marathon": ("I want to run my first marathon in October. How should I train?",
                 "Build up over 16 weeks: four runs a week, one long run growing from 10 to 32 km, easy pace most "
                 "days, and a taper in the last three weeks."),
    "interview": ("I have a job interview at a bank on Friday. Any advice?",
                  "Research the bank's recent news, prepare three stories using the STAR method, and have two "
                  "questions ready about the team."),
    "gift": ("What should I get my sister for her 30th birthday? She loves pottery.",
             "A wheel-throwing class for two, a handmade glaze set, or a weekend pottery retreat."),
    "tap": ("My kitchen tap keeps dripping. How do I fix it?",
            "Turn off the water under the sink, remove the handle, replace the worn washer or cartridge, then "
            "reassemble and test."),
    "python": ("How do list comprehensions work in Python?",
               "They build a list from an iterable in one expression: [x * 2 for x in numbers if x > 0]."),
    "scifi": ("Recommend some science fiction novels for me.",
              "Try The Left Hand of Darkness, Hyperion, The Expanse series and Children of Time."),
    "budget": ("Help me set up a monthly budget spreadsheet.",
               "Make columns for income, fixed costs, variable costs and savings; use the 50/30/20 rule as a start."),
    "plants": ("My monstera has yellow leaves. What's wrong?",
               "Usually overwatering: let the top few centimetres of soil dry out and make sure the pot drains."),
    "lasagna": ("I need a vegan lasagna for a dinner party.",
                "Layer lentil bolognese, spinach and a cashew béchamel between the sheets; bake 40 minutes at 190 °C."),
    "knee": ("My knee hurts after cycling. Any stretches?",
             "Stretch your quadriceps and hamstrings, foam-roll the IT band, and check your saddle height."),
    "camping": ("We're going camping in the Highlands. What should we pack?",
                "A waterproof tent, warm sleeping bags, midge repellent, a stove, layers and a paper map."),
    "speech": ("I'm the best man at my brother's wedding. Help with the speech?",
               "Open with a short story about your brother, thank the hosts, keep it under five minutes and end "
               "with a toast to the couple."),
    "guitar": ("I'm learning guitar. Which chords should I start with?",
               "Start with G, C, D, E minor and A minor: they cover hundreds of songs."),
    "sleep": ("I can't fall asleep at night. Any tips?",
              "Keep a fixed wake-up time, avoid screens for an hour before bed, and keep the bedroom cool and dark."),
}
