"""The held-out half: phrasings written apart from the dev half and never tuned on; only reported."""

from evaluation.exchanges import Probe

PROBES: list[Probe] = [
    Probe("Going back to the Lisbon ideas you had, was Sintra one of them?", "lisbon"),
    Probe("I lost the banana bread instructions you gave me, can you repeat them?", "banana"),
    Probe("How many weeks was the marathon plan we discussed?", "marathon"),
    Probe("Remind me what you said about the STAR method for my interview", "interview"),
    Probe("For my sister's birthday, what were the options you came up with?", "gift"),
    Probe("The tap fix you explained earlier, which part did I replace?", "tap"),
    Probe("Repeat the Python example from our previous chat", "python"),
    Probe("Which novels were on the sci-fi list you gave me?", "scifi"),
    Probe("You mentioned a rule for my budget, which one was it?", "budget"),
    Probe("Remember what you said about overwatering my plant?", "plants"),
    Probe("What temperature did you suggest for the lasagna?", "lasagna"),
    Probe("You told me to check something on my bike for the knee pain, what was it?", "knee"),
    Probe("What was on the packing list for the camping trip again?", "camping"),
    Probe("How long did you say my wedding speech should be?", "speech"),
    Probe("Which first chords did you recommend for guitar?", "guitar"),
    Probe("Those tips for falling asleep you gave me a while ago, what were they?", "sleep"),
    # Not referring to the past, though on the same subjects:
    Probe("What is the best month to visit Lisbon?", None),
    Probe("Can banana bread be frozen?", None),
    Probe("What should I eat before a long run?", None),
    Probe("How do I answer 'what is your weakness' in an interview?", None),
    Probe("Is pottery a good hobby for beginners?", None),
    Probe("What tools do I need for basic plumbing?", None),
    Probe("What is a generator in Python?", None),
    Probe("Recommend a fantasy novel", None),
    Probe("How much should I save each month?", None),
    Probe("Which houseplants like low light?", None),
    Probe("Is lasagna better the next day?", None),
    Probe("How do I set my saddle height?", None),
    Probe("What is a midge?", None),
    Probe("Write a toast for my parents' anniversary", None),
    Probe("What is a barre chord?", None),
    Probe("Does melatonin help with sleep?", None),
]
