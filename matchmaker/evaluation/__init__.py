"""Programme evaluation and learning: outcome events, the funnel and reports, demand gaps, what
was shown (impressions), and learning a ranker from what followed."""
