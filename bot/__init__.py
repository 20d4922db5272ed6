"""WOW Bot: hero moments, WOW gifts, follow-ups and KPI digests for service teams."""
