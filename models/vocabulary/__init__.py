"""The domain vocabulary records validate with: Unicode text, certificates, provinces, sectors.

It lives with the records so that `models` imports nothing else of ours; the search engines
(`indexer`) read it from here."""
