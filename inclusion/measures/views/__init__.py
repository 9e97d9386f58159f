"""Measures pages: `pages` (dashboards, measure pages, downloads) and `manage` (definitions,
targets, observations, comparators, published-statistics uploads). Thin: parse, authorise,
call a selector or service, render."""
