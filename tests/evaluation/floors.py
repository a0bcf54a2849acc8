"""The phrasing bank's recorded figures, which `make test` holds memchat to: raise them as the rules improve.

Rates are floors (a run below fails); trap counts are ceilings (a run above fails) whose target is 0.
Recorded from the rules as they stand (the clause reader, the floor of everyday phrasings, validation by lemma):
the dev half is what they were tuned on; the test half, grown to 25 families a subject, is held out. Round eight
grew the dev half in eight fresh batches, each measured before it was tuned on (the last left untuned), and
nine of its families, which came out word for word as test-half families, were taken out of the dev half. Round
nine grew it in four fresh batches (each measured before it was tuned on) and a fifth held back until the end.
Round ten wrote two fresh batches before any rule was changed: it tuned on the first (-r10a; rules 52.8% to 97.2%)
and held the second (-r10b) back untuned until its mechanisms were done. The held-back batch is the honest figure
for unseen speech, and it barely moved: rules 43.0% recall before the round, 44.9% after (46/107 to 48/107);
oracle kept 62.1% to 65.3% (59/95 to 62/95); its traps 5/36 and 3/42 before and after. It was tuned on last.
Round eleven wrote four fresh batches, mostly traps (-r11a, -r11c, -r11d tuned on, -r11b held back until the end), and
moved no test-half figure: the floors of the test half stand as round ten left them; the dev half's grew by 102 golds,
its rates held.
Round twelve wrote five fresh batches of facts in everyday phone speech (four tuned on, -r12b held back: rules 65.2%
to 69.6% before it was tuned on), raised the test half's rules recall to 512/686 and oracle kept to 538/608, and grew
the dev half by 466 golds whose hardest families it does not all read yet, so the dev rates fell though no older
family's count did.
Round thirteen wrote four fresh batches of every subject (three tuned on, -r13b held back: oracle kept 82.4% before the
round, 98.5% after the others were tuned on) to find why validation drops good proposals, raised the test half's oracle
kept to 544/608 and grew the dev half by 366 golds, most of them read by validation but not by the rules yet.
Round fourteen (r14a) wrote three fresh batches of homes, diets, plans and notes (-r14a and -r14c tuned on, -r14b held
back: rules 24/57 before the round, 27/57 after the others were tuned on), raised the test half's rules recall to
518/686 and oracle kept to 545/608, lowered its traps learnt to 3 (rules) and 6 (oracle), and grew the dev half by 252
golds, all read.
Round fourteen (r14b) wrote three fresh batches of names, family, likings and projects (-r14p and -r14r tuned on, -r14q
held back: rules 15/63 before the round, 18/63 after the others were tuned on), raised the test half's names to 63/75
(rules recall 515/686, oracle kept 547/608) and grew the dev half by 267 golds.
Merged, the two branches of round fourteen hold the test half's rules recall at 521/686 (precision 520/544) and oracle
kept at 548/608, traps learnt 3/123 and 6/183; the dev half at 3937/4144 and 3761/3796, 0 traps of 1,758 and 2,028.
Round fifteen wrote two fresh batches of diets, plans, family and notes in everyday phone speech (-r15a tuned on, -r15b
held back: rules 59/89 before the round and after -r15a was tuned on, then tuned on last), raised the test half's rules
recall to 524/686 (diets 53/74, precision 523/547) and grew the dev half by 201 golds, of which -r15b's 15 are still
unread by the rules and 6 dropped by validation, so the dev rates fell though no older family's count did.
Merged with the same session's fixes of everyday messages (a move "from Paris to Lyon", stays away from home, what a
piece of work is about...), the test half's rules recall is 527/686 (precision 526/550), traps 3/123; the dev half's
4123/4345 at 4140/4152, 0 traps of 1,842.
The next session's fixes (everyday messages, the embedded model's noise; a learned tagger tried and not kept, see
docs/memory.md) raised the dev half to 4138/4345 at 4149/4161; the test half's rules stand at 527/686 (precision
523/547, three duplicates no longer kept), traps 3/123.
Round sixteen measured two independent sets written by helpers who read neither the rules nor the bank (not kept in
the bank; docs/memory.md): the held-back one's rules recall 83/200 before and 88/200 after the round, validation
keeping 141/200 and then 144/200 of its ideal proposals. The mechanisms the first one showed raised the dev half to
4141/4345 at 4152/4164; the test half did not move.
Round seventeen wrote three fresh sets the same way (two of 200 tuned on, one of 250 held back and read as counts only)
and tuned on them subject by subject: the held-back set's rules recall went from 144/225 to 160/225 (negatives clean
25/25 both times), the test half's rules recall from 527/686 to 551/686 (precision 523/553 to 547/578), oracle kept from
548/608 to 558/608, the dev half from 4141/4345 to 4220/4345 at 4234/4246; traps did not move.
Round eighteen probed hypotheticals and reported speech with messages of its own (no bank) and read the embedded
model's proposals for the three fresh sets: cases put before what follows, the assistant's "you", a clause in the user's
own voice with no other subject's cue, the rules before the model. The test half's traps learnt went from 3 to 0
(rules) and 6 to 3 (oracle), its oracle kept from 558/608 to 576/608, the dev half's from 3932/3964 to 3940/3964.
Two more fresh sets (150 facts each, of names, homes, likings, projects and plans) were then tuned on: their rules
recall went from 95 and 69 to 136 and 109 of 150, the test half's from 551/686 to 553/686 (projects 58), the held-back
set of round seventeen's from 160/225 to 161/225.
Round nineteen wrote four more fresh sets: one of facts in passing in longer messages (tuned on: 116/180 to 166/180),
one typed fast or by learners of English (held back, counts only: 102/180 to 121/180) and two more in that style by
other writers (tuned on). It kept what the user is, has or lives with as notes (phrasings/traits.py). The test half's
rules recall went from 553/686 to 559/686 (families 66 to 72, precision 550/578 to 556/584), traps 0; the held-back set
of round seventeen's from 161/225 to 166/225; the dev half and the oracle did not move.
"""

FLOORS = {
    # (b) validate() given the gold proposal: kept / golds, notes excluded (target on the test half: 0.98)
    "oracle kept, test": 0.947,  # 576/608 (round eighteen; round seventeen: 558/608; first round: 145/315;
    #                             round seven: 497/608; round eight: 532/608;
    #                             round nine: 535/608; rounds ten and eleven unchanged; round twelve: 538/608;
    #                             round thirteen: 544/608; round fourteen, both branches: 548/608, names 63, plans 77)
    "oracle kept, dev": 0.993,  # 3940/3964 (round eighteen; round seventeen: 3932/3964; round sixteen: 3923/3964;
    #                            round fourteen: 3761/3796; round nine: 2242/2251;
    #                            round ten: 2436/2442; round eleven: 2538/2544;
    #                            round twelve: 2944/2971; round thirteen: 3299/3331)
    # (b) tempting proposals of the traps that validate() keeps (target 0)
    "oracle traps learnt, test": 3,  # of 183 (first round: 62 of 105; round eight: 12; rounds nine to thirteen: 9;
    #                                   round fourteen: 6; round eighteen: 3)
    "oracle traps learnt, dev": 0,  # of 2112
    # (a) the rules alone, through validation as the digest runs them: recall, and traps learnt (target 0)
    "rules recall, test": 0.814,  # 559/686 (round nineteen; round eighteen: 553/686; round seventeen: 551/686;
    #                              round sixteen: 527/686;
    #                              first round: 5/354;
    #                              round seven: 430/686; round eight: 490/686;
    #                              round nine: 499/686; rounds ten and eleven: 506/686; round twelve: 512/686;
    #                              round fourteen, both branches: 521/686, names 63, homes 57, notes 60;
    #                              round fifteen: 524/686, diets 53; merged with the session's fixes: 527/686)
    "rules recall, dev": 0.971,  # 4220/4345 (round seventeen; round sixteen: 4141/4345;
    #                             round fifteen: 4123/4345; round fourteen: 3937/4144;
    #                             round nine: 2457/2476;
    #                             round ten: 2671/2691; round eleven: 2773/2793;
    #                             round twelve: 3212/3259; round thirteen: 3415/3625)
    "rules traps learnt, test": 0,  # of 123 trap messages (round eight: 9; rounds nine to thirteen: 6;
    #                                  round fourteen: 3; round eighteen: 0)
    "rules traps learnt, dev": 0,  # of 1842
}

# Recall by meaning (evaluation/recall.py, seed 2026): users holding 100 memories ask for one in everyday words;
# the asked memory is in the prompt (target on the test half: 0.95). Recorded from BM25 recall as it was
# when the question bank was written.
RECALL_FLOORS = {
    "recall by meaning, test": 0.993,  # 469/472 (first round: 377/471; round nine: 427/472; round ten: the profile
    # and a spread of subjects fill the room the message's words leave)
    "recall by meaning, dev": 0.994,  # 712/716 (round nine: 460/468; round ten's fresh 62 questions: 216/248 before)
}
