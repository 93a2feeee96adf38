"""Matching and ranking: requirement → suppliers and back, the scorer, its explanations and the
certificate order, the learned ranker's model, and keeping the search index up to date."""
