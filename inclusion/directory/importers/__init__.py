"""Importers of the Local Offer: another Open Referral UK feed's JSON (`oruk`)."""
