"""Analytics: what the official data say now (the monitor), whether an article's numbers hold (claims)."""
