"""Pages of engagement: the Engagement Hub and the actions of its sections."""
