"""The web service: a page for regulators, a versioned API, batch jobs, stored evidence, API keys."""
