"""memchat's Locust latency suite: what a chat user feels, under concurrent users, against any deployment.

Modules, one concept each:

    errors.py     the error tree of a measured turn (each error names the phase code Locust reports)
    client.py     the chat user's side of the wire: a blocking WebSocket client timing every phase
    direct.py     the baseline: the model endpoint called directly with the backend's own stream parser
    prompts.py    the prompt set (prompts.json) and the conversations drawn from it
    shapes.py     load shapes as pure plans: closed-loop steps, open-loop Poisson arrivals, a turn budget
    samples.py    raw per-request samples (CSV) and exact percentiles from them
    report.py     a run's summary: Markdown, and a PNG of percentiles against concurrency
    stack.py      starting and probing the local stack (`memchat dev`)
    scenarios.py  the named scenarios `make loadtest` runs
    run.py        the runner: stack, Locust (headless, in a child process), report
    locustfile.py the Locust users and the load shape (imports Locust, and with it gevent's monkey-patching)

Only locustfile.py imports Locust; every other module stays importable by plain tests.
"""
