"""The support team's questionnaires, the regions' answers and support requests."""
