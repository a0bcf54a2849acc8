"""Lambda entry points: thin adapters that parse the event, call the domain and map the result."""
