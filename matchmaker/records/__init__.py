"""The supplier and requirement records: importing files, duplicates and merges, certificates as
facts, provenance and freshness, and what of a profile the public sees."""
