"""`make eval`: memchat's memory measured against window-only and full-history prompts on one seeded data set."""
