"""Ingestion, normalisation, encoders and search backends: records in, search documents out."""
