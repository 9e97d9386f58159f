"""Open Referral UK 3.0: rendering records as the profile's JSON, the API's views, its spec."""
