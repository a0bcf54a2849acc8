"""The dev half: what the reference rules and the recall threshold were tuned on."""

from evaluation.exchanges import Probe

PROBES: list[Probe] = [
    Probe("What did you suggest for my trip?", "lisbon"),
    Probe("Can you give me the banana bread recipe from before?", "banana"),
    Probe("Remind me of the marathon training plan you gave me", "marathon"),
    Probe("What was your advice for the bank interview again?", "interview"),
    Probe("Which pottery gifts did you recommend last time?", "gift"),
    Probe("How did you say I should fix the dripping tap?", "tap"),
    Probe("Show me that list comprehension example you wrote earlier", "python"),
    Probe("What were the science fiction novels you recommended?", "scifi"),
    Probe("Like last time, how was the budget spreadsheet set up?", "budget"),
    Probe("What did you tell me about my monstera's yellow leaves?", "plants"),
    Probe("The vegan lasagna from before: what goes in the béchamel?", "lasagna"),
    Probe("Which knee stretches did you mention?", "knee"),
    Probe("Remember the camping list we made for the Highlands?", "camping"),
    Probe("What did we plan for the best man speech?", "speech"),
    Probe("Which guitar chords did you say to start with?", "guitar"),
    Probe("Remind me of your sleep tips from the other day", "sleep"),
    # Not referring to the past, though on the same subjects:
    Probe("Plan a trip to Lisbon for me", None),
    Probe("How do I make banana bread?", None),
    Probe("Is a marathon bad for your knees?", None),
    Probe("What should I wear to a job interview?", None),
    Probe("Gift ideas for a friend who likes pottery?", None),
    Probe("Why do taps drip?", None),
    Probe("Explain dictionary comprehensions in Python", None),
    Probe("Who wrote Hyperion?", None),
    Probe("What is the 50/30/20 rule?", None),
    Probe("How often should I water a monstera?", None),
    Probe("Give me a vegan dessert for a dinner party", None),
    Probe("Is cycling good for the knees?", None),
    Probe("Where can I camp in the Highlands?", None),
    Probe("How long should a wedding speech be?", None),
    Probe("How do I tune a guitar?", None),
    Probe("How many hours of sleep do adults need?", None),
]
