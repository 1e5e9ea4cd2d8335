"""Writes and workflows of engagement, one module per topic: follow-ups logged by hand,
reminders, greetings, the Engagement Hub's actions, the nightly sweeps, and the job workflow
(completing a job schedules its survey)."""
