"""Data: the canonical model, loaders for real survey files, and the synthetic demo data."""
