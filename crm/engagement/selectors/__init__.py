"""Reads of engagement, one module per topic: logged follow-ups, reminders, the Engagement Hub's
sections, occasions (holidays and service anniversaries)."""
